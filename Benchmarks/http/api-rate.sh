#!/usr/bin/env bash
# Authenticated API reads at 64 connections against the release server on loopback, each as a
# ratio to the bare router (an unknown path: router and middleware only) measured in the same run:
# a device page, a patient name search (audited reads), one loan, and the OpenAPI document.
# Usage: Benchmarks/http/api-rate.sh [seconds]
set -euo pipefail
cd "$(dirname "$0")/../.."
SECONDS_PER_RUN=${1:-10}
BIN=${BIN:-.build/release/loan-registry}
PORT=${PORT:-18088}
DIR=$(mktemp -d)
"$BIN" serve --demo --db "$DIR/bench.sqlite" --port "$PORT" --texts ./ConsentTexts --log-level error >"$DIR/out.log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null; wait $PID 2>/dev/null; rm -rf "$DIR"' EXIT
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$PORT/api/v1/health" >/dev/null && break; sleep 0.1; done
BASE="http://127.0.0.1:$PORT/api/v1"
TOKEN=$(curl -sf -X POST -H 'Content-Type: application/json' "$BASE/auth/token" \
    -d '{"login":"suzuki","password":"Planning#Desk-2026"}' | python3 -c 'import json, sys; print(json.load(sys.stdin)["token"])')
PATIENT=$(curl -sf -H "Authorization: Bearer $TOKEN" "$BASE/patients?limit=1" | python3 -c 'import json, sys; print(json.load(sys.stdin)["items"][0]["id"])')
LOAN=$(curl -sf -X POST -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' "$BASE/loans" \
    -d "{\"deviceId\":\"HOL-0001\",\"patientId\":\"$PATIENT\"}" | python3 -c 'import json, sys; print(json.load(sys.stdin)["id"])')

rate() { awk '/Requests\/sec/ {print $2}'; }
non2xx() { awk '/Non-2xx/ {print $NF}'; }
bare=$(wrk -t2 -c64 -d"${SECONDS_PER_RUN}s" "http://127.0.0.1:$PORT/nothing-here" | rate)
echo "bare router (64 connections): ${bare}/s"
for target in "devices?limit=50" "patients?name=%E3%81%BF%E3%81%BB%E3%82%93" "loans/$LOAN" "openapi.json"; do
    wrk -t2 -c64 -d"${SECONDS_PER_RUN}s" -H "Authorization: Bearer $TOKEN" "$BASE/$target" >"$DIR/run.txt"
    r=$(rate <"$DIR/run.txt"); e=$(non2xx <"$DIR/run.txt"); e=${e:-0}
    awk -v r="$r" -v b="$bare" -v t="$target" -v e="$e" \
        'BEGIN { printf "GET /api/v1/%s: %s/s = %.1f %% of the bare router (non-2xx: %s)\n", t, r, 100 * r / b, e }'
done
