#!/usr/bin/env bash
# Crash test (make crash-test): drives the whole loan flow through the REST API with concurrent
# clients, kills the release server with SIGKILL at a random moment, and checks on the killed
# files that every acknowledged write survived, that nothing is half-written, that
# `loan-registry verify --deep` passes, and that the server restarts and serves what it
# acknowledged. Python 3 standard library only.
#
#   BIN=.build/release/loan-registry CYCLES=20 [SEED=n] [WORKERS=8] Tests/Crash/run.sh
#
# Uses ports 18300-18349. Prints the seed; SEED=n repeats the same random choices.
set -euo pipefail
cd "$(dirname "$0")/../.."
exec python3 Tests/Crash/crash_test.py "$@"
