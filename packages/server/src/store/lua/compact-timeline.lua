--[[
  Packs the oldest entries of a conference's timeline list into the 'timeline' field of its
  state hash, merged with what that field held (the merge and the compression are made in
  TypeScript: the scripts have no zlib). Done every few entries while the conference is live
  and once more after its final commit: a timeline costs a few bytes an entry packed, about
  150 in the list. An optimisation only: whenever anything moved since the caller read the
  field and the list, it does nothing.

  Input:
    KEYS[1]  conference state hash
    KEYS[2]  conference timeline list
    ARGV[1]  the 'timeline' field as the caller read it ('' when absent)
    ARGV[2]  number of list entries packed: the first ones of the list
    ARGV[3]  first packed entry, as stored
    ARGV[4]  last packed entry, as stored
    ARGV[5]  the new 'timeline' field: the old packed entries, then the packed list entries

  Output: 1 when packed, 0 when nothing was done.
]]
-- A conference that expired (or was never stored) gets no state hash back from here.
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
if (redis.call('HGET', KEYS[1], 'timeline') or '') ~= ARGV[1] then return 0 end
local n = tonumber(ARGV[2])
if n <= 0 then return 0 end
-- Entries are only ever appended, or trimmed from the front: the same first and last
-- entries at the same places mean the same run of entries.
if redis.call('LINDEX', KEYS[2], 0) ~= ARGV[3] then return 0 end
if redis.call('LINDEX', KEYS[2], n - 1) ~= ARGV[4] then return 0 end
redis.call('LTRIM', KEYS[2], n, -1)
redis.call('HSET', KEYS[1], 'timeline', ARGV[5])
return 1
