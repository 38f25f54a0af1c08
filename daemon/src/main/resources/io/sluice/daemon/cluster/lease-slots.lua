-- Leases message slots of one global rate: a GCRA whose theoretical arrival time (TAT, in
-- microseconds of Redis's own clock, so nodes' clocks never matter) is the key's value.
-- A node may take slots up to AHEAD microseconds in front of now; it gets at most WANT.
-- KEYS[1] the rate's key; ARGV[1] emission interval (us); ARGV[2] want; ARGV[3] ahead (us, >= interval)
-- Returns the number of slots granted (0: none before the TAT falls within AHEAD of now).
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local interval = tonumber(ARGV[1])
local want = tonumber(ARGV[2])
local ahead = tonumber(ARGV[3])
local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
if tat < now then
  tat = now
end
local room = math.floor((now + ahead - tat) / interval)
if room < 1 then
  return 0
end
local granted = math.min(want, room)
tat = tat + granted * interval
-- the key outlives its TAT by a second: after that it would say nothing GET's absence does not
redis.call('SET', KEYS[1], string.format('%.0f', tat), 'PX', math.floor((tat - now) / 1000) + 1000)
return granted
