-- wrk script: requests the URL given on the command line, each connection waiting the number
-- of milliseconds given as the script's first argument between a response and its next
-- request, so that the load is a chosen fraction of the peak (wrk has no constant-rate mode).
-- At the end prints "p50_ms p99_ms requests errors".
local pause = 0

function init(args)
  pause = tonumber(args[1])
end

function delay()
  return pause
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("%.3f %.3f %d %d\n", latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.requests, e.status + e.connect + e.read + e.write + e.timeout))
end
