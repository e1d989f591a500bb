-- wrk script: POST one JSON survey response per request and print the figures that matter.
wrk.method = "POST"
wrk.path = "/s/demo/responses"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"answers":{"Q60":"good","Q62A":"tend_to_agree","Q62B":"strongly_agree",' ..
           '"Q62C":"neither","NQ135BD":"tend_to_disagree","Q131":"fairly_well",' ..
           '"ward":"dalston","age":"25_34","gender":"woman","ethnicity":"black"},' ..
           '"src":"bench"}'

done = function(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local ok = summary.requests - summary.errors.status - summary.errors.connect -
             summary.errors.read - summary.errors.write - summary.errors.timeout
  io.write(string.format("RESULT durable_per_s=%.0f p50_ms=%.2f p99_ms=%.2f requests=%d " ..
                         "non_2xx=%d socket_errors=%d\n",
    ok / seconds, latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.requests, summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
