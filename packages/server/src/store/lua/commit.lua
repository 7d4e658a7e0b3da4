--[[
  Commits one step of a conference's recovery atomically: snapshot + version, timeline,
  outbox effects, timers, consumed delivery ids, and the final TTL.

  Portable on purpose: it runs on Redis (Lua 5.1) and on ioredis-mock (fengari, Lua 5.3 with
  32-bit integers, no cjson). So it uses only string/hash/list/set/zset commands, treats JSON
  as opaque strings built in TypeScript, and never does arithmetic on millisecond timestamps
  (scores arrive as strings and go to ZADD untouched).

  Input:
    KEYS[1]  conference state hash      (version, snapshot, final, timeline, tail, indexes,
                                         done, seen, summary)
    KEYS[2]  conference timeline list   (as written before the state's 'tail' field: its
                                         entries come before the tail's; capped, then packed)
    KEYS[3]  conference seen set        (tokens of consumed delivery ids, as written before
                                         they became the state's 'seen' field: only checked,
                                         dropped by the final commit)
    KEYS[4]  conference done set        (tokens of completed effect keys, as written before
                                         they became the state's 'done' field: only read)
    KEYS[5]  conference timers set      (pending timer ids)
    KEYS[6]  conference indexes set     (index names, as written before they became the
                                         state's 'indexes' field: read once final, then gone)
    KEYS[7]  shard outbox zset          (<sid>|<key> -> due ms)
    KEYS[8]  shard effects hash         (<sid>|<key> -> effect JSON)
    KEYS[9]  shard timers zset          (<sid>|<id> -> due ms)
    KEYS[10] shard timer-events hash    (<sid>|<id> -> event JSON)

    ARGV[1]  conference SID
    ARGV[2]  expected version (0 = create)
    ARGV[3]  snapshot (snapshot-codec.ts, packed: packing.ts; bytes behind 0xFF on a binary
             store, stored in pieces cut anywhere: state-field.lua)
    ARGV[4]  final: '1' or '0'
    ARGV[5]  final TTL in seconds
    ARGV[6]  timeline cap (entries kept while live)
    ARGV[7]  id of the timer this commit fires, '' for none
    ARGV[8..13]  counts: timeline entries, effects, timers to schedule, timers to cancel,
                 dedupe ids, index names
    ARGV[14] live TTL in seconds: the most a conference that never reaches a final state
             lives after its last commit
    ARGV[15] timeline cap once final (entries kept for audit)
    ARGV[16] seen cap: the newest consumed delivery ids kept while live
    ARGV[17] characters of a seen token (tokens.ts seenToken)
    ARGV[18] the inspector's summary of the conference without its created time in front
             (summary-codec.ts): compact ('~' ..), or JSON without its '[' and created time
             (',' ..), or '' when the stored one still holds
    ARGV[19] now in ms: the created time of a conference's first summary
    ARGV[20] the timeline packed by the caller ('' for none): the 'timeline' field's entries,
             then the tail's, then this commit's, the newest ARGV[6] (packing.ts). It
             replaces both fields, and this commit's entries are not appended, only when the
             fields hold what the caller packed (ARGV[21], ARGV[22]), the conference is live
             and no timeline list of the layout before exists: else the entries are
             appended as without it. So a caller that knows the timeline it last wrote packs
             it in the commit, instead of reading it back and packing it afterwards
             (compact-timeline.lua: three more round trips).
    ARGV[21] the 'timeline' field the caller packed from ('' when absent)
    ARGV[22] the 'tail' field the caller packed from ('' when absent)
    then, in that order: timeline entries (timeline-codec.ts); effect (key, token, due ms,
    JSON) quadruples; timer (id, due ms, event JSON) triples; cancelled timer ids; dedupe
    (id, set token, seen token) triples; index names.

  Sets written before tokens hold the ids themselves: membership checks look for both.
  The consumed delivery ids are the state's 'seen' field: their seen tokens, fixed width, one
  after the other, the newest ARGV[16] kept (a redelivery comes within minutes, not hundreds
  of events later); a set of its own cost a key and about 330 bytes.
  The listing's summary is the state's 'summary' field, its created ms in front (after a '['
  in the JSON form), kept from the summary before (listing.ts reads it): a hash of summaries in the
  {idx} slot cost about 260 bytes a conference, and was one step behind after a crash.
  The tokens of completed effect keys are the state's 'done' field, each followed by a comma
  (complete-effect.lua): a set of its own cost a key and about 180 bytes.
  The index names pointing at the conference are one field of the state hash, each name
  followed by a newline (names never hold one: redis-store.ts checks): a set of its own cost
  a key and about 300 bytes.
  The state hash is read once and written once (state-field.lua), and the keys of the layout
  before are only touched when one of them exists: a webhook's commit was about 35 calls, one
  for each piece of each field, and most of its Redis time.
  A final commit drops what only a live conference needs: the seen ids (a final chart
  ignores every event, so a redelivery changes nothing), the index-name set (its names are
  returned for expiry now), and timeline entries beyond the final cap.

  Output:
    {newVersion, unpacked, packed, indexName...}
                                committed; the number of unpacked entries (tail and list)
                                tells the caller when to pack them (compact-timeline.lua);
                                packed is 1 when ARGV[20] was written, else 0;
                                index names are returned only when
                                final, so the caller can expire those indexes (another slot).
    {-1, currentVersion}        conflict: the version moved on
    {-2, currentVersion}        duplicate: a dedupe id was already consumed
    {-3, currentVersion}        timer-gone: the fired timer was cancelled or already fired
    {-4, currentVersion}        exists: create of a conference that exists
]]
-- ioredis-mock reads a reply table as an array only if its keys were inserted last to first,
-- so replies are copied that way (harmless on Redis). Reply arrays of redis.call are walked
-- with numeric loops: ipairs does not work on the mock's array proxies.
local function reply(items)
  local out = {}
  for i = #items, 1, -1 do out[i] = items[i] end
  return out
end

local sid = ARGV[1]
local expected = tonumber(ARGV[2])
local final = ARGV[4] == '1'
local cap = tonumber(ARGV[6])
local firesTimer = ARGV[7]
local nTimeline = tonumber(ARGV[8])
local nEffects = tonumber(ARGV[9])
local nSchedule = tonumber(ARGV[10])
local nCancel = tonumber(ARGV[11])
local nDedupe = tonumber(ARGV[12])
local nIndexes = tonumber(ARGV[13])

local liveTtl = tonumber(ARGV[14])
local finalCap = tonumber(ARGV[15])
local seenCap = tonumber(ARGV[16])
local tokenLength = tonumber(ARGV[17])

local summary = ARGV[18]
local now = ARGV[19]

local packedTimeline = ARGV[20]

local timelineAt = 22
local effectsAt = timelineAt + nTimeline
local scheduleAt = effectsAt + 4 * nEffects
local cancelAt = scheduleAt + 3 * nSchedule
local dedupeAt = cancelAt + nCancel
local indexesAt = dedupeAt + 3 * nDedupe

-- @include state-field
-- @include append-tail

-- Whether any key of the layout before exists (the timeline list, the seen, done and
-- indexes sets): a conference written since has none, and then none is read or written here,
-- which saves most of a commit's calls.
local legacy = redis.call('EXISTS', KEYS[2], KEYS[3], KEYS[4], KEYS[6]) > 0

local function isMember(key, id, token)
  if not legacy then return false end
  return redis.call('SISMEMBER', key, token) == 1 or redis.call('SISMEMBER', key, id) == 1
end

-- Whether the seen field holds the token: only at a token's start counts.
local function seenIn(seen, token)
  local at = string.find(seen, token, 1, true)
  while at and (at - 1) % tokenLength ~= 0 do
    at = string.find(seen, token, at + 1, true)
  end
  return at ~= nil
end

local current = hashGet(KEYS[1], 'version')
local currentVersion = 0
if current then currentVersion = tonumber(current) end

-- Checks, before any write. A duplicate or a vanished timer is final for the caller (no
-- retry helps), so they come before the version checks, which invite a reload and retry.
local seen = nDedupe > 0 and getField(KEYS[1], 'seen') or ''
for i = 0, nDedupe - 1 do
  if seenIn(seen, ARGV[dedupeAt + 3 * i + 3])
    or isMember(KEYS[3], ARGV[dedupeAt + 3 * i + 1], ARGV[dedupeAt + 3 * i + 2]) then
    return {-2, currentVersion}
  end
end
if firesTimer ~= '' and not redis.call('ZSCORE', KEYS[9], sid .. '|' .. firesTimer) then
  return {-3, currentVersion}
end
if expected == 0 and current then
  return {-4, currentVersion}
end
if expected ~= currentVersion then
  return {-1, currentVersion}
end

-- The TTL the conference keys end up with: a final commit sets the final TTL; a commit
-- after a final one keeps the state's (a stray event does not make the conference live
-- again); any other commit renews the live TTL, so a conference that never reaches a final
-- state (a lost callback) still goes away once it has been quiet that long.
local wasFinal = hashGet(KEYS[1], 'final') == '1'
local ttl = liveTtl
if final then
  ttl = tonumber(ARGV[5])
elseif wasFinal then
  ttl = redis.call('TTL', KEYS[1])
end

local version = currentVersion + 1
hashSet(KEYS[1], 'version', tostring(version))
hashSet(KEYS[1], 'final', final and '1' or '0')
setField(KEYS[1], 'snapshot', ARGV[3])

if summary ~= '' then
  local before = getField(KEYS[1], 'summary')
  -- Kept as a string: a time in ms is beyond fengari's 32-bit integers.
  local created = before and string.match(before, '^%[?(%d+)') or now
  if string.sub(summary, 1, 1) == ',' then created = '[' .. created end
  setField(KEYS[1], 'summary', created .. summary)
end

local unpacked = 0
local packed = packedTimeline ~= '' and not final and not wasFinal and not legacy
  and (getField(KEYS[1], 'timeline') or '') == ARGV[21]
  and (getField(KEYS[1], 'tail') or '') == ARGV[22]
if packed then
  setField(KEYS[1], 'timeline', packedTimeline)
  setField(KEYS[1], 'tail', '')
elseif nTimeline > 0 then
  unpacked = appendTail(KEYS[1], timelineAt + 1, timelineAt + nTimeline, cap)
end

local function dropTimer(id)
  local m = sid .. '|' .. id
  redis.call('ZREM', KEYS[9], m)
  redis.call('HDEL', KEYS[10], m)
  redis.call('SREM', KEYS[5], id)
end

if firesTimer ~= '' then dropTimer(firesTimer) end
-- Cancels before schedules: re-entering a state exits (cancel) then enters (schedule) with
-- the same timer id, and the new timer must survive.
for i = 1, nCancel do
  dropTimer(ARGV[cancelAt + i])
end
for i = 0, nSchedule - 1 do
  local id = ARGV[scheduleAt + 3 * i + 1]
  local m = sid .. '|' .. id
  redis.call('ZADD', KEYS[9], ARGV[scheduleAt + 3 * i + 2], m)
  redis.call('HSET', KEYS[10], m, ARGV[scheduleAt + 3 * i + 3])
  redis.call('SADD', KEYS[5], id)
end

local done = getField(KEYS[1], 'done') or ''
-- An effect key is enqueued at most once: not again while queued, nor after it completed.
for i = 0, nEffects - 1 do
  local key = ARGV[effectsAt + 4 * i + 1]
  local m = sid .. '|' .. key
  local token = ARGV[effectsAt + 4 * i + 2]
  if not string.find(',' .. done, ',' .. token .. ',', 1, true)
    and not isMember(KEYS[4], key, token)
    and not redis.call('ZSCORE', KEYS[7], m) then
    redis.call('ZADD', KEYS[7], ARGV[effectsAt + 4 * i + 3], m)
    redis.call('HSET', KEYS[8], m, ARGV[effectsAt + 4 * i + 4])
  end
end

if not final and nDedupe > 0 then
  for i = 0, nDedupe - 1 do seen = seen .. ARGV[dedupeAt + 3 * i + 3] end
  setField(KEYS[1], 'seen', string.sub(seen, -seenCap * tokenLength))
end
if nIndexes > 0 then
  local names = getField(KEYS[1], 'indexes') or ''
  local before = names
  for i = 1, nIndexes do
    local name = ARGV[indexesAt + i] .. '\n'
    -- Each name ends with a newline, so a match at the start or after a newline is whole.
    local at = string.find(names, name, 1, true)
    while at and at > 1 and string.sub(names, at - 1, at - 1) ~= '\n' do
      at = string.find(names, name, at + 1, true)
    end
    if not at then names = names .. name end
  end
  if names ~= before then setField(KEYS[1], 'indexes', names) end
end

local result = {version, 0, packed and 1 or 0}
if final then
  -- A finished recovery fires no timer, whatever the chart forgot to cancel.
  local pending = redis.call('SMEMBERS', KEYS[5])
  for i = 1, #pending do dropTimer(pending[i]) end
  local names = getField(KEYS[1], 'indexes') or ''
  for name in string.gmatch(names, '([^\n]+)\n') do result[#result + 1] = name end
  local legacyNames = legacy and redis.call('SMEMBERS', KEYS[6]) or {}
  for i = 1, #legacyNames do result[#result + 1] = legacyNames[i] end
  delField(KEYS[1], 'indexes')
  delField(KEYS[1], 'seen')
  if legacy then
    redis.call('DEL', KEYS[3], KEYS[6])
    redis.call('LTRIM', KEYS[2], -finalCap, -1)
  end
  unpacked = appendTail(KEYS[1], 1, 0, finalCap)
end
result[2] = unpacked + (legacy and redis.call('LLEN', KEYS[2]) or 0)
saveState(KEYS[1])

-- The keys of the layout before only when one of them exists (a missing key has no TTL).
for i = 1, 6 do
  if i == 1 or i == 5 or legacy then
    if ttl > 0 then
      redis.call('EXPIRE', KEYS[i], ttl)
    else
      redis.call('PERSIST', KEYS[i])
    end
  end
end

return reply(result)
