--[[
  Packs a conference's unpacked timeline entries (its state's 'tail' field, and before those
  a timeline list written by the layout before) into the 'timeline' field of its state hash,
  merged with what that field held (the merge and the compression are made in TypeScript:
  the scripts have no zlib). Done every few entries while the conference is live and once
  more after its final commit: a packed entry costs a few bytes, an unpacked one about 150.
  An optimisation only: whenever anything moved since the caller read them, it does nothing.

  Input:
    KEYS[1]  conference state hash
    KEYS[2]  conference timeline list (the layout before)
    ARGV[1]  the 'timeline' field as the caller read it ('' when absent)
    ARGV[2]  number of list entries packed: the first ones of the list (0 for none)
    ARGV[3]  first packed list entry, as stored
    ARGV[4]  last packed list entry, as stored
    ARGV[5]  the 'tail' field as the caller read it: entries appended since stay in it
    ARGV[6]  the new packed value: the old packed entries, then the list's, then the tail's
             (text, or bytes behind 0xFF on a binary store: packing.ts)
    ARGV[7]  where it goes: 'timeline', or 'record' for a finished conference (packing.ts
             packRecord: its snapshot and timeline in one value, replacing the 'snapshot' and
             'timeline' fields)
    ARGV[8]  the 'snapshot' field as the caller read it ('' when absent), for 'record'
    ARGV[9]  the 'record' field as the caller read it ('' when absent), for 'record'

  Output: 1 when packed, 0 when nothing was done.
]]
-- @include state-field

-- A conference that expired (or was never stored) gets no state hash back from here.
if next(stateOf(KEYS[1]).fields) == nil then return 0 end
if (getField(KEYS[1], 'timeline') or '') ~= ARGV[1] then return 0 end
local sealing = ARGV[7] == 'record'
if sealing then
  if (getField(KEYS[1], 'snapshot') or '') ~= ARGV[8] then return 0 end
  if (getField(KEYS[1], 'record') or '') ~= ARGV[9] then return 0 end
end
local n = tonumber(ARGV[2])
local packedTail = ARGV[5]
if n <= 0 and packedTail == '' and not sealing then return 0 end
if n > 0 then
  -- List entries are only ever appended, or trimmed from the front: the same first and last
  -- entries at the same places mean the same run of entries.
  if redis.call('LINDEX', KEYS[2], 0) ~= ARGV[3] then return 0 end
  if redis.call('LINDEX', KEYS[2], n - 1) ~= ARGV[4] then return 0 end
end
-- The tail too is appended to, or trimmed from the front (which changes its start).
local tail = getField(KEYS[1], 'tail') or ''
if string.sub(tail, 1, #packedTail) ~= packedTail then return 0 end
if n > 0 then redis.call('LTRIM', KEYS[2], n, -1) end
setField(KEYS[1], 'tail', string.sub(tail, #packedTail + 1))
if sealing then
  setField(KEYS[1], 'record', ARGV[6])
  delField(KEYS[1], 'timeline')
  delField(KEYS[1], 'snapshot')
else
  setField(KEYS[1], 'timeline', ARGV[6])
end
saveState(KEYS[1])
return 1
