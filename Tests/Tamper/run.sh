#!/usr/bin/env bash
# Tampering with a stopped server's database and checkpoint folder, as an insider with the file
# would (part of `make test`): each case must make `loan-registry verify` fail and name what and
# where, or make `serve` refuse to start. Uses only python3's standard library (its sqlite3 module
# is the same system libsqlite3 the sqlite3 tool uses) and the debug binary.
set -euo pipefail
cd "$(dirname "$0")/../.."
BIN=${BIN:-.build/debug/loan-registry} exec python3 Tests/Tamper/test_tamper.py
