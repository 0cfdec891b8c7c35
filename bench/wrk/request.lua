-- bench/wrk/request.lua: one request, repeated; set through the environment
-- so that bench/run.sh needs one script for every scenario.
--   BENCH_METHOD   GET (default) or POST
--   BENCH_BODY     file whose content is the request body (POST)
--   BENCH_HEADERS  extra headers, "Name: value" lines separated by "|"
-- done() prints one machine-readable line: BENCH key=value ...
wrk.method = os.getenv("BENCH_METHOD") or "GET"

local body_file = os.getenv("BENCH_BODY")
if body_file and body_file ~= "" then
  local f = assert(io.open(body_file, "rb"))
  wrk.body = f:read("*a")
  f:close()
end

for line in (os.getenv("BENCH_HEADERS") or ""):gmatch("[^|]+") do
  local name, value = line:match("^%s*([^:]+):%s*(.-)%s*$")
  if name then wrk.headers[name] = value end
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "BENCH requests=%d duration_us=%d rps=%.1f p50_us=%d p90_us=%d p99_us=%d max_us=%d " ..
    "bytes=%d err_connect=%d err_read=%d err_write=%d err_status=%d err_timeout=%d\n",
    summary.requests, summary.duration, summary.requests / (summary.duration / 1e6),
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
    summary.bytes, e.connect, e.read, e.write, e.status, e.timeout))
end
