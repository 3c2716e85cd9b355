"""Issue 15's fault cases against the real binary: clean shutdown, disk full, read-only file
system, a write lock held by another process, a damaged file at start, the periodic
integrity check. Every HTTP answer seen is recorded; a 500 anywhere fails the run."""
import json
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request

BIN = os.path.abspath(os.environ.get("BIN", ".build/debug/loan-registry"))
TEXTS = os.path.abspath("ConsentTexts")
MANAGER = ("suzuki", "Planning#Desk-2026")
ROOT = tempfile.mkdtemp(prefix="faults-")
failures = []
statuses = []
mounts = []


def check(condition, message):
    print(("  ok    " if condition else "  FAIL  ") + message, flush=True)
    if not condition:
        failures.append(message)


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class Server:
    def __init__(self, db, *extra, demo=True):
        self.port = free_port()
        self.log = os.path.join(ROOT, f"server-{self.port}.log")
        args = [BIN, "serve", "--db", db, "--texts", TEXTS, "--port", str(self.port), "--no-sign-in-slowdown", *extra]
        if demo:
            args.append("--demo")
        self.process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=open(self.log, "w"))
        self.base = f"http://127.0.0.1:{self.port}/api/v1"
        self.token = None
        for _ in range(300):
            if self.process.poll() is not None:
                self.base = None
                return
            try:
                urllib.request.urlopen(self.base + "/health", timeout=2)
                break
            except urllib.error.HTTPError:
                break
            except OSError:
                time.sleep(0.1)

    def sign_in(self):
        status, body, _ = self.call("POST", "/auth/token", {"login": MANAGER[0], "password": MANAGER[1]})
        assert status == 200, (status, body)
        self.token = body["token"]

    def call(self, method, path, body=None, timeout=30):
        headers = {"Content-Type": "application/json"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        request = urllib.request.Request(self.base + path, method=method, headers=headers,
                                         data=json.dumps(body).encode() if body is not None else None)
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                status, data, head = response.status, response.read(), response.headers
        except urllib.error.HTTPError as error:
            status, data, head = error.code, error.read(), error.headers
        statuses.append((method, path.split("?")[0], status))
        try:
            parsed = json.loads(data) if data else None
        except ValueError:
            parsed = None
        return status, parsed, head

    def new_patient(self, n):
        return self.call("POST", "/patients", {"patientNumber": f"F-{n:06d}", "name": f"試験 {n}", "nameKana": "シケン",
                                               "phone": "03-0000-0000", "language": "ja"})

    def stop(self, sig=signal.SIGTERM):
        self.process.send_signal(sig)
        return self.process.wait(timeout=60)

    def log_text(self):
        return open(self.log).read()


def size(path):
    return os.path.getsize(path) if os.path.exists(path) else 0


def count(path, table):
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    finally:
        connection.close()


def verify(db, *extra):
    run = subprocess.run([BIN, "verify", "--deep", "--db", db, *extra], capture_output=True, text=True)
    return run.returncode, run.stdout + run.stderr


def mount_tmpfs(folder, megabytes):
    os.makedirs(folder, exist_ok=True)
    subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={megabytes}m", "tmpfs", folder], check=True)
    mounts.append(folder)


def wait_for_health(server, want, seconds=15):
    deadline = time.time() + seconds
    status = None
    while time.time() < deadline:
        status, body, _ = server.call("GET", "/health")
        if status == want:
            return status, body
        time.sleep(0.25)
    return status, body


def case_clean_shutdown():
    for sig in (signal.SIGTERM, signal.SIGINT):
        name = signal.Signals(sig).name
        print(f"clean shutdown by {name}")
        folder = os.path.join(ROOT, f"clean-{name}")
        os.makedirs(folder)
        db = os.path.join(folder, "r.sqlite")
        server = Server(db)
        server.sign_in()
        created = sum(1 for n in range(60) if server.new_patient(n)[0] == 201)
        check(created == 60, f"60 patients created ({created})")
        check(size(db + "-wal") > 0, "while serving, the writes are in the WAL")
        code = server.stop(sig)
        check(code == 0, f"{name} exits 0 ({code})")
        check(size(db + "-wal") == 0, f"after {name} the WAL is empty ({size(db + '-wal')} bytes)")
        check("WAL checkpointed" in server.log_text(), "the log says the WAL was checkpointed")
        alone = os.path.join(folder, "alone")
        os.makedirs(alone)
        shutil.copy(db, os.path.join(alone, "r.sqlite"))
        shutil.copytree(db + ".audit", os.path.join(alone, "r.sqlite.audit"))
        check(count(os.path.join(alone, "r.sqlite"), "patients") == 63, "the main file copied alone holds all 63 patients")
        code, output = verify(os.path.join(alone, "r.sqlite"))
        check(code == 0, "the main file alone verifies, with the shutdown checkpoint")


def case_disk_full():
    print("disk full")
    folder = os.path.join(ROOT, "full")
    mount_tmpfs(folder, 24)
    db = os.path.join(folder, "r.sqlite")
    server = Server(db)
    server.sign_in()
    acknowledged = 0
    status = server.new_patient(1)[0]
    acknowledged += status == 201
    check(status == 201, "a write works before the disk fills")
    filler = os.path.join(folder, "filler")
    with open(filler, "wb") as f:
        try:
            while True:
                f.write(b"\0" * 65536)
                f.flush()
        except OSError:
            pass
    for n in range(2, 40):  # fill the last pages SQLite had
        status, body, head = server.new_patient(n)
        if status != 201:
            break
        acknowledged += 1
    check(status == 503, f"a write on a full disk answers 503 ({status})")
    check(head.get("Retry-After") is not None, "with Retry-After")
    check(body and body.get("code") == "database_unavailable" and "disk is full" in body.get("detail", ""),
          f"code database_unavailable naming the full disk ({body and body.get('detail')})")
    status, body, _ = server.call("GET", "/health")
    check(status == 503 and body.get("writes") == "unavailable" and body.get("writesReason") == "the disk is full",
          f"/health says writes are unavailable: the disk is full ({status} {body})")
    status, _, _ = server.call("GET", "/devices?limit=5")
    check(status == 200, "reads without patient data still work")
    os.remove(filler)
    status, body = wait_for_health(server, 200)
    check(status == 200 and body.get("writes") == "ok", "once space is freed /health says writes are ok again")
    status = server.new_patient(100)[0]
    acknowledged += status == 201
    check(status == 201, "and writes work")
    check(server.stop() == 0, "clean stop")
    code, output = verify(db)
    check(code == 0, "verify passes after the full disk")
    stored = count(db, "patients") - 3  # the demo clinic's three
    check(stored == acknowledged, f"exactly the acknowledged patients are stored ({stored} of {acknowledged})")


def case_read_only():
    print("read-only file system at start")
    folder = os.path.join(ROOT, "readonly")
    mount_tmpfs(folder, 24)
    db = os.path.join(folder, "r.sqlite")
    server = Server(db)
    server.sign_in()
    server.new_patient(1)
    check(server.stop() == 0, "clean stop")
    subprocess.run(["mount", "-o", "remount,ro", folder], check=True)
    server = Server(db, demo=False)
    code = server.process.wait(timeout=60)
    log = server.log_text()
    check(code == 3, f"serve on a read-only file system refuses to start with exit 3 ({code})")
    check("error:" in log and db in log, "and says which file it cannot use")
    check("Fatal error" not in log and "Stack dump" not in log, "without a crash")
    subprocess.run(["mount", "-o", "remount,rw", folder], check=True)


def case_write_lock():
    print("another process holds the write lock")
    folder = os.path.join(ROOT, "locked")
    os.makedirs(folder)
    db = os.path.join(folder, "r.sqlite")
    server = Server(db)
    server.sign_in()
    check(server.new_patient(1)[0] == 201, "a write works first")
    holder = sqlite3.connect(db, timeout=1, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    started = time.time()
    status, body, head = server.new_patient(2)
    check(status == 503 and head.get("Retry-After") is not None, f"a write while the lock is held: 503 + Retry-After ({status})")
    check(body and "busy" in body.get("detail", ""), f"naming the busy database ({body and body.get('detail')})")
    check(time.time() - started < 15, "within the busy timeout, not hanging")
    status, body, _ = server.call("GET", "/health")
    check(status == 503 and body.get("writesReason") == "the database is busy", f"/health: writes unavailable, busy ({body})")
    holder.execute("ROLLBACK")
    status, body = wait_for_health(server, 200)
    check(status == 200, "after the lock is released /health is ok")
    check(server.new_patient(3)[0] == 201, "and writes work")
    check(server.stop() == 0, "clean stop")

    print("another process holds the write lock at start")
    holder.execute("BEGIN IMMEDIATE")
    blocked = Server(db, demo=False)
    code = blocked.process.wait(timeout=60) if blocked.base is None else blocked.stop()
    log = blocked.log_text()
    check(code == 3 and "locked" in log, f"serve refuses with exit 3 naming the lock ({code}: {log.strip()[-120:]})")
    holder.execute("ROLLBACK")
    holder.close()


def corrupt_index_entry(db):
    """Changes one asset tag in the devices table's own page, so the table and its index no
    longer agree: quick_check does not notice, integrity_check does."""
    data = bytearray(open(db, "rb").read())
    needle = b"HOL-0001"
    positions = []
    start = 0
    while True:
        i = data.find(needle, start)
        if i < 0:
            break
        positions.append(i)
        start = i + 1
    connection = sqlite3.connect(db)
    page_size = connection.execute("PRAGMA page_size").fetchone()[0]
    root = connection.execute("SELECT rootpage FROM sqlite_schema WHERE name = 'devices'").fetchone()[0]
    connection.close()
    # The table's record: the occurrence outside index pages. Index pages start with 0x0a (leaf index).
    for i in positions:
        page_start = (i // page_size) * page_size
        header = page_start + (100 if page_start == 0 else 0)
        if data[header] == 0x0D:  # a table leaf page
            data[i + 7:i + 8] = b"9"
            open(db, "wb").write(bytes(data))
            return True
    return False


def case_corrupt_at_start():
    print("a damaged file at start")
    folder = os.path.join(ROOT, "corrupt")
    os.makedirs(folder)
    db = os.path.join(folder, "r.sqlite")
    server = Server(db)
    check(server.stop() == 0, "clean stop")
    check(corrupt_index_entry(db), "one asset tag changed in the devices table behind SQLite's back")
    connection = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    quick = connection.execute("PRAGMA quick_check").fetchall()
    full = connection.execute("PRAGMA integrity_check").fetchall()
    connection.close()
    check(quick == [("ok",)] and full != [("ok",)], f"the damage passes quick_check but not integrity_check ({full[:1]})")
    full = Server(db, "--full-check", demo=False)
    code = full.process.wait(timeout=60) if full.base is None else full.stop()
    log = full.log_text()
    check(code == 3 and "integrity check" in log, f"serve --full-check refuses with exit 3 ({code})")
    code, output = verify(db)
    check(code != 0, "verify fails on it")
    quick = Server(db, "--integrity-check-every", "2s", demo=False)
    check(quick.base is not None, "the default quick_check lets it start (it does not compare indexes)")
    if quick.base:
        status, body = wait_for_health(quick, 503, seconds=20)
        check(status == 503 and body.get("code") == "integrity_failed",
              f"the periodic integrity_check finds it and /health says so ({status} {body and body.get('code')})")
        quick.stop()
        check("integrity_check FAILED" in quick.log_text(), "and the log says so")
    junk = os.path.join(folder, "junk.sqlite")
    open(junk, "wb").write(os.urandom(65536))
    server = Server(junk, demo=False)
    code = server.process.wait(timeout=60)
    check(code == 3 and "integrity check" in server.log_text(), f"a file of random bytes: exit 3 ({code})")


def cli(*args):
    run = subprocess.run([BIN, *args], capture_output=True, text=True)
    return run.returncode, run.stdout + run.stderr


def case_backup_and_restore():
    print("backups while writes go on, scheduled backups, restore")
    folder = os.path.join(ROOT, "backup")
    os.makedirs(folder)
    db = os.path.join(folder, "live.sqlite")
    scheduled = os.path.join(folder, "scheduled")
    server = Server(db, "--backup-dir", scheduled, "--backup-every", "2s", "--keep", "2")
    server.sign_in()
    stop_writing = threading.Event()
    acknowledged = []

    def write():
        n = 1000
        while not stop_writing.is_set():
            n += 1
            if server.new_patient(n)[0] == 201:
                acknowledged.append(n)

    writer = threading.Thread(target=write)
    writer.start()
    time.sleep(1)
    before = len(acknowledged)
    code, output = cli("backup", "--db", db, "--to", os.path.join(folder, "b1.sqlite"), "--texts", TEXTS)
    check(code == 0 and "verified" in output, f"backup under write load: exit 0, verified ({code})")
    in_copy = count(os.path.join(folder, "b1.sqlite"), "patients") - 3
    check(before <= in_copy <= len(acknowledged), f"the copy holds the {before}+ patients acknowledged before it ({in_copy})")
    code, output = cli("backup", "--db", db, "--to", os.path.join(folder, "b1.sqlite"), "--texts", TEXTS)
    check(code != 0 and "already exists" in output, "a backup never overwrites a file")
    code, output = cli("restore", "--from", os.path.join(folder, "b1.sqlite"), "--db", db, "--force", "--texts", TEXTS)
    check(code == 1 and "open in another process" in output, f"restore refuses while the server has the database open ({code})")
    time.sleep(5)
    stop_writing.set()
    writer.join()
    status, body, _ = server.call("GET", "/health")
    check(status == 200 and body.get("backup", {}).get("result") == "ok", f"/health reports the last scheduled backup ({body})")
    check(server.stop() == 0, "clean stop")
    files = sorted(f for f in os.listdir(scheduled) if f.endswith(".sqlite"))
    written = server.log_text().count("backup written and verified")
    check(written >= 3, f"scheduled backups were written and verified every 2 s ({written})")
    check(len(files) == 2, f"--keep 2 keeps the newest two of them ({files})")
    code, output = verify(db)
    check(code == 0, "the live database verifies, with the backup events")

    code, output = cli("restore", "--from", os.path.join(folder, "b1.sqlite"), "--db", db, "--texts", TEXTS)
    check(code == 1 and "--force" in output, "restore refuses to replace a database without --force")
    tampered = os.path.join(folder, "tampered.sqlite")
    shutil.copy(os.path.join(folder, "b1.sqlite"), tampered)
    shutil.copytree(os.path.join(folder, "b1.sqlite.audit"), tampered + ".audit")
    connection = sqlite3.connect(tampered)
    connection.execute("UPDATE patients SET phone = '090-9999-9999' WHERE patient_number = 'F-001001'")
    connection.commit()
    connection.close()
    code, output = cli("restore", "--from", tampered, "--db", db, "--force", "--texts", TEXTS)
    check(code == 1 and "does not verify" in output, f"restore refuses a backup edited outside the registry ({output.strip()[-100:]})")
    code, output = cli("restore", "--from", os.path.join(folder, "b1.sqlite"), "--db", db, "--force", "--texts", TEXTS)
    check(code == 0 and "kept as" in output, f"restore --force replaces it and keeps the old one ({code})")
    check(count(db, "patients") - 3 == in_copy, "the restored database holds the backup's patients")
    kept = [f for f in os.listdir(folder) if f.startswith("live.sqlite.before-restore-") and not f.endswith("-wal")]
    check(len(kept) == 1 and count(os.path.join(folder, kept[0]), "patients") - 3 == len(acknowledged),
          "the replaced database is kept whole beside it")
    restarted = Server(db, demo=False)
    check(restarted.base is not None, "the server starts on the restored database (same signing key)")
    if restarted.base:
        restarted.stop()
    code, output = verify(db)
    check(code == 0, "the restored database verifies, with its checkpoints")


def main():
    if os.geteuid() != 0:
        print("the fault tests mount tmpfs file systems and need root (CI runs as root)")
        sys.exit(1)
    try:
        case_clean_shutdown()
        case_disk_full()
        case_read_only()
        case_write_lock()
        case_corrupt_at_start()
        case_backup_and_restore()
    finally:
        for folder in reversed(mounts):
            subprocess.run(["umount", "-l", folder], stderr=subprocess.DEVNULL)
        subprocess.run(["pkill", "-f", ROOT], stderr=subprocess.DEVNULL)
    errors = [s for s in statuses if s[2] >= 500 and s[2] != 503]
    check(not errors, f"no 5xx other than 503 in {len(statuses)} answers ({errors[:5]})")
    shutil.rmtree(ROOT, ignore_errors=True)
    if failures:
        print(f"{len(failures)} fault checks FAILED")
        sys.exit(1)
    print(f"fault tests: every check passed ({len(statuses)} HTTP answers, none a 500)")


main()
