--[[
  An effect ran (or is pointless): it leaves the outbox and its key is remembered as done,
  so no later commit enqueues it again. Appends the result to the timeline.

  Input:
    KEYS[1]  shard outbox zset
    KEYS[2]  shard effects hash
    KEYS[3]  shard attempts hash
    KEYS[4]  conference done set
    KEYS[5]  conference timeline list
    KEYS[6]  conference state hash (only read: its final flag and TTL)
    ARGV[1]  member <sid>|<key>
    ARGV[2]  token of the effect key (tokens.ts)
    ARGV[3]  timeline entry (timeline-codec.ts)
    ARGV[4]  timeline cap (live)
    ARGV[5]  final TTL in seconds, for a conference that is already gone
    ARGV[6]  timeline cap once final

  Output: the timeline list's length (the caller packs it every few entries).
]]
redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('HDEL', KEYS[2], ARGV[1])
redis.call('HDEL', KEYS[3], ARGV[1])
redis.call('SADD', KEYS[4], ARGV[2])
redis.call('RPUSH', KEYS[5], ARGV[3])
-- A finished conference keeps its final cap, whatever is written after the end.
local cap = ARGV[4]
if redis.call('HGET', KEYS[6], 'final') == '1' then cap = ARGV[6] end
redis.call('LTRIM', KEYS[5], -tonumber(cap), -1)

-- The keys written here live as long as the conference: an effect completing after the
-- final commit, or after the conference expired, must not leave keys without a TTL.
local ttl = redis.call('TTL', KEYS[6])
if ttl == -2 then ttl = tonumber(ARGV[5]) end
if ttl > 0 then
  redis.call('EXPIRE', KEYS[4], ttl)
  redis.call('EXPIRE', KEYS[5], ttl)
end
return redis.call('LLEN', KEYS[5])
