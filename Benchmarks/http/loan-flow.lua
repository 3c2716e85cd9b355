-- wrk: the whole loan flow, each loan through its four steps:
--   POST /api/v1/loans                      (draft, with its explanation)
--   POST /api/v1/loans/{id}/consent         (granted, naming the explanation's SHA-256)
--   POST /api/v1/loans/{id}/contact-sheet   (the contact sheet given)
--   POST /api/v1/loans/{id}/handover        (active: one loan done)
-- Used by Benchmarks/http/run_all.py:
--   wrk -s loan-flow.lua -H "Authorization: Bearer T" URL -- DEVICE_PREFIX BASE PER_THREAD PATIENT_PREFIX PATIENTS EXPLAINED_BY
-- Thread k (1-based) lends the devices DEVICE_PREFIX%06d numbered BASE+(k-1)*PER_THREAD+1 .. BASE+k*PER_THREAD
-- (registered beforehand, each available) to the patients PATIENT_PREFIX%04d 1..PATIENTS in turn.
--
-- wrk does not say which connection a response came back on, so each answer names its loan:
-- a draft loan (status "draft": its explanation's loanId and sha256), a consent (loanId), a
-- loan with the contact sheet given (status "consented"), a loan handed over (status "active").
-- response() puts the loan's next step on this thread's queue; request() takes the next step
-- from the queue if there is one, else starts a new loan. done() prints one line that
-- run_all.py reads: LOANFLOW handovers=… started=… failed=… exhausted=… idle=… duration_us=…

local threads = {}
local thread_count = 0

function setup(thread)
    thread_count = thread_count + 1
    thread:set("tid", thread_count)
    table.insert(threads, thread)
end

-- per-thread state (each wrk thread has its own Lua state)
local queue = {}          -- pending requests: { path, body }
local qhead, qtail = 1, 0
local device_prefix, per_thread, patient_prefix, patients, explained_by
local next_device, last_device = 1, 0
handovers, started, failed, idle, exhausted = 0, 0, 0, 0, 0

function init(args)
    device_prefix = args[1] or "BLF-"
    local base = tonumber(args[2] or "0")
    per_thread = tonumber(args[3] or "0")
    patient_prefix = args[4] or "BLP-"
    patients = tonumber(args[5] or "1")
    explained_by = args[6] or "suzuki"
    local t = tid or 1
    next_device = base + (t - 1) * per_thread + 1
    last_device = base + t * per_thread
    wrk.headers["Content-Type"] = "application/json"
end

local function push(path, body)
    qtail = qtail + 1
    queue[qtail] = { path, body }
end

local function pop()
    if qhead > qtail then return nil end
    local item = queue[qhead]
    queue[qhead] = nil
    qhead = qhead + 1
    return item
end

function request()
    local step = pop()
    if step then
        return wrk.format("POST", step[1], nil, step[2])
    end
    if next_device <= last_device then
        local body = string.format('{"deviceId":"%s%06d","patientId":"%s%04d"}',
            device_prefix, next_device, patient_prefix, ((started % patients) + 1))
        next_device = next_device + 1
        started = started + 1
        return wrk.format("POST", "/api/v1/loans", nil, body)
    end
    -- no device left for this thread: keep the connection busy with a cheap read, and say so
    exhausted = 1
    idle = idle + 1
    return wrk.format("GET", "/api/v1/health", nil, nil)
end

function response(status, headers, body)
    if status < 200 or status > 299 then
        failed = failed + 1
        return
    end
    if body == nil then return end
    local loan = string.match(body, '"loanId":"([0-9a-f%-]+)"')
    if loan == nil then return end   -- the health answer while exhausted
    if string.find(body, '"recordedBy"', 1, true) and string.find(body, '"decision":"granted"', 1, true)
        and not string.find(body, '"status":', 1, true) then
        -- a consent: the contact sheet next
        push("/api/v1/loans/" .. loan .. "/contact-sheet", "{}")
    elseif string.find(body, '"status":"draft"', 1, true) then
        local sha = string.match(body, '"sha256":"(%x+)"')
        push("/api/v1/loans/" .. loan .. "/consent", string.format(
            '{"explanationSha256":"%s","signer":{"kind":"self","name":"負荷 太郎"},"decision":"granted",' ..
            '"explainedBy":"%s","signature":{"method":"paper","scanReference":"BENCH-%s"},"copyGiven":true}',
            sha, explained_by, string.sub(loan, 1, 8)))
    elseif string.find(body, '"status":"consented"', 1, true) then
        push("/api/v1/loans/" .. loan .. "/handover", "{}")
    elseif string.find(body, '"status":"active"', 1, true) then
        handovers = handovers + 1
    end
end

function done(summary, latency, requests)
    local h, s, f, i, e = 0, 0, 0, 0, 0
    for _, thread in ipairs(threads) do
        h = h + (thread:get("handovers") or 0)
        s = s + (thread:get("started") or 0)
        f = f + (thread:get("failed") or 0)
        i = i + (thread:get("idle") or 0)
        e = e + (thread:get("exhausted") or 0)
    end
    io.write(string.format("LOANFLOW handovers=%d started=%d failed=%d exhausted=%d idle=%d duration_us=%d\n",
        h, s, f, e, i, summary.duration))
end
