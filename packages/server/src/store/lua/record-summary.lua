--[[
  Records a conference's listing summary after a commit (listing.ts): its last-update time,
  and its summary with the time of its first commit in front, kept from the summary before.

  Input:
    KEYS[1]  listing updated zset   (conference SID -> ms of its last commit)
    KEYS[2]  listing summaries hash (conference SID -> '[createdMs,' .. rest of the summary)
    KEYS[3]  listing created zset   (conference SID -> ms of its first commit), as written
             before the summaries held that time: only read, for a conference listed then
    ARGV[1]  conference SID
    ARGV[2]  now in ms
    ARGV[3]  the summary without its first '[' and created time: ',' .. the rest, or ''
             when the stored summary still holds (only the update time moves)

  Output: 1
]]
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
if ARGV[3] == '' then return 1 end
local before = redis.call('HGET', KEYS[2], ARGV[1])
local created = before and string.match(before, '^%[(%d+),')
if not created then
  -- Kept as the string Redis replies: a score in ms is beyond fengari's 32-bit integers.
  created = redis.call('ZSCORE', KEYS[3], ARGV[1]) or ARGV[2]
end
redis.call('HSET', KEYS[2], ARGV[1], '[' .. created .. ARGV[3])
return 1
