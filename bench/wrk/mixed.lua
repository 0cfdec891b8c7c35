-- bench/wrk/mixed.lua: the mixed load of the soak test, a dashboard-like
-- rotation over the read paths, conditional GETs, gap analyses and the
-- bulk benchmark. Each connection steps through the list from its own
-- starting point.
--   BENCH_BODY      file with the POST /api/v1/gap-analyses body
--   BENCH_TOKEN     bearer token with scope benchmarks.lezen
--   BENCH_ETAG      ETag of GET /api/v1/rollen/webredacteur (for the 304s)
-- done() prints one machine-readable line: BENCH key=value ...
local threads_made = 0
function setup(thread)
  -- each thread starts at another point of the rotation
  threads_made = threads_made + 1
  thread:set("start_at", threads_made * 7)
end

local body
do
  local f = assert(io.open(assert(os.getenv("BENCH_BODY"), "BENCH_BODY"), "rb"))
  body = f:read("*a")
  f:close()
end
local token = os.getenv("BENCH_TOKEN") or ""
local etag = os.getenv("BENCH_ETAG") or '"none"'

local auth = { ["Authorization"] = "Bearer " .. token }
local json = { ["Content-Type"] = "application/json" }
local inm = { ["If-None-Match"] = etag }

-- { weight, method, path, headers, body }
local mix = {
  { 4, "GET", "/api/v1/rollen" },
  { 4, "GET", "/api/v1/rollen/webredacteur", inm },
  { 2, "GET", "/api/v1/rollen?kernrol=true" },
  { 2, "GET", "/api/v1/competenties" },
  { 2, "GET", "/api/v1/gemeenten?page=2" },
  { 2, "GET", "/api/v1/gemeenten/GM0855" },
  { 1, "GET", "/api/v1/gemeenten?zoek=fryske" },
  { 1, "GET", "/api/v1/succesverhalen" },
  { 1, "GET", "/api/v1/teamprofielen?referentie=true" },
  { 1, "GET", "/api/v1" },
  { 1, "GET", "/livez" },
  { 3, "POST", "/api/v1/gap-analyses", json, body },
  { 1, "GET", "/api/v1/benchmarks", auth },
  { 1, "GET", "/api/v1/gemeenten/GM0772/benchmark", auth },
}

local requests = {}
local next_index = 1

function init(args)
  for _, m in ipairs(mix) do
    local req = wrk.format(m[2], m[3], m[4], m[5])
    for _ = 1, m[1] do requests[#requests + 1] = req end
  end
  next_index = ((start_at or 0) % #requests) + 1
end

function request()
  local req = requests[next_index]
  next_index = next_index % #requests + 1
  return req
end

function done(summary, latency, requests_)
  local e = summary.errors
  io.write(string.format(
    "BENCH requests=%d duration_us=%d rps=%.1f p50_us=%d p90_us=%d p99_us=%d max_us=%d " ..
    "bytes=%d err_connect=%d err_read=%d err_write=%d err_status=%d err_timeout=%d\n",
    summary.requests, summary.duration, summary.requests / (summary.duration / 1e6),
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
    summary.bytes, e.connect, e.read, e.write, e.status, e.timeout))
end
