--[[
  Claims due effects of one shard: each is leased (re-scored to the lease's end, so another
  claim skips it until then) and its claim counter is incremented.

  Input:
    KEYS[1]  shard outbox zset     (<sid>|<key> -> due ms)
    KEYS[2]  shard effects hash    (<sid>|<key> -> effect JSON)
    KEYS[3]  shard attempts hash   (<sid>|<key> -> claims so far)
    ARGV[1]  now in ms
    ARGV[2]  most effects to claim
    ARGV[3]  lease end in ms (now + lease, computed by the caller: no timestamp arithmetic here)

  Output:
    {effectJSON1, claims1, effectJSON2, claims2, ...}, claims counting this one.
]]
-- ioredis-mock reads a reply table as an array only if its keys were inserted last to first,
-- so replies are copied that way (harmless on Redis). Reply arrays of redis.call are walked
-- with numeric loops: ipairs does not work on the mock's array proxies.
local function reply(items)
  local out = {}
  for i = #items, 1, -1 do out[i] = items[i] end
  return out
end

local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
local out = {}
for i = 1, #due do
  local m = due[i]
  local json = redis.call('HGET', KEYS[2], m)
  if json then
    redis.call('ZADD', KEYS[1], ARGV[3], m)
    out[#out + 1] = json
    out[#out + 1] = redis.call('HINCRBY', KEYS[3], m, 1)
  else
    -- A queue entry without its body can never run: drop it rather than lease it forever.
    redis.call('ZREM', KEYS[1], m)
    redis.call('HDEL', KEYS[3], m, m .. '|sent')
  end
end
return reply(out)
