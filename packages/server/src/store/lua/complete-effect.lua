--[[
  An effect ran (or is pointless): it leaves the outbox and its key is remembered as done
  (its token, followed by a comma, in the state's 'done' field), so no later commit enqueues
  it again. Appends the result to the timeline.

  Input:
    KEYS[1]  shard outbox zset
    KEYS[2]  shard effects hash
    KEYS[3]  shard attempts hash   (<sid>|<key> -> claims; <sid>|<key>|sent -> 1)
    KEYS[4]  conference done set (as written before the state's 'done' field: unused)
    KEYS[5]  conference timeline list (as written before the 'tail' field: only its length)
    KEYS[6]  conference state hash (its 'tail' and 'done' fields; read: final flag and TTL)
    ARGV[1]  member <sid>|<key>
    ARGV[2]  token of the effect key (tokens.ts)
    ARGV[3]  timeline entry (timeline-codec.ts)
    ARGV[4]  timeline cap (live)
    ARGV[5]  final TTL in seconds, for a conference that is already gone
    ARGV[6]  timeline cap once final

  Output: the number of unpacked entries, tail and list (the caller packs them every few).
]]
-- @include state-field
-- @include append-tail

redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('HDEL', KEYS[2], ARGV[1])
-- Its claim counter, and the mark of a request sent without a recorded answer (startEffect).
redis.call('HDEL', KEYS[3], ARGV[1], ARGV[1] .. '|sent')
-- The keys written here live as long as the conference: an effect completing after the
-- final commit, or after the conference expired, must not leave keys without a TTL.
local ttl = redis.call('TTL', KEYS[6])
if ttl == -2 then ttl = tonumber(ARGV[5]) end
local done = getField(KEYS[6], 'done') or ''
if not string.find(',' .. done, ',' .. ARGV[2] .. ',', 1, true) then
  setField(KEYS[6], 'done', done .. ARGV[2] .. ',')
end
-- A finished conference keeps its final cap, whatever is written after the end.
local cap = ARGV[4]
if hashGet(KEYS[6], 'final') == '1' then cap = ARGV[6] end
local n = appendTail(KEYS[6], 3, 3, tonumber(cap))
saveState(KEYS[6])
if ttl > 0 then redis.call('EXPIRE', KEYS[6], ttl) end
return n + redis.call('LLEN', KEYS[5])
