--[[
  Points a routing index at a conference: a field of its bucket hash (routing-index.ts), with
  the expiry the conference gives it. Redis cannot expire a field, so the bucket's expired
  fields go here, and the bucket key lives as long as its longest-lived field.

  Input:
    KEYS[1]  the name's bucket hash        (name -> <conference SID>|<expiry>)
    KEYS[2]  the name's string key         (as written before the buckets: deleted, so it
                                            never answers for a name the bucket holds)
    ARGV[1]  index name
    ARGV[2]  value: <conference SID>|<expiry>, the expiry in seconds, fixed width
    ARGV[3]  TTL in seconds (what the expiry is from now)
    ARGV[4]  now, in seconds, the expiry's width: fields expiring by then are dropped

  Output: 1.
]]
local all = redis.call('HGETALL', KEYS[1])
-- Expiries are compared as strings: fixed width, beyond the mock Lua's 32-bit integers.
for i = 1, #all, 2 do
  local expiry = string.match(all[i + 1], '|(%d+)$')
  if expiry and expiry <= ARGV[4] then redis.call('HDEL', KEYS[1], all[i]) end
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('DEL', KEYS[2])
local ttl = tonumber(ARGV[3])
if redis.call('TTL', KEYS[1]) < ttl then redis.call('EXPIRE', KEYS[1], ttl) end
return 1
