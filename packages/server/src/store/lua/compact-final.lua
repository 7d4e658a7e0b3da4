--[[
  Packs a finished conference for its audit life: the timeline entries it had when it ended
  go into one compressed field of the state hash, and the snapshot is replaced by its
  compressed form (both made in TypeScript: the scripts have no zlib). An optimisation only:
  whenever anything moved since the caller read them, it does nothing.

  Input:
    KEYS[1]  conference state hash
    KEYS[2]  conference timeline list
    ARGV[1]  version the caller read the conference at (it must be final there)
    ARGV[2]  number of timeline entries packed: the first ones of the list
    ARGV[3]  first packed entry, as stored
    ARGV[4]  last packed entry, as stored
    ARGV[5]  the packed entries (field 'timeline')
    ARGV[6]  the compressed snapshot (field 'snapshot')

  Output: 1 when packed, 0 when nothing was done.
]]
if redis.call('HGET', KEYS[1], 'version') ~= ARGV[1] then return 0 end
if redis.call('HGET', KEYS[1], 'final') ~= '1' then return 0 end
if redis.call('HEXISTS', KEYS[1], 'timeline') == 1 then return 0 end
local n = tonumber(ARGV[2])
if n > 0 then
  -- Entries are only ever appended, or trimmed from the front: the same first and last
  -- entries at the same places mean the same run of entries.
  if redis.call('LINDEX', KEYS[2], 0) ~= ARGV[3] then return 0 end
  if redis.call('LINDEX', KEYS[2], n - 1) ~= ARGV[4] then return 0 end
  redis.call('LTRIM', KEYS[2], n, -1)
end
redis.call('HSET', KEYS[1], 'timeline', ARGV[5], 'snapshot', ARGV[6])
return 1
