"""Issue 14's tampering cases, each done on a copy of a stopped server's files.

A pristine clinic is made once: the demo clinic, a loan through the whole gate (consent with a
signer's name, contact sheet, hand-over), patient reads by staff, then a clean stop (which writes
the shutdown checkpoint). Each case copies it, tampers, and checks what `verify` or `serve` says.
"""
import hashlib
import json
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.request

BIN = os.path.abspath(os.environ.get("BIN", ".build/debug/loan-registry"))
TEXTS = os.path.abspath("ConsentTexts")
STAFF = ("sato", "Counter#Desk-2026")
ROOT = tempfile.mkdtemp(prefix="tamper-")
PRISTINE = os.path.join(ROOT, "pristine")
failures = []


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def start(folder, *extra):
    port = free_port()
    err = open(os.path.join(folder, "server.err"), "w")
    process = subprocess.Popen([BIN, "serve", "--db", os.path.join(folder, "r.sqlite"), "--texts", TEXTS,
                                "--port", str(port), "--no-sign-in-slowdown", *extra],
                               stdout=subprocess.DEVNULL, stderr=err)
    base = f"http://127.0.0.1:{port}/api/v1"
    for _ in range(150):
        if process.poll() is not None:
            return process, None
        try:
            urllib.request.urlopen(base + "/health", timeout=1)
            return process, base
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("server did not start")


def stop(process):
    process.send_signal(signal.SIGTERM)
    process.wait(timeout=30)


def call(base, method, path, body=None, token=None):
    request = urllib.request.Request(base + path, method=method,
                                     data=json.dumps(body).encode() if body is not None else None,
                                     headers={"Content-Type": "application/json",
                                              **({"Authorization": f"Bearer {token}"} if token else {})})
    with urllib.request.urlopen(request) as response:
        return json.load(response)


def make_pristine():
    os.makedirs(PRISTINE)
    process, base = start(PRISTINE, "--demo")
    token = call(base, "POST", "/auth/token", {"login": STAFF[0], "password": STAFF[1]})["token"]
    device = call(base, "GET", "/devices/HOL-0001", token=token)["id"]
    patients = [call(base, "GET", f"/patients?patientNumber=P-00000{n}", token=token)["items"][0]["id"] for n in (1, 2, 3)]
    for patient in patients:
        call(base, "GET", f"/patients/{patient}", token=token)
    loan = call(base, "POST", "/loans", {"deviceId": device, "patientId": patients[0]}, token=token)
    call(base, "POST", f"/loans/{loan['id']}/consent", {
        "explanationSha256": loan["explanation"]["sha256"], "signer": {"kind": "self", "name": "見本 花子"},
        "decision": "granted", "explainedBy": "sato", "signature": {"method": "paper", "scanReference": "SCAN-0001"}},
        token=token)
    call(base, "POST", f"/loans/{loan['id']}/contact-sheet", {}, token=token)
    call(base, "POST", f"/loans/{loan['id']}/handover", token=token)
    stop(process)


def copy(name):
    folder = os.path.join(ROOT, name)
    shutil.copytree(PRISTINE, folder)
    return folder


def db(folder):
    connection = sqlite3.connect(os.path.join(folder, "r.sqlite"), isolation_level=None)
    return connection


def verify(folder, *extra):
    result = subprocess.run([BIN, "verify", "--deep", "--db", os.path.join(folder, "r.sqlite"), "--texts", TEXTS, *extra],
                            capture_output=True, text=True)
    return result.returncode, result.stdout + result.stderr


def expect(name, condition, output):
    if condition:
        print(f"ok   {name}")
    else:
        print(f"FAIL {name}\n{output}")
        failures.append(name)


def expect_verify_fails(name, folder, *needles, extra=()):
    code, output = verify(folder, *extra)
    expect(name, code == 1 and all(needle in output for needle in needles), output)


def canonical_hash(previous, seq, occurred_at, actor, action, entity_type, entity_id, details):
    form = "".join(f"{len(str(v).encode())}:{v}\n" for v in (seq, occurred_at, actor, action, entity_type, entity_id, details))
    return hashlib.sha256((previous + form).encode()).hexdigest()


