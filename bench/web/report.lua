-- bench/web/report.lua -- wrk's summary as RESULT lines for bench/web/run.sh.
-- Only done() is defined: no per-response Lua (a response() function would
-- make wrk parse every response in Lua and slow the load generator down).
-- Latencies are wrk's, in microseconds, from its full histogram (exact
-- percentiles, not the rounded ones of --latency's text).
done = function(summary, latency, requests)
   local e = summary.errors
   io.write(string.format("RESULT requests %d\n", summary.requests))
   io.write(string.format("RESULT duration_us %d\n", summary.duration))
   io.write(string.format("RESULT bytes %d\n", summary.bytes))
   io.write(string.format("RESULT p50_us %d\n", latency:percentile(50)))
   io.write(string.format("RESULT p90_us %d\n", latency:percentile(90)))
   io.write(string.format("RESULT p99_us %d\n", latency:percentile(99)))
   io.write(string.format("RESULT max_us %d\n", latency.max))
   io.write(string.format("RESULT non2xx3xx %d\n", e.status))
   io.write(string.format("RESULT sock_errors %d\n", e.connect + e.read + e.write))
   io.write(string.format("RESULT timeouts %d\n", e.timeout))
end
