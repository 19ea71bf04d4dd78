-- wrk script for bench/webhooks.sh: cycles through pre-signed, unique WhatsApp-shaped webhooks
-- (one line each: path TAB X-Hub-Signature-256 TAB body), each thread through its own share,
-- and counts answers by status (202 accepted, 200 duplicate once the share wraps around).
local threads = {}
local counter = 0

function setup(thread)
  thread:set("index", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

function init(args)
  local file = os.getenv("WEBHOOK_BODIES")
  local nthreads = tonumber(os.getenv("WRK_THREADS") or "1")
  requests, n, statuses = {}, 0, {}
  local i = 0
  for line in io.lines(file) do
    if i % nthreads == index then
      local path, signature, body = line:match("^([^\t]+)\t([^\t]+)\t(.*)$")
      n = n + 1
      requests[n] = wrk.format("POST", path,
        {["Content-Type"] = "application/json", ["X-Hub-Signature-256"] = signature}, body)
    end
    i = i + 1
  end
  next_request = 0
end

function request()
  next_request = next_request % n + 1
  return requests[next_request]
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local totals = {}
  for _, thread in ipairs(threads) do
    local s = thread:get("statuses")
    for status, count in pairs(s) do totals[status] = (totals[status] or 0) + count end
  end
  local parts = {}
  for status, count in pairs(totals) do table.insert(parts, status .. "=" .. count) end
  table.sort(parts)
  io.write("statuses: " .. table.concat(parts, " ") .. "\n")
end
