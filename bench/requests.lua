-- wrk script of bench/run.sh. Configured by environment variables (read in every wrk thread):
--   BENCH_MODE     duplicate (POST .../duplicate, default) | get (GET the message) | unauth (POST .../duplicate, unknown token: 401)
--   BENCH_PAIRS    file of "conversationId messageId" lines (the seeded agent messages); each request picks one at random
--   BENCH_TOKEN    bearer token
--   BENCH_PACE_MS  0 (default): requests back to back; > 0: each connection waits a random 0..2*BENCH_PACE_MS ms
--                  between its requests (wrk's delay()), so the offered rate is about connections / (pace + latency)
--   BENCH_COUNT    1: count the replies by status (and "status":"sent"/"error" in 200 bodies) in response();
--                  else (less work for wrk) only wrk's own counts: s200 = completed replies - replies >= 400
-- done() prints one line: RESULT key=value ... (latency percentiles in ms, counts of replies by status).

local mode = os.getenv("BENCH_MODE") or "duplicate"
local pairs_file = os.getenv("BENCH_PAIRS")
local token = os.getenv("BENCH_TOKEN") or ""
local pace = tonumber(os.getenv("BENCH_PACE_MS") or "0")
local count = os.getenv("BENCH_COUNT") == "1"

local threads = {}
local thread_count = 0

function setup(thread)
   thread_count = thread_count + 1
   thread:set("id", thread_count)
   table.insert(threads, thread)
end

local ids = {}
local n_ids = 0
-- globals, so that done() can read them from every thread with thread:get
s200, s401, s404, s4xx, s5xx, sother, sent, errstatus = 0, 0, 0, 0, 0, 0, 0, 0

function init(args)
   math.randomseed(os.time() * 1000 + (id or 0) * 7919)
   for line in io.lines(pairs_file) do
      local c, m = line:match("^(%d+)%s+(%d+)")
      if c then
         n_ids = n_ids + 1
         ids[n_ids] = { c, m }
      end
   end
   assert(n_ids > 0, "no pairs in " .. tostring(pairs_file))
end

local auth_ok = { ["Authorization"] = "Bearer " .. token }
local auth_bad = { ["Authorization"] = "Bearer not-a-known-token" }

function request()
   local pair = ids[math.random(n_ids)]
   local path = "/third-party/v1/conversations/" .. pair[1] .. "/messages/" .. pair[2]
   if mode == "get" then
      return wrk.format("GET", path, auth_ok, nil)
   elseif mode == "unauth" then
      return wrk.format("POST", path .. "/duplicate", auth_bad, nil)
   end
   return wrk.format("POST", path .. "/duplicate", auth_ok, nil)
end

if pace > 0 then
   function delay()
      return math.random(0, 2 * pace)
   end
end

local function count_reply(status, headers, body)
   if status == 200 then
      s200 = s200 + 1
      if mode == "duplicate" then
         if body:find('"status":"sent"', 1, true) then
            sent = sent + 1
         elseif body:find('"status":"error"', 1, true) then
            errstatus = errstatus + 1
         end
      end
   elseif status == 401 then
      s401 = s401 + 1
   elseif status == 404 then
      s404 = s404 + 1
   elseif status >= 400 and status < 500 then
      s4xx = s4xx + 1
   elseif status >= 500 then
      s5xx = s5xx + 1
   else
      sother = sother + 1
   end
end

if count then
   response = count_reply
end

function done(summary, latency, requests)
   local t = { s200 = 0, s401 = 0, s404 = 0, s4xx = 0, s5xx = 0, sother = 0, sent = 0, errstatus = 0 }
   for _, thread in ipairs(threads) do
      for k, _ in pairs(t) do
         t[k] = t[k] + (thread:get(k) or 0)
      end
   end
   local e = summary.errors
   if not count then
      t.s200 = summary.requests - e.status
      t.s4xx = e.status
   end
   local seconds = summary.duration / 1e6
   io.write(string.format(
      "RESULT mode=%s counted=%s requests=%d seconds=%.2f rps=%.1f p50_ms=%.2f p95_ms=%.2f p99_ms=%.2f max_ms=%.2f "
         .. "connect_err=%d read_err=%d write_err=%d timeout_err=%d status_err=%d "
         .. "s200=%d s401=%d s404=%d s4xx=%d s5xx=%d sother=%d sent=%d errstatus=%d\n",
      mode, tostring(count), summary.requests, seconds, summary.requests / seconds,
      latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
      e.connect, e.read, e.write, e.timeout, e.status,
      t.s200, t.s401, t.s404, t.s4xx, t.s5xx, t.sother, t.sent, t.errstatus))
end
