-- The newest timeline entries, each followed by a newline (JSON holds none), in the state's
-- 'tail' field until compact-timeline.lua packs them: a list of their own cost a key and
-- about 250 bytes more. Included by each script that appends (scripts.ts expands
-- `-- @include`: Redis scripts cannot share code), after state-field.lua. Appends ARGV[first..last], keeps the
-- newest `cap`, returns how many.
local function appendTail(state, first, last, cap)
  local tail = getField(state, 'tail') or ''
  for i = first, last do tail = tail .. ARGV[i] .. '\n' end
  local n = 0
  for _ in string.gmatch(tail, '\n') do n = n + 1 end
  local at = 0
  while n > cap do
    at = string.find(tail, '\n', at + 1, true)
    n = n - 1
  end
  if at > 0 then tail = string.sub(tail, at + 1) end
  setField(state, 'tail', tail)
  return n
end
