-- wrk: a mix of reads for the memory run, in turn: GET /api/v1/health, one device
-- (GET /api/v1/devices/{tag}), one patient (GET /api/v1/patients/{id}, audited: a write per read)
-- and an unknown path (404). (wrk runs for its whole -d whatever a thread does, so the memory
-- run is sliced by time, not by count.)
-- Used by Benchmarks/http/run_all.py:
--   wrk -s mixed.lua -H "Authorization: Bearer T" URL -- DEVICE_TAG PATIENT_ID
-- done() prints: MIXED responses=… ok=… notfound=… unexpected=… (unexpected: any status but 200
-- and 404; run_all.py also checks that the 404s are no more than the unknown path's quarter).

local threads = {}
local thread_count = 0

function setup(thread)
    thread_count = thread_count + 1
    thread:set("tid", thread_count)
    table.insert(threads, thread)
end

local paths = {}
local n = 0
responses, unexpected, ok, notfound = 0, 0, 0, 0

function init(args)
    local tag = args[1] or "HOL-0001"
    local patient = args[2] or "P-000001"
    paths = {
        "/api/v1/health",
        "/api/v1/devices/" .. tag,
        "/api/v1/patients/" .. patient,
        "/api/v1/no-such-path",
    }
end

function request()
    n = n + 1
    return wrk.format("GET", paths[(n % 4) + 1], nil, nil)
end

function response(status, headers, body)
    responses = responses + 1
    if status == 200 then
        ok = ok + 1
    elseif status == 404 then
        notfound = notfound + 1
    else
        unexpected = unexpected + 1
    end
end

function done(summary, latency, requests)
    local r, u, o, nf = 0, 0, 0, 0
    for _, thread in ipairs(threads) do
        r = r + (thread:get("responses") or 0)
        u = u + (thread:get("unexpected") or 0)
        o = o + (thread:get("ok") or 0)
        nf = nf + (thread:get("notfound") or 0)
    end
    io.write(string.format("MIXED responses=%d ok=%d notfound=%d unexpected=%d duration_us=%d\n",
        r, o, nf, u, summary.duration))
end
