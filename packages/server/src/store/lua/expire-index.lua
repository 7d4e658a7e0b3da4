--[[
  Expires an index key only if it still points at the given conference: a worker's index
  may already point at a newer conference, which must keep it.

  Input:
    KEYS[1]  index key (task or worker)
    ARGV[1]  conference SID
    ARGV[2]  TTL in seconds

  Output: 1 when expired, 0 when the index points elsewhere or is gone.
]]
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('EXPIRE', KEYS[1], ARGV[2])
  return 1
end
return 0
