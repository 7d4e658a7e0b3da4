-- A field of the state hash whose value may be longer than Redis keeps in a listpack
-- (hash-max-listpack-value, 64 bytes by default): one longer value turns the whole hash into a
-- hashtable, several times its size. So a value is stored in pieces of at most PIECE bytes:
-- `name`, then `name1`, `name2`, ... (no field name ends with a digit). A value written
-- whole by the layout before is read as one piece. Pieces of text end before a UTF-8
-- continuation byte, so each is valid text for a client that reads them one by one (the
-- listing's summaries); a packed value of a binary store (its first byte 0xFF, never the
-- first of UTF-8 text: packing.ts BINARY) is read as bytes and joined, so it is cut anywhere.
-- Included by the scripts that read or write those fields (scripts.ts expands `-- @include`).
local PIECE = 64
-- Pieces after the first of the fields that run longest are named after one letter of their
-- own (`S1`, `S2`, ... for the snapshot): a piece's name costs as many bytes as its value's,
-- about 7 a piece. Pieces written before under the whole name (`snapshot1`, ...) are still
-- read, and go when the field is written again. TypeScript reads them alike
-- (state-fields.ts SHORT, which must say the same).
local SHORT = {snapshot = 'S', timeline = 'T', record = 'R', tail = 'L', seen = 'E', indexes = 'I'}

-- Deletes the pieces `stem .. from`, `stem .. from + 1`, ... that exist.
local function delPieces(key, stem, from)
  local i = from
  while redis.call('HDEL', key, stem .. i) == 1 do i = i + 1 end
end

local function getField(key, name)
  local first = redis.call('HGET', key, name)
  if not first then return false end
  local parts = {first}
  local stem = SHORT[name] or name
  local part = redis.call('HGET', key, stem .. 1)
  if not part and stem ~= name then
    stem = name
    part = redis.call('HGET', key, name .. 1)
  end
  while part do
    parts[#parts + 1] = part
    part = redis.call('HGET', key, stem .. #parts)
  end
  return table.concat(parts)
end

local function delField(key, name)
  redis.call('HDEL', key, name)
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
    redis.call('HSET', key, n == 0 and name or stem .. n, string.sub(value, at, stop - 1))
    at, n = stop, n + 1
  end
  if n == 0 then
    redis.call('HDEL', key, name)
    n = 1
  end
  -- The pieces a longer value had before, and those of the naming before.
  delPieces(key, stem, n)
  if stem ~= name then delPieces(key, name, 1) end
end
