--[[
  Extends a claimed effect's lease, only while the lease is still the caller's: its outbox
  score must still be the lease end the caller holds. A retry (a new due time), a completion
  (no entry) or another instance's claim after a lapse (another lease end) leave it as is.

  Input:
    KEYS[1]  shard outbox zset
    ARGV[1]  member <sid>|<key>
    ARGV[2]  lease end the caller holds, in ms (as the claim wrote it)
    ARGV[3]  new lease end in ms

  Output: 1 when extended, 0 when the lease is no longer the caller's.
]]
-- Compared as strings: both sides are integers written by the runner, and ioredis-mock's Lua
-- has 32-bit integers, so tonumber() of a millisecond timestamp is not exact there.
if redis.call('ZSCORE', KEYS[1], ARGV[1]) ~= ARGV[2] then return 0 end
redis.call('ZADD', KEYS[1], ARGV[3], ARGV[1])
return 1
