--[[
  Removes one timer without a commit: for a timer whose conference is gone (expired or never
  stored), which no commit can remove and which dueTimers would otherwise return forever.

  Input:
    KEYS[1]  shard timers zset
    KEYS[2]  shard timer-events hash
    KEYS[3]  conference timers set
    ARGV[1]  member <sid>|<id>
    ARGV[2]  timer id

  Output: 1 when a timer was removed, 0 when there was none.
]]
local removed = redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('HDEL', KEYS[2], ARGV[1])
redis.call('SREM', KEYS[3], ARGV[2])
return removed
