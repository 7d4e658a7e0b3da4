--[[
  Expires (or deletes) an index key only if it still points at the given conference: a
  worker's index may already point at a newer conference, which must keep it.

  Input:
    KEYS[1]  index key (task, worker, redial or bridge)
    ARGV[1]  conference SID
    ARGV[2]  TTL in seconds, or 0 to delete it now

  Output: 1 when expired (or deleted), 0 when the index points elsewhere or is gone.
]]
if redis.call('GET', KEYS[1]) == ARGV[1] then
  if ARGV[2] == '0' then
    redis.call('DEL', KEYS[1])
  else
    redis.call('EXPIRE', KEYS[1], ARGV[2])
  end
  return 1
end
return 0
