--[[
  Puts a claimed effect back in the outbox at a later due time (backoff), if it is still
  there, and appends the failed attempt to the timeline.

  Input:
    KEYS[1]  shard outbox zset
    KEYS[2]  shard effects hash
    KEYS[3]  conference timeline list (as written before the 'tail' field: unused)
    KEYS[4]  conference state hash (its 'tail' field; read: final flag and TTL)
    KEYS[5]  shard attempts hash   (<sid>|<key>|sent: a request sent, no answer recorded)
    ARGV[1]  member <sid>|<key>
    ARGV[2]  new due time in ms
    ARGV[3]  timeline entry (timeline-codec.ts)
    ARGV[4]  timeline cap (live)
    ARGV[5]  final TTL in seconds, for a conference that is already gone
    ARGV[6]  timeline cap once final
    ARGV[7]  '1' when the failed attempt may have reached Twilio (no answer): the sent mark
             stays; '0' when Twilio answered or was never reached: the mark goes

  Output: 1 when rescheduled, 0 when the effect was no longer queued (completed meanwhile).
]]
-- @include state-field
-- @include append-tail

local queued = redis.call('HEXISTS', KEYS[2], ARGV[1])
if queued == 1 then
  redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
end
if ARGV[7] ~= '1' then redis.call('HDEL', KEYS[5], ARGV[1] .. '|sent') end
local ttl = redis.call('TTL', KEYS[4])
if ttl == -2 then ttl = tonumber(ARGV[5]) end
-- A finished conference keeps its final cap, whatever is written after the end.
local cap = ARGV[4]
if hashGet(KEYS[4], 'final') == '1' then cap = ARGV[6] end
appendTail(KEYS[4], 3, 3, tonumber(cap))
saveState(KEYS[4])
if ttl > 0 then redis.call('EXPIRE', KEYS[4], ttl) end
return queued
