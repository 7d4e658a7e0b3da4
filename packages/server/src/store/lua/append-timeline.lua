--[[
  Appends timeline entries outside a commit, keeping the cap and the conference's TTL.

  Input:
    KEYS[1]  conference timeline list
    KEYS[2]  conference state hash (only read: its TTL)
    ARGV[1]  timeline cap
    ARGV[2]  final TTL in seconds, for a conference that does not exist (yet or any more)
    ARGV[3..]  timeline entry JSON strings

  Output: the timeline's length
]]
for i = 3, #ARGV do
  redis.call('RPUSH', KEYS[1], ARGV[i])
end
redis.call('LTRIM', KEYS[1], -tonumber(ARGV[1]), -1)

local ttl = redis.call('TTL', KEYS[2])
if ttl == -2 then ttl = tonumber(ARGV[2]) end
if ttl > 0 then redis.call('EXPIRE', KEYS[1], ttl) end
return redis.call('LLEN', KEYS[1])
