-- A field of the state hash whose value may be longer than Redis keeps in a listpack
-- (hash-max-listpack-value, 64 bytes by default): one longer value turns the whole hash into a
-- hashtable, several times its size. So a value is stored in pieces of at most PIECE bytes:
-- `name`, then `name1`, `name2`, ... (no field name ends with a digit). A value written
-- whole by the layout before is read as one piece. Pieces of text end before a UTF-8
-- continuation byte, so each is valid text for a client that reads them one by one (the
-- listing's summaries); a packed value of a binary store (its first byte 0xFF, never the
-- first of UTF-8 text: packing.ts BINARY) is read as bytes and joined, so it is cut anywhere.
-- Included by the scripts that read or write those fields (scripts.ts expands `-- @include`).
--
-- A script reads a state hash once (one HGETALL of a listpack of a few hundred bytes: one
-- call for each piece cost most of a commit's Redis time), reads and writes its fields in
-- that copy, and saves what it changed with one HSET and one HDEL (saveState). So every
-- write to a state hash a script makes goes through here, and saveState comes before the
-- script returns (and before an EXPIRE of a hash it creates).
local PIECE = 64
-- Pieces after the first of the fields that run longest are named after one letter of their
-- own (`S1`, `S2`, ... for the snapshot): a piece's name costs as many bytes as its value's,
-- about 7 a piece. Pieces written before under the whole name (`snapshot1`, ...) are still
-- read, and go when the field is written again. TypeScript reads them alike
-- (state-fields.ts SHORT, which must say the same).
local SHORT = {snapshot = 'S', timeline = 'T', record = 'R', tail = 'L', seen = 'E', indexes = 'I'}

-- By key: the hash as read, with this script's writes ({fields}), and the writes to save
-- ({order of the names written, set: name -> value, or false when deleted}).
local states = {}

local function stateOf(key)
  local state = states[key]
  if state then return state end
  local fields = {}
  -- Reply arrays are walked with numeric loops: ipairs does not work on the mock's proxies.
  local flat = redis.call('HGETALL', key)
  for i = 1, #flat, 2 do fields[flat[i]] = flat[i + 1] end
  state = {fields = fields, order = {}, set = {}}
  states[key] = state
  return state
end

-- A plain field (one piece, never longer than a piece), or false when absent.
local function hashGet(key, name)
  return stateOf(key).fields[name] or false
end

-- Writes a field in the copy and queues it for saveState; false deletes it.
local function hashSet(key, name, value)
  local state = stateOf(key)
  if value == false and state.fields[name] == nil and state.set[name] == nil then return end
  if state.set[name] == nil then state.order[#state.order + 1] = name end
  state.set[name] = value
  state.fields[name] = value or nil
end

-- Writes a state hash's queued changes: one HSET of the fields written, one HDEL of those
-- deleted (the order of the names keeps the script's effects the same from run to run).
local function saveState(key)
  local state = states[key]
  if not state then return end
  local writes, deletes = {key}, {key}
  for i = 1, #state.order do
    local name = state.order[i]
    local value = state.set[name]
    if value then
      writes[#writes + 1] = name
      writes[#writes + 1] = value
    else
      deletes[#deletes + 1] = name
    end
  end
  if #writes > 1 then redis.call('HSET', unpack(writes)) end
  if #deletes > 1 then redis.call('HDEL', unpack(deletes)) end
  state.order, state.set = {}, {}
end

-- Deletes the pieces `stem .. from`, `stem .. from + 1`, ... that exist.
local function delPieces(key, stem, from)
  local fields = stateOf(key).fields
  local i = from
  while fields[stem .. i] do
    hashSet(key, stem .. i, false)
    i = i + 1
  end
end

local function getField(key, name)
  local fields = stateOf(key).fields
  local first = fields[name]
  if not first then return false end
  local parts = {first}
  local stem = SHORT[name] or name
  if not fields[stem .. 1] then stem = name end
  local part = fields[stem .. 1]
  while part do
    parts[#parts + 1] = part
    part = fields[stem .. #parts]
  end
  return table.concat(parts)
end

local function delField(key, name)
  hashSet(key, name, false)
  delPieces(key, SHORT[name] or name, 1)
  if SHORT[name] then delPieces(key, name, 1) end
end

-- An empty value deletes the field.
local function setField(key, name, value)
  local stem = SHORT[name] or name
  local n, at = 0, 1
  local text = string.byte(value, 1) ~= 255
  while at <= #value do
    local stop = math.min(at + PIECE, #value + 1)
    -- Back off to the start of a character: bytes 0x80..0xBF only continue one.
    while text and stop <= #value and stop > at + 1 do
      local byte = string.byte(value, stop)
      if byte < 128 or byte > 191 then break end
      stop = stop - 1
    end
    hashSet(key, n == 0 and name or stem .. n, string.sub(value, at, stop - 1))
    at, n = stop, n + 1
  end
  if n == 0 then
    hashSet(key, name, false)
    n = 1
  end
  -- The pieces a longer value had before, and those of the naming before.
  delPieces(key, stem, n)
  if stem ~= name then delPieces(key, name, 1) end
end
