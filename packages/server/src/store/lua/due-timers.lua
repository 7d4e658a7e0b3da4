--[[
  Reads the due timers of one shard with their events, in one consistent view. Removes
  nothing: the commit that handles a timer removes it (firesTimer).

  Input:
    KEYS[1]  shard timers zset         (<sid>|<id> -> due ms)
    KEYS[2]  shard timer-events hash   (<sid>|<id> -> event JSON)
    ARGV[1]  now in ms
    ARGV[2]  most timers to return

  Output:
    {member1, dueMs1, eventJSON1, ...}; eventJSON is '' when the event is missing.
]]
-- ioredis-mock reads a reply table as an array only if its keys were inserted last to first,
-- so replies are copied that way (harmless on Redis). Reply arrays of redis.call are walked
-- with numeric loops: ipairs does not work on the mock's array proxies.
local function reply(items)
  local out = {}
  for i = #items, 1, -1 do out[i] = items[i] end
  return out
end

local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'WITHSCORES', 'LIMIT', 0, tonumber(ARGV[2]))
local out = {}
for i = 1, #due, 2 do
  local event = redis.call('HGET', KEYS[2], due[i])
  out[#out + 1] = due[i]
  out[#out + 1] = due[i + 1]
  out[#out + 1] = event or ''
end
return reply(out)
