-- wrk script: walks a file of pre-built signed requests ("path?query<TAB>body" per line).
-- Thread k of n sends lines k, k+n, k+2n ... so no request is sent twice while the file lasts;
-- after that it starts over and counts an overrun (the app would answer retries from cache).
-- Usage: wrk ... -s walk.lua URL -- FILE EXPECT NTHREADS
-- A reply counts as bad unless its status is 200 and its body contains EXPECT.

local threads, counter = {}, 0

function setup(thread)
  counter = counter + 1
  thread:set("id", counter)
  table.insert(threads, thread)
end

function init(args)
  local file, nthreads = args[1], tonumber(args[3])
  expect = args[2]
  reqs, pos, good, bad, overrun, samples = {}, 0, 0, 0, 0, ""
  local headers = { ["Content-Type"] = "text/xml" }
  local n = 0
  for line in io.lines(file) do
    if n % nthreads == id - 1 then
      local path, body = line:match("^([^\t]*)\t(.*)$")
      table.insert(reqs, wrk.format("POST", path, headers, body))
    end
    n = n + 1
  end
end

function request()
  pos = pos + 1
  if pos > #reqs then
    pos, overrun = 1, overrun + 1
  end
  return reqs[pos]
end

function response(status, headers, body)
  if status == 200 and body:find(expect, 1, true) then
    good = good + 1
  else
    bad = bad + 1
    if bad <= 3 then
      local excerpt = body:sub(1, 300):gsub("\n", " ")
      samples = samples .. "BENCH_SAMPLE " .. status .. " " .. excerpt .. "\n"
    end
  end
end

function done(summary, latency, requests)
  local good_total, bad_total, overrun_total = 0, 0, 0
  for _, thread in ipairs(threads) do
    good_total = good_total + thread:get("good")
    bad_total = bad_total + thread:get("bad")
    overrun_total = overrun_total + thread:get("overrun")
    io.write(thread:get("samples"))
  end
  local e = summary.errors
  io.write(string.format(
    "BENCH requests=%d duration_us=%d p50_us=%d p99_us=%d max_us=%d good=%d bad=%d " ..
    "overrun=%d connect=%d read=%d write=%d status=%d timeout=%d\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    latency.max, good_total, bad_total, overrun_total, e.connect, e.read, e.write,
    e.status, e.timeout))
end
