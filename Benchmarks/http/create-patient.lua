-- wrk: POST /api/v1/patients, a different valid patient in every request (the durable create).
-- Used by Benchmarks/http/run_all.py:
--   wrk -s create-patient.lua -H "Authorization: Bearer T" URL/api/v1/patients -- RUNTAG
-- Patient numbers are BC<RUNTAG>-<thread>-<counter>: unique within a run, and RUNTAG keeps
-- runs on the same database apart. Any 409 (duplicate) or 422 (invalid) shows as non-2xx.

local threads = {}
local thread_count = 0

function setup(thread)
    thread_count = thread_count + 1
    thread:set("tid", thread_count)
    table.insert(threads, thread)
end

local counter = 0
local runtag = "0"

function init(args)
    runtag = args[1] or "0"
    wrk.method = "POST"
    wrk.headers["Content-Type"] = "application/json"
end

local kana = { "ア", "イ", "ウ", "エ", "オ", "カ", "キ", "ク", "ケ", "コ" }

function request()
    counter = counter + 1
    local t = tid or 0
    local digit = kana[(counter % 10) + 1]
    local body = string.format(
        '{"patientNumber":"BC%s-%d-%d","name":"負荷 %d-%d","nameKana":"フカ %s%s","phone":"03-%04d-%04d","language":"ja"}',
        runtag, t, counter, t, counter, digit, kana[(math.floor(counter / 10) % 10) + 1],
        t, counter % 10000)
    return wrk.format("POST", nil, nil, body)
end
