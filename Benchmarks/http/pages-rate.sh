#!/usr/bin/env bash
# The staff pages at 16 connections against the release server on loopback (signed in with the
# session cookie, as a browser): rate, p50 and p99 of each page, and the rate as a ratio to the
# bare router (an unknown path) measured in the same run. The goal: every page p99 ≤ 50 ms.
# Usage: Benchmarks/http/pages-rate.sh [seconds]
set -euo pipefail
cd "$(dirname "$0")/../.."
SECONDS_PER_RUN=${1:-10}
BIN=${BIN:-.build/release/loan-registry}
PORT=${PORT:-18089}
DIR=$(mktemp -d)
"$BIN" serve --demo --db "$DIR/bench.sqlite" --port "$PORT" --texts ./ConsentTexts --log-level error >"$DIR/out.log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null; wait $PID 2>/dev/null; rm -rf "$DIR"' EXIT
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$PORT/api/v1/health" >/dev/null && break; sleep 0.1; done
SITE="http://127.0.0.1:$PORT"
BASE="$SITE/api/v1"
TOKEN=$(curl -sf -X POST -H 'Content-Type: application/json' "$BASE/auth/token" \
    -d '{"login":"suzuki","password":"Planning#Desk-2026"}' | python3 -c 'import json, sys; print(json.load(sys.stdin)["token"])')
PATIENT=$(curl -sf -H "Authorization: Bearer $TOKEN" "$BASE/patients?limit=1" | python3 -c 'import json, sys; print(json.load(sys.stdin)["items"][0]["id"])')
LOAN=$(curl -sf -X POST -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' "$BASE/loans" \
    -d "{\"deviceId\":\"HOL-0001\",\"patientId\":\"$PATIENT\"}" | python3 -c 'import json, sys; print(json.load(sys.stdin)["id"])')
COOKIE=$(curl -s -o /dev/null -D - -X POST -H 'Content-Type: application/x-www-form-urlencoded' "$SITE/signin" \
    --data 'login=suzuki&password=Planning%23Desk-2026&next=%2F' | awk -F'[ ;]' 'tolower($1) == "set-cookie:" {print $2}')
[ -n "$COOKIE" ] || { echo "sign-in failed"; exit 1; }

rate() { awk '/Requests\/sec/ {print $2}'; }
non2xx() { awk '/Non-2xx/ {print $NF}'; }
# wrk's latency distribution: the 50% and 99% lines, in ms.
pct() { awk -v p="$1" '$1 == p { v = $2; if (v ~ /us$/) { sub(/us$/, "", v); v = v / 1000 } else if (v ~ /ms$/) { sub(/ms$/, "", v) } else if (v ~ /s$/) { sub(/s$/, "", v); v = v * 1000 } printf "%.2f", v }'; }
bare=$(wrk -t2 -c16 -d"${SECONDS_PER_RUN}s" "$SITE/nothing-here" | rate)
echo "bare router (16 connections): ${bare}/s"
for target in "/" "/patients/$PATIENT" "/loans/$LOAN" "/devices" "/overdue" "/loans/new"; do
    wrk -t2 -c16 -d"${SECONDS_PER_RUN}s" --latency -H "Cookie: $COOKIE" "$SITE$target" >"$DIR/run.txt"
    r=$(rate <"$DIR/run.txt"); e=$(non2xx <"$DIR/run.txt"); e=${e:-0}
    p50=$(pct 50% <"$DIR/run.txt"); p99=$(pct 99% <"$DIR/run.txt")
    name=$(echo "$target" | sed -E 's/[0-9a-f]{8}-[0-9a-f-]{27}/{id}/')
    awk -v r="$r" -v b="$bare" -v t="$name" -v e="$e" -v p50="$p50" -v p99="$p99" \
        'BEGIN { printf "GET %s: %s/s = %.1f %% of the bare router, p50 %s ms, p99 %s ms%s (non-2xx: %s)\n", t, r, 100 * r / b, p50, p99, (p99 <= 50 ? "" : " — over the 50 ms goal"), e }'
done
echo "server RSS after the run: $(awk '/VmRSS/ {print $2, $3}' /proc/$PID/status)"
