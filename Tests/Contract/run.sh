#!/usr/bin/env bash
# The API contract, checked against a live server (part of `make test`):
#   1. the OpenAPI document the server serves validates (openapi-spec-validator);
#   2. schemathesis runs every check on every operation, signed in, at least 50 examples each.
# Needs the debug build (`swift build`); installs the pinned tools into .build/contract-venv.
set -euo pipefail
cd "$(dirname "$0")/../.."

BIN=${BIN:-.build/debug/loan-registry}
EXAMPLES=${EXAMPLES:-50}
VENV=.build/contract-venv
REQUIREMENTS=Tests/Contract/requirements.txt

if ! cmp -s "$REQUIREMENTS" "$VENV/requirements.txt" 2>/dev/null; then
    echo "installing the contract tools ($REQUIREMENTS)"
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
BASE="http://127.0.0.1:$PORT"
"$BIN" serve --demo --db "$WORK/registry.sqlite" --host 127.0.0.1 --port "$PORT" --texts ./ConsentTexts --no-sign-in-slowdown \
    > "$WORK/server.out" 2> "$WORK/server.err" &
SERVER_PID=$!
for _ in $(seq 1 100); do
    curl -sf "$BASE/api/v1/health" > /dev/null && break
    sleep 0.2
done
curl -sf "$BASE/api/v1/health" > /dev/null || { echo "the server did not start"; cat "$WORK/server.err"; exit 1; }

curl -sf "$BASE/api/v1/openapi.json" -o "$WORK/openapi.json"
"$VENV/bin/openapi-spec-validator" "$WORK/openapi.json"

# The planning manager (demo account) can do everything but account administration.
TOKEN=$(curl -sf -X POST -H 'Content-Type: application/json' "$BASE/api/v1/auth/token" \
    -d '{"login":"suzuki","password":"Planning#Desk-2026"}' | python3 -c 'import json, sys; print(json.load(sys.stdin)["token"])')

# Signing out would end the token every other request uses; those two are tested in Swift.
SCHEMATHESIS=("$VENV/bin/schemathesis" --config-file Tests/Contract/schemathesis.toml run "$BASE/api/v1/openapi.json"
    --checks all --max-examples "$EXAMPLES" --seed "${SEED:-20261129}" --workers 2 --no-color --generation-database none)
status=0
echo "== every operation, as the planning manager"
"${SCHEMATHESIS[@]}" --header "Authorization: Bearer $TOKEN" \
    --exclude-operation-id deleteAuthToken --exclude-operation-id deleteAuthSession || status=1

# The administrator (password printed once at first start, changed here as its owner must) for
# the account and sign-in settings operations, which no other role may call.
INITIAL=$(sed -n 's/^ *password: *//p' "$WORK/server.out" | head -1)
NEW_PASSWORD='Contract#Check-Ledger-2026'
python3 -c 'import json, sys; print(json.dumps({"login": "admin", "currentPassword": sys.argv[1], "newPassword": sys.argv[2]}))' \
    "$INITIAL" "$NEW_PASSWORD" > "$WORK/change.json"
curl -sf -X POST -H 'Content-Type: application/json' "$BASE/api/v1/auth/password" --data-binary @"$WORK/change.json" > /dev/null \
    || { echo "could not set the administrator's password"; exit 1; }
ADMIN_TOKEN=$(curl -sf -X POST -H 'Content-Type: application/json' "$BASE/api/v1/auth/token" \
    -d "{\"login\":\"admin\",\"password\":\"$NEW_PASSWORD\"}" | python3 -c 'import json, sys; print(json.load(sys.stdin)["token"])')
echo "== account administration and sign-in settings, as the administrator"
"${SCHEMATHESIS[@]}" --header "Authorization: Bearer $ADMIN_TOKEN" --include-tag staff --include-tag security-settings || status=1

if grep -qi "fatal error\|panic\|crash" "$WORK/server.err"; then
    echo "the server logged a crash:"; cat "$WORK/server.err"; exit 1
fi
exit $status
