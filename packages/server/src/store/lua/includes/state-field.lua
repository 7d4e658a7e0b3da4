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

local function getField(key, name)
  local first = redis.call('HGET', key, name)
  if not first then return false end
  local parts = {first}
  while true do
    local part = redis.call('HGET', key, name .. #parts)
    if not part then break end
    parts[#parts + 1] = part
  end
  return table.concat(parts)
end

local function delField(key, name)
  redis.call('HDEL', key, name)
  local i = 1
  while redis.call('HDEL', key, name .. i) == 1 do i = i + 1 end
end

-- An empty value deletes the field.
local function setField(key, name, value)
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
    redis.call('HSET', key, n == 0 and name or name .. n, string.sub(value, at, stop - 1))
    at, n = stop, n + 1
  end
  if n == 0 then
    redis.call('HDEL', key, name)
    n = 1
  end
  -- The pieces a longer value had before.
  while redis.call('HDEL', key, name .. n) == 1 do n = n + 1 end
end
