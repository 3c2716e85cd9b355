#!/usr/bin/env bash
# Faults a clinic's server meets (part of `make test`): a clean stop by SIGTERM and SIGINT, a full
# disk, a read-only file system, another process holding the write lock, and a damaged file at
# start. Each must keep a good answer: 503 with Retry-After and a stable code, or a refusal to
# start with exit 3 — never a 500, never a lost acknowledged write. Uses python3's standard
# library and the debug binary; the disk cases mount small tmpfs file systems (needs root, as CI).
set -euo pipefail
cd "$(dirname "$0")/../.."
BIN=${BIN:-.build/debug/loan-registry} exec python3 Tests/Faults/test_faults.py
