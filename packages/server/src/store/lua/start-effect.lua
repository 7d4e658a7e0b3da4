--[[
  Starts an attempt of a claimed effect: whether it ran already and, for an effect whose
  request cannot simply be sent again (effects/unverifiable.ts), the mark that its request is
  about to go out, in one step. The runner asks once before the request rather than twice: in
  a mass disconnect every round trip before the announcement waits behind everything else
  the instance has queued. A done effect is not marked (no request follows).

  Input:
    KEYS[1]  conference state hash   (its 'done' field: tokens, each followed by a comma)
    KEYS[2]  conference done set     (the layout before: tokens, or keys written before
                                      tokens)
    KEYS[3]  shard attempts hash     (<sid>|<key>|sent -> '1': a request may be out)
    ARGV[1]  token of the effect key (tokens.ts memberToken)
    ARGV[2]  the effect key
    ARGV[3]  field of the sent mark, '' for an effect that is not marked

  Output: {done, markedBefore}
    done          1 when the effect ran already: nothing is marked
    markedBefore  1 when an earlier attempt had marked it: its request may have reached
                  Twilio (a timeout, or an instance that died or lost the lease)
]]
-- The 'done' field alone, its 64-byte pieces (`done`, `done1`, ...: state-field.lua) read one
-- by one: state-field.lua's getField reads the whole hash (some 70 fields) for the scripts
-- that write it back, and this one only reads.
local function doneField(key)
  local parts = {}
  local part = redis.call('HGET', key, 'done')
  while part do
    parts[#parts + 1] = part
    part = redis.call('HGET', key, 'done' .. #parts)
  end
  return table.concat(parts)
end

local done = doneField(KEYS[1])
if string.find(',' .. done, ',' .. ARGV[1] .. ',', 1, true) then return {1, 0} end
if redis.call('SISMEMBER', KEYS[2], ARGV[1]) == 1
  or redis.call('SISMEMBER', KEYS[2], ARGV[2]) == 1 then
  return {1, 0}
end
if ARGV[3] == '' then return {0, 0} end
-- HSETNX: two instances starting the same effect at once cannot both find no mark.
if redis.call('HSETNX', KEYS[3], ARGV[3], '1') == 0 then return {0, 1} end
return {0, 0}
