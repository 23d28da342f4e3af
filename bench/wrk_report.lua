-- bench/load.py runs wrk with this script: one JSON line with the figures it reads.
-- WRK_THINK_MS (environment): each connection waits about that long (half to one and a
-- half times, at random) before its next request, like a person reading the page.
local think = tonumber(os.getenv("WRK_THINK_MS") or "0")
if think > 0 then
  delay = function()
    return math.random(math.floor(think / 2), math.floor(think * 3 / 2))
  end
end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRK_JSON {"requests": %d, "duration_us": %d, "bytes": %d, ' ..
    '"p50_us": %d, "p95_us": %d, "p99_us": %d, "max_us": %d, ' ..
    '"errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}}\n',
    summary.requests, summary.duration, summary.bytes,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max,
    e.connect, e.read, e.write, e.status, e.timeout))
end