def rewrite_chain(connection, events):
    """Replaces the whole chain with `events` (seq, at, actor, action, type, id, details), re-hashed
    from genesis, and moves the head: what an insider with the file and the source code can do."""
    saved = drop_triggers(connection, "audit_events_no_delete", "audit_events_no_update", "audit_events_extend_head",
                          "audit_events_move_head", "audit_chain_head_forward_only")
    connection.execute("BEGIN")
    connection.execute("DELETE FROM audit_events")
    previous = "0" * 64
    for seq, event in enumerate(events, start=1):
        digest = canonical_hash(previous, seq, *event)
        connection.execute("INSERT INTO audit_events (seq, occurred_at, actor, action, entity_type, entity_id, details, prev_hash, hash)"
                           " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", (seq, *event, previous, digest))
        previous = digest
    connection.execute("UPDATE audit_chain_head SET seq = ?, hash = ? WHERE id = 1", (len(events), previous))
    connection.execute("COMMIT")
    restore_triggers(connection, saved)


def events(connection):
    return connection.execute("SELECT occurred_at, actor, action, entity_type, entity_id, details FROM audit_events ORDER BY seq").fetchall()


def drop_triggers(connection, *names):
    saved = []
    for name in names:
        row = connection.execute("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?", (name,)).fetchone()
        saved.append(row[0])
        connection.execute(f"DROP TRIGGER {name}")
    return saved


def restore_triggers(connection, saved):
    for sql in saved:
        connection.execute(sql)


