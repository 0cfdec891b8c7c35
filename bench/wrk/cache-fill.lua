-- bench/wrk/cache-fill.lua: distinct request targets that all name the same
-- catalogue page: the response cache keys on the target as sent, so each
-- spelling is cached apart (up to its bounds: 4096 entries, 64 MB per
-- snapshot version). Measures what a dashboard with many filter spellings,
-- or a careless client, does to the service's RSS.
local letters = { "e", "E", "%65", "%45", "a", "A", "%61", "%41", "r", "R", "%72", "%52" }
local n = 0
local offset = 0

local threads_made = 0
function setup(thread)
  threads_made = threads_made + 1
  thread:set("offset", threads_made * 100000)
end

function request()
  n = n + 1
  local i = n + offset
  local size = 21 + i % 80                       -- every size shows all 20 roles
  local zoek = letters[1 + math.floor(i / 80) % #letters]
  local order = math.floor(i / (80 * #letters)) % 4
  local path
  if order == 0 then
    path = "/api/v1/rollen?zoek=" .. zoek .. "&pageSize=" .. size
  elseif order == 1 then
    path = "/api/v1/rollen?pageSize=" .. size .. "&zoek=" .. zoek
  elseif order == 2 then
    path = "/api/v1/rollen?page=1&pageSize=" .. size .. "&zoek=" .. zoek
  else
    path = "/api/v1/rollen?pageSize=" .. size .. "&zoek=" .. zoek .. "&page=1"
  end
  return wrk.format("GET", path)
end
