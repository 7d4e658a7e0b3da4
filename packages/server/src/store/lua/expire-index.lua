--[[
  Expires (or deletes) a routing index only if it still points at the given conference: a
  worker's index may already point at a newer conference, which must keep it.

  Input:
    KEYS[1]  the name's bucket hash        (name -> <conference SID>|<expiry>: routing-index.ts)
    KEYS[2]  the name's string key         (as written before the buckets)
    ARGV[1]  conference SID
    ARGV[2]  TTL in seconds, or 0 to delete it now
    ARGV[3]  index name
    ARGV[4]  the field's new value: <conference SID>|<expiry in ARGV[2] seconds>

  Output: 1 when expired (or deleted), 0 when the index points elsewhere or is gone.
]]
local done = 0
local field = redis.call('HGET', KEYS[1], ARGV[3])
if field and string.sub(field, 1, #ARGV[1] + 1) == ARGV[1] .. '|' then
  if ARGV[2] == '0' then
    redis.call('HDEL', KEYS[1], ARGV[3])
  else
    redis.call('HSET', KEYS[1], ARGV[3], ARGV[4])
    -- The bucket lives as long as its longest-lived field.
    local ttl = tonumber(ARGV[2])
    if redis.call('TTL', KEYS[1]) < ttl then redis.call('EXPIRE', KEYS[1], ttl) end
  end
  done = 1
end
if redis.call('GET', KEYS[2]) == ARGV[1] then
  if ARGV[2] == '0' then
    redis.call('DEL', KEYS[2])
  else
    redis.call('EXPIRE', KEYS[2], ARGV[2])
  end
  done = 1
end
return done
