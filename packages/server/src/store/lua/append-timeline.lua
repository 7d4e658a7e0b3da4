--[[
  Appends timeline entries outside a commit, keeping the cap and the conference's TTL.

  Input:
    KEYS[1]  conference timeline list (as written before the 'tail' field: only its length)
    KEYS[2]  conference state hash (its 'tail' field; read: version, final flag and TTL)
    ARGV[1]  timeline cap (live)
    ARGV[2]  final TTL in seconds, for a conference that does not exist (yet or any more)
    ARGV[3]  expected version, or '' to append whatever the version
    ARGV[4]  timeline cap once final
    ARGV[5..]  timeline entries (timeline-codec.ts)

  Output: the number of unpacked entries (tail and list), or -1 (nothing appended) when the version is not the
  expected one: the caller decided on a snapshot that has moved on.
]]
-- @include state-field
-- @include append-tail

if ARGV[3] ~= '' then
  local current = hashGet(KEYS[2], 'version')
  if (current or '0') ~= ARGV[3] then return -1 end
end
-- Before the write: a conference that does not exist (yet or any more) gets the final TTL.
local ttl = redis.call('TTL', KEYS[2])
if ttl == -2 then ttl = tonumber(ARGV[2]) end
-- A finished conference keeps its final cap, whatever is written after the end.
local cap = ARGV[1]
if hashGet(KEYS[2], 'final') == '1' then cap = ARGV[4] end
local n = appendTail(KEYS[2], 5, #ARGV, tonumber(cap))
saveState(KEYS[2])
if ttl > 0 then redis.call('EXPIRE', KEYS[2], ttl) end
return n + redis.call('LLEN', KEYS[1])
