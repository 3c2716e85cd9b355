#!/usr/bin/env bash
# The staff pages in a real browser (part of `make test`): Debian's Chromium driven by Playwright
# (PyPI, pinned in Tests/UI/requirements.txt, installed into .build/ui-venv; it uses the system
# browser, so nothing is downloaded at run time). Starts the debug server on a new demo database;
# screenshots of every page at 1024×768 and 1920×1080 go to .build/ui-screenshots/.
set -euo pipefail
cd "$(dirname "$0")/../.."

BIN=${BIN:-.build/debug/loan-registry}
VENV=.build/ui-venv
REQUIREMENTS=Tests/UI/requirements.txt

command -v chromium > /dev/null || { echo "chromium is missing: run make deps"; exit 1; }
if ! cmp -s "$REQUIREMENTS" "$VENV/requirements.txt" 2>/dev/null; then
    echo "installing the browser test tools ($REQUIREMENTS)"
    rm -rf "$VENV"
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install --quiet --disable-pip-version-check -r "$REQUIREMENTS"
    cp "$REQUIREMENTS" "$VENV/requirements.txt"
fi

WORK=$(mktemp -d)
SERVER_PID=""
cleanup() {
    [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
export UI_BASE="http://127.0.0.1:$PORT"
export UI_DB="$WORK/registry.sqlite"
export UI_SCREENSHOTS="$PWD/.build/ui-screenshots"
"$BIN" serve --demo --db "$UI_DB" --host 127.0.0.1 --port "$PORT" --texts ./ConsentTexts --no-sign-in-slowdown \
    > "$WORK/server.out" 2> "$WORK/server.err" &
SERVER_PID=$!
for _ in $(seq 1 100); do
    curl -sf "$UI_BASE/api/v1/health" > /dev/null && break
    sleep 0.2
done
curl -sf "$UI_BASE/api/v1/health" > /dev/null || { echo "the server did not start"; cat "$WORK/server.err"; exit 1; }

"$VENV/bin/python" Tests/UI/test_staff_pages.py -v

# Everything the browser did is in the audit chain, unbroken.
kill "$SERVER_PID" && wait "$SERVER_PID" 2>/dev/null || true
SERVER_PID=""
"$BIN" verify --deep --db "$UI_DB"