def main():
    make_pristine()

    code, output = verify(copy("clean"))
    expect("an untouched database verifies, deep, with its checkpoints", code == 0 and "checkpoints: ok" in output
           and "rows: ok" in output, output)

    # 1. Drop the triggers, delete the last events, move the head back (and leave the triggers dropped).
    folder = copy("cut-tail")
    c = db(folder)
    drop_triggers(c, "audit_events_no_delete", "audit_chain_head_forward_only")
    last = c.execute("SELECT max(seq) FROM audit_events").fetchone()[0]
    c.execute("DELETE FROM audit_events WHERE seq > ?", (last - 5,))
    c.execute("UPDATE audit_chain_head SET seq = seq - 5, hash = (SELECT hash FROM audit_events WHERE seq = ?) WHERE id = 1", (last - 5,))
    c.close()
    expect_verify_fails("deleting the last events and moving the head back", folder,
                        "events were removed", "triggers: CHANGED", "audit_events_no_delete missing")

    # 1b. The same, with the triggers put back exactly as they were.
    folder = copy("cut-tail-restored")
    c = db(folder)
    saved = drop_triggers(c, "audit_events_no_delete", "audit_chain_head_forward_only")
    c.execute("DELETE FROM audit_events WHERE seq > ?", (last - 5,))
    c.execute("UPDATE audit_chain_head SET seq = seq - 5, hash = (SELECT hash FROM audit_events WHERE seq = ?) WHERE id = 1", (last - 5,))
    restore_triggers(c, saved)
    c.close()
    expect_verify_fails("the same with the triggers restored", folder, "checkpoint 1 names event", "events were removed")

    # 2. Delete events from the middle, renumber and re-hash.
    folder = copy("cut-middle")
    c = db(folder)
    all_events = events(c)
    rewrite_chain(c, all_events[:10] + all_events[15:])
    c.close()
    expect_verify_fails("deleting events from the middle, renumbering and re-hashing", folder, "checkpoints: FAILED")

    # 3. Rewrite every staff read as another actor and re-hash.
    folder = copy("reattribute")
    c = db(folder)
    rewritten = [(at, "staff:suzuki" if action == "patient.read" else actor, action, kind, ident, details)
                 for at, actor, action, kind, ident, details in events(c)]
    assert any(e[2] == "patient.read" for e in rewritten)
    rewrite_chain(c, rewritten)
    c.close()
    expect_verify_fails("re-attributing reads to another actor and re-hashing", folder, "the chain was rewritten")

    # 4. Rows outside the chain: a patient's phone, a loan's status, a consent's signer name.
    folder = copy("rows")
    c = db(folder)
    patient = c.execute("SELECT id FROM patients ORDER BY rowid LIMIT 1").fetchone()[0]
    c.execute("UPDATE patients SET phone = '090-0000-0000' WHERE id = ?", (patient,))
    loan = c.execute("SELECT id FROM loans LIMIT 1").fetchone()[0]
    saved = drop_triggers(c, "loans_status_follows_lifecycle")
    c.execute("UPDATE loans SET status = 'returned', returned_at = handed_over_at, return_condition = 'ok' WHERE id = ?", (loan,))
    restore_triggers(c, saved)
    consent = c.execute("SELECT id FROM consents LIMIT 1").fetchone()[0]
    saved = drop_triggers(c, "consents_no_update")
    c.execute("UPDATE consents SET signer_name = '別人 太郎' WHERE id = ?", (consent,))
    restore_triggers(c, saved)
    c.close()
    expect_verify_fails("editing a patient, a loan and a consent outside the registry", folder,
                        f"patients {patient}: changed outside the registry", f"loans {loan}: changed outside the registry",
                        f"consents {consent}: changed outside the registry")

    # 4b. A row inserted outside the registry.
    folder = copy("row-inserted")
    c = db(folder)
    c.execute("INSERT INTO patients SELECT '00000000-0000-4000-8000-000000000001', 'P-999999', " + ", ".join(
        [r[1] for r in c.execute("PRAGMA table_info(patients)").fetchall()][2:]) + " FROM patients LIMIT 1")
    c.close()
    expect_verify_fails("a patient inserted outside the registry", folder,
                        "patients 00000000-0000-4000-8000-000000000001: not recorded by any audit event")

    # 4c. A review decision forged or changed outside the registry.
    folder = copy("decision")
    c = db(folder)
    c.execute("INSERT INTO access_review_decisions (period, item, decision, note, decided_at, decided_by) "
              "VALUES ('2026-11-01..2026-11-30', 'off_hours:staff:sato:2026-11-30', 'justified', 'ok', '2026-11-30T00:00:00.000Z', 'staff:suzuki')")
    forged = c.execute("SELECT max(seq) FROM access_review_decisions").fetchone()[0]
    c.close()
    expect_verify_fails("a review decision inserted outside the registry", folder,
                        f"access_review_decisions {forged}: not recorded by any audit event")

    # 4d. The record of the row baseline removed, so that the next start would take the rows as they are.
    folder = copy("baseline")
    c = db(folder)
    saved = drop_triggers(c, "audit_row_baseline_no_delete")
    c.execute("DELETE FROM audit_row_baseline")
    restore_triggers(c, saved)
    c.execute("UPDATE patients SET phone = '090-0000-0001' WHERE id = ?", (patient,))
    c.close()
    expect_verify_fails("the row baseline's record removed and a patient edited", folder,
                        "the record of the row baseline is missing", f"patients {patient}: changed outside the registry")

    # 5. Append-only triggers dropped and left dropped (nothing else changed).
    folder = copy("triggers")
    c = db(folder)
    drop_triggers(c, "audit_events_no_update", "consents_no_update")
    c.close()
    expect_verify_fails("append-only triggers left dropped", folder, "triggers: CHANGED",
                        "audit_events_no_update missing", "consents_no_update missing")

    # 6. A forged checkpoint: a valid signature by another key, and a signature that does not verify.
    other = os.path.join(ROOT, "other-clinic")  # another registry, with its own key
    os.makedirs(other)
    process, _ = start(other, "--demo")
    stop(process)
    forged = open(os.path.join(other, "r.sqlite.audit", "checkpoints.log")).read().splitlines()[-1]
    folder = copy("forged")
    log = os.path.join(folder, "r.sqlite.audit", "checkpoints.log")
    with open(log, "a") as f:
        f.write(forged + "\n")
    expect_verify_fails("a checkpoint signed by another key", folder, "which is not a trusted checkpoint key")
    folder = copy("forged-signature")
    log = os.path.join(folder, "r.sqlite.audit", "checkpoints.log")
    lines = open(log).read().splitlines()
    checkpoint = json.loads(lines[-1])
    checkpoint["seq"] -= 1
    lines[-1] = json.dumps(checkpoint)
    open(log, "w").write("\n".join(lines) + "\n")
    expect_verify_fails("an altered checkpoint", folder, "the signature does not verify")

    # 7. The checkpoint log truncated or missing.
    folder = copy("log-truncated")
    log = os.path.join(folder, "r.sqlite.audit", "checkpoints.log")
    lines = open(log).read().splitlines()
    open(log, "w").write("\n".join(lines[:-1]) + ("\n" if len(lines) > 1 else ""))
    expect_verify_fails("the checkpoint log truncated", folder, "but the checkpoint log lacks it")
    folder = copy("log-missing")
    os.remove(os.path.join(folder, "r.sqlite.audit", "checkpoints.log"))
    expect_verify_fails("the checkpoint log missing", folder, "the checkpoint log is missing")
    process, base = start(folder)
    expect("start-up refuses when the checkpoint log is missing", base is None and process.returncode == 3
           and "lacks checkpoint" in open(os.path.join(folder, "server.err")).read(), open(os.path.join(folder, "server.err")).read())
    # The audited override after a lost log: recorded, and everything verifies after it.
    process, base = start(folder, "--reset-checkpoint-anchor", "the audit folder's disk was replaced")
    expect("the override starts the server after a lost log", base is not None, open(os.path.join(folder, "server.err")).read())
    if base:
        stop(process)
    code, output = verify(folder)
    expect("after the override for a lost log, the files verify", code == 0, output)

    # 7b. A chain cut back behind the last checkpoint, triggers restored: start-up refuses to serve and sign it.
    folder = copy("serve-cut")
    c = db(folder)
    saved = drop_triggers(c, "audit_events_no_delete", "audit_chain_head_forward_only")
    c.execute("DELETE FROM audit_events WHERE seq > ?", (last - 5,))
    c.execute("UPDATE audit_chain_head SET seq = seq - 5, hash = (SELECT hash FROM audit_events WHERE seq = ?) WHERE id = 1", (last - 5,))
    restore_triggers(c, saved)
    c.close()
    process, base = start(folder)
    err = open(os.path.join(folder, "server.err")).read()
    expect("start-up refuses a chain cut back behind the last checkpoint", base is None and process.returncode == 3
           and "events were removed or rewritten" in err, err)

    # 8. The key file missing, or replaced, after checkpoints were written: start-up refuses (exit 3).
    folder = copy("key-missing")
    os.remove(os.path.join(folder, "r.sqlite.audit", "checkpoint-signing.key"))
    process, base = start(folder)
    err = open(os.path.join(folder, "server.err")).read()
    expect("start-up refuses when the key is missing", base is None and process.returncode == 3 and "is missing" in err, err)
    folder = copy("key-replaced")
    os.remove(os.path.join(folder, "r.sqlite.audit", "checkpoint-signing.key"))
    os.remove(os.path.join(folder, "r.sqlite.audit", "checkpoint-signing.pub"))
    subprocess.run([BIN, "keys", "init", "--db", os.path.join(folder, "r.sqlite")], check=True, capture_output=True)
    process, base = start(folder)
    err = open(os.path.join(folder, "server.err")).read()
    expect("start-up refuses when the key was replaced", base is None and process.returncode == 3
           and "but checkpoints were signed" in err, err)
    # … unless the audited override is given; the reset is in the chain and everything verifies after.
    process, base = start(folder, "--reset-checkpoint-anchor", "the key file was replaced by mistake")
    expect("the audited override starts the server", base is not None, open(os.path.join(folder, "server.err")).read())
    if base:
        stop(process)
    c = db(folder)
    reset = c.execute("SELECT details FROM audit_events WHERE action = 'audit.checkpoint_anchor_reset'").fetchall()
    c.close()
    code, output = verify(folder)
    expect("the override is audited and the files verify after it", len(reset) == 1
           and "the key file was replaced by mistake" in reset[0][0] and code == 0, output)

    # 9. A public key kept off the machine: checkpoints by any other key fail.
    folder = copy("trusted")
    public = open(os.path.join(folder, "r.sqlite.audit", "checkpoint-signing.pub")).read().strip()
    code, output = verify(folder, "--trusted-key", public)
    expect("verify --trusted-key with the clinic's own key passes", code == 0, output)
    other_public = open(os.path.join(other, "r.sqlite.audit", "checkpoint-signing.pub")).read().strip()
    expect_verify_fails("verify --trusted-key with another key fails", folder, "not a trusted checkpoint key",
                        extra=("--trusted-key", other_public))

    shutil.rmtree(ROOT)
    if failures:
        print(f"{len(failures)} tampering case(s) not detected: {', '.join(failures)}")
        sys.exit(1)
    print("every tampering case was detected")


if __name__ == "__main__":
    main()
