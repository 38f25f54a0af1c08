-- Reserves connection slots of one global cap for one node. The hash holds one field per node,
-- "count:expiresAtMillis"; an entry past its expiry (a node that stopped renewing: dead, or cut
-- off from Redis) no longer counts and is removed, so its slots come back to the others.
-- KEYS[1] the cap's hash; ARGV[1] node id; ARGV[2] slots wanted; ARGV[3] the cap; ARGV[4] node ttl (ms)
-- Returns the slots this node now holds: what it wanted, within what the others left.
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local node = ARGV[1]
local want = tonumber(ARGV[2])
local cap = tonumber(ARGV[3])
local ttl = tonumber(ARGV[4])
local others = 0
local entries = redis.call('HGETALL', KEYS[1])
for i = 1, #entries, 2 do
  local field = entries[i]
  if field ~= node then
    local value = entries[i + 1]
    local sep = string.find(value, ':', 1, true)
    local count = tonumber(string.sub(value, 1, sep - 1))
    local expires = tonumber(string.sub(value, sep + 1))
    if expires <= now then
      redis.call('HDEL', KEYS[1], field)
    else
      others = others + count
    end
  end
end
local mine = math.max(0, math.min(want, cap - others))
if mine > 0 then
  redis.call('HSET', KEYS[1], node, mine .. ':' .. string.format('%.0f', now + ttl))
  redis.call('PEXPIRE', KEYS[1], ttl)
else
  redis.call('HDEL', KEYS[1], node)
end
return mine
