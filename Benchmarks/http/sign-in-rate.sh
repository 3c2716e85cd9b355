#!/usr/bin/env bash
# Sign-in rate (Argon2id verification + session write) at 16 connections against the release
# server on loopback, as a ratio to the bare router (an unknown path: router and middleware only)
# measured in the same run. Usage: Benchmarks/http/sign-in-rate.sh [seconds]
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

rate() { awk '/Requests\/sec/ {print $2}'; }
latency() { awk '/^ +50%/ {p50=$2} /^ +99%/ {p99=$2} END {print "p50 " p50 ", p99 " p99}'; }
bare=$(wrk -t2 -c64 -d"${SECONDS_PER_RUN}s" --latency "http://127.0.0.1:$PORT/nothing-here" | tee "$DIR/bare.txt" | rate)
wrk -t2 -c16 -d"${SECONDS_PER_RUN}s" --latency -s Benchmarks/http/sign-in.lua "http://127.0.0.1:$PORT/api/v1/auth/token" >"$DIR/signin.txt"
signin=$(rate <"$DIR/signin.txt")
errors=$(awk '/Non-2xx/ {print $NF}' "$DIR/signin.txt"); errors=${errors:-0}
echo "bare router (64 connections): ${bare}/s, $(latency <"$DIR/bare.txt")"
echo "sign-in (16 connections): ${signin}/s, $(latency <"$DIR/signin.txt"), non-2xx responses: ${errors}"
awk -v s="$signin" -v b="$bare" 'BEGIN { printf "sign-in / bare router: %.4f (%.2f %%)\n", s / b, 100 * s / b }'
echo "server RSS after the run: $(awk '/VmRSS/ {print $2, $3}' /proc/$PID/status)"
