-- bench/run.py's load run: wrk's own figures as one JSON line after its text report.
-- Latency in microseconds. "status" is wrk's count of answers that are not 2xx/3xx; "not_200" counts
-- every answer but 200 (a 3xx here would mean the session was lost and the login page was measured).

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  not_200 = 0
  redirects = 0
end

function response(status, headers, body)
  if status ~= 200 then
    not_200 = not_200 + 1
    if status >= 300 and status < 400 then
      redirects = redirects + 1
    end
  end
end

function done(summary, latency, requests)
  local not_ok, redirected = 0, 0
  for _, thread in ipairs(threads) do
    not_ok = not_ok + thread:get("not_200")
    redirected = redirected + thread:get("redirects")
  end
  local errors = summary.errors
  io.write(string.format(
    'WRK-JSON {"requests": %d, "duration_us": %d, "p50_us": %.1f, "p99_us": %.1f, "max_us": %.1f, '
      .. '"connect": %d, "read": %d, "write": %d, "timeout": %d, "status": %d, "not_200": %d, "redirects": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99), latency.max,
    errors.connect, errors.read, errors.write, errors.timeout, errors.status, not_ok, redirected
  ))
end
