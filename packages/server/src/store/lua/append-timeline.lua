--[[
  Appends timeline entries outside a commit, keeping the cap and the conference's TTL.

  Input:
    KEYS[1]  conference timeline list
    KEYS[2]  conference state hash (only read: its version, final flag and TTL)
    ARGV[1]  timeline cap (live)
    ARGV[2]  final TTL in seconds, for a conference that does not exist (yet or any more)
    ARGV[3]  expected version, or '' to append whatever the version
    ARGV[4]  timeline cap once final
    ARGV[5..]  timeline entries (timeline-codec.ts)

  Output: the timeline's length, or -1 (nothing appended) when the version is not the
  expected one: the caller decided on a snapshot that has moved on.
]]
if ARGV[3] ~= '' then
  local current = redis.call('HGET', KEYS[2], 'version')
  if (current or '0') ~= ARGV[3] then return -1 end
end
for i = 5, #ARGV do
  redis.call('RPUSH', KEYS[1], ARGV[i])
end
-- A finished conference keeps its final cap, whatever is written after the end.
local cap = ARGV[1]
if redis.call('HGET', KEYS[2], 'final') == '1' then cap = ARGV[4] end
redis.call('LTRIM', KEYS[1], -tonumber(cap), -1)

local ttl = redis.call('TTL', KEYS[2])
if ttl == -2 then ttl = tonumber(ARGV[2]) end
if ttl > 0 then redis.call('EXPIRE', KEYS[1], ttl) end
return redis.call('LLEN', KEYS[1])
