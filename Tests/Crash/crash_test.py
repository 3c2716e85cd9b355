"""Crash test: acknowledged writes must survive SIGKILL of the server.

Each cycle, WORKERS threads drive the whole loan flow through the REST API of a running release
server (new patient sometimes → register a loan → consent to the explanation's hash → contact
sheet given → hand-over → sometimes return → wipe of a data-bearing device), plus device
registrations, while `loan-registry audit checkpoint` runs beside it in some cycles. After a
random delay the server is killed with SIGKILL (in some cycles stopped with SIGTERM under load
instead). Every 2xx answer is an acknowledged write and is remembered; a connection error is not
acknowledged and stops that worker.

On the killed files (server not running) the test checks:
  * PRAGMA integrity_check and foreign_key_check. Who recovers the WAL the kill left behind
    rotates: python's sqlite3, or `verify`, or the restarted server itself (the checks then run
    on a copy of the killed files, and the server gets the originals with their hot WAL);
  * nothing acknowledged is lost: every patient, device, loan (at least in the state
    acknowledged: registered < consented < contact sheet given < on loan < returned), consent
    row, contact sheet row, hand-over and return device events, wipe row, sign-in session,
    sign-out, and every checkpoint `audit checkpoint` reported (in the log and the chain);
  * nothing is half-written: an active loan has its device on loan (status and last device
    event), a granted unwithdrawn consent and a contact sheet for its current explanation; a
    consented loan its granted consent; no device on two open loans; an on-loan device has
    exactly one active loan; every device's and loan's status equals its last history event;
  * `loan-registry verify --deep --json` exits 0 with "passed": true (audit chain, triggers,
    signed checkpoints, every covered row against its digest);
  * `audit checkpoint` run beside the load exits 0 (unless killed with the server on purpose);
then restarts the server on the same files (a refusal, exit 3, is a failure) and reads a sample
of the acknowledged loans and patients through the API, and checks the previous sign-in token.

At the end the server is stopped with SIGTERM (which writes the shutdown checkpoint), and the
files are checked and verified once more.

Environment: BIN (default .build/release/loan-registry), CYCLES (20), SEED (random; printed),
WORKERS (8), TERM_SHARE (0.1: the share of cycles stopped with SIGTERM under load instead of
SIGKILL; 0 for SIGKILL only), DEEP_EVERY (1: `verify --deep` after every crash; n > 1 runs the
deep row check every n-th cycle and plain `verify` otherwise, for long soaks, where the deep check
grows with the database), KEEP=1 keeps the temporary folder even when the test passes (it is
always kept on a failure).
Ports 18300-18349 only. Patient names are fictional; output names ids only.
"""
import atexit
import base64
import collections
import hashlib
import http.client
import json
import os
import random
import shutil
import signal
import socket
import sqlite3
import struct
import subprocess
import sys
import tempfile
import threading
import time
import zlib

BIN = os.path.abspath(os.environ.get("BIN", ".build/release/loan-registry"))
TEXTS = os.path.abspath("ConsentTexts")
CYCLES = int(os.environ.get("CYCLES", "20"))
WORKERS = int(os.environ.get("WORKERS", "8"))
SEED = int(os.environ["SEED"]) if os.environ.get("SEED") else random.SystemRandom().randrange(1, 2**31)
KEEP = os.environ.get("KEEP", "") not in ("", "0")
PORTS = list(range(18300, 18350))
HTTP_TIMEOUT = 10.0
KILL_DELAY = (0.3, 2.5)          # seconds after the workers start
TERM_SHARE = float(os.environ.get("TERM_SHARE", "0.1"))  # cycles stopped with SIGTERM under load
DEEP_EVERY = max(1, int(os.environ.get("DEEP_EVERY", "1")))
CHECKPOINT_SHARE = 0.4           # cycles running `audit checkpoint` during the load
INITIAL_DEVICES = 48
INITIAL_PATIENTS = 8
OUT_LIMIT = 40                   # active loans kept out before returns are preferred
STAFF = {"suzuki": "Planning#Desk-2026", "sato": "Counter#Desk-2026"}
API = "/api/v1"

# Loan states in the order the flow reaches them.
REGISTERED, CONSENTED, SHEET_GIVEN, ON_LOAN, RETURNED = range(5)
STATE_NAMES = ["registered", "consented", "contact sheet given", "on loan", "returned"]

ROOT = tempfile.mkdtemp(prefix="crash-test-")
DB = os.path.join(ROOT, "crash.sqlite")
AUDIT_DIR = DB + ".audit"
live_processes = []               # every child still to be ended at exit
live_lock = threading.RLock()    # re-entrant: the signal handler runs on the main thread


class Failure(Exception):
    """The test failed: what was lost or inconsistent, ids only."""


class ConnectionLost(Exception):
    """No complete answer: the request is not acknowledged."""


# ───────────────────────────── processes ─────────────────────────────

def spawn(args, **kwargs):
    process = subprocess.Popen(args, **kwargs)
    with live_lock:
        live_processes.append(process)
    return process


def reap(process, timeout=None):
    code = process.wait(timeout=timeout)
    with live_lock:
        if process in live_processes:
            live_processes.remove(process)
    return code


def end_all_children():
    with live_lock:
        processes = list(live_processes)
    for process in processes:
        if process.poll() is None:
            try:
                process.kill()
                process.wait(timeout=10)
            except Exception:
                pass


atexit.register(end_all_children)


def on_signal(number, _frame):
    end_all_children()
    print(f"\ncrash test: stopped by signal {number}; files kept in {ROOT}", flush=True)
    os._exit(128 + number)


for _number in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT):
    signal.signal(_number, on_signal)


def port_is_free(port):
    probe = socket.socket()
    probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        probe.bind(("127.0.0.1", port))
        return True
    except OSError:
        return False
    finally:
        probe.close()


def read_bytes(path):
    try:
        with open(path, "rb") as f:
            return f.read()
    except OSError:
        return b""


class Server:
    """One `serve` process at a time on DB; each start logs to its own file (the last two kept)."""

    def __init__(self):
        self.process = None
        self.port = None
        self.starts = 0
        self.log_path = None
        self.previous_log = None
        self.next_port = 0

    def start(self, demo=False, attempts=5):
        """Starts `serve` on a free port and waits until it answers. Only our own server is trusted:
        /health is asked once its log says it listens on the port (another test run on this machine
        may hold a port between the probe and the bind), and a start that lost its port to another
        process is tried again on the next one."""
        for attempt in range(attempts):
            if self._start_once(demo):
                return
        raise Failure(f"server start {self.starts}: {attempts} ports in a row were taken by other processes")

    def _start_once(self, demo):
        for _ in range(len(PORTS)):
            port = PORTS[self.next_port % len(PORTS)]
            self.next_port += 1
            if port_is_free(port):
                break
        else:
            raise Failure("no free port in 18300-18349")
        number = self.starts + 1
        attempt_log = os.path.join(ROOT, f"server-{number}.log")
        log = open(attempt_log, "wb")
        args = [BIN, "serve", "--db", DB, "--port", str(port), "--texts", TEXTS] + (["--demo"] if demo else [])
        self.process = spawn(args, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        log.close()
        listening = f"listening on 127.0.0.1:{port}".encode()
        last_answer = "no answer"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            code = self.process.poll()
            if code is not None:
                reap(self.process)
                self.process = None
                output = read_bytes(attempt_log)
                if b"Address already in use" in output and listening not in output:
                    os.remove(attempt_log)  # another process took the port after the probe: try the next one
                    return False
                self._started(number, attempt_log, port)  # keep its log for the report
                raise Failure(f"server start {number} refused with exit code {code}"
                              + (" (3: the database, the checkpoints or the texts were refused)" if code == 3 else ""))
            if listening in read_bytes(attempt_log):
                try:
                    status, body = Client(port).call("GET", "/health")
                    if status == 200 and body.get("status") == "ok":
                        self._started(number, attempt_log, port)
                        return True
                    last_answer = f"{status} {body.get('code') or body.get('status')}"
                except ConnectionLost:
                    last_answer = "connection lost"
            time.sleep(0.05)
        self._started(number, attempt_log, port)
        raise Failure(f"server start {number} did not answer /health with 200 ok within 60 s (last: {last_answer})")

    def _started(self, number, log_path, port):
        """Counts a start and rotates the logs: this one and the one before it are kept."""
        if self.previous_log and os.path.exists(self.previous_log):
            os.remove(self.previous_log)
        self.previous_log, self.log_path = self.log_path, log_path
        self.starts, self.port = number, port

    def kill(self):
        """SIGKILL; returns the exit status (always -9)."""
        self.process.send_signal(signal.SIGKILL)
        code = reap(self.process, timeout=30)
        self.process = None
        return code

    def terminate(self, timeout=60, writer_beside=False):
        """SIGTERM and wait for the clean stop (which writes the shutdown checkpoint).

        writer_beside: another process (the `audit checkpoint` CLI) may still write to the
        database; it can commit after the server's final WAL checkpoint, so the WAL need not be
        empty then (the files are checked as after any stop)."""
        self.process.send_signal(signal.SIGTERM)
        try:
            code = reap(self.process, timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            reap(self.process, timeout=30)
            self.process = None
            raise Failure(f"server did not stop within {timeout} s of SIGTERM")
        self.process = None
        # A server that says it checkpointed the WAL at its clean stop must have left it empty.
        with open(self.log_path, "rb") as f:
            said_checkpointed = b"WAL checkpointed" in f.read()[-4096:]
        wal = os.path.getsize(DB + "-wal") if os.path.exists(DB + "-wal") else 0
        if code == 0 and said_checkpointed and wal > 0 and not writer_beside:
            raise Failure(f"after SIGTERM the log says the WAL was checkpointed, but it holds {wal} bytes")
        return code

    def log_tail(self, lines=30):
        """The server log's last lines, across the last restart (each start has its own file)."""
        out = []
        for path in (self.previous_log, self.log_path):
            if path and os.path.exists(path):
                with open(path, "rb") as f:
                    text = f.read().decode("utf-8", "replace").splitlines()
                out += [f"--- {os.path.basename(path)}"] + text
        return f"server log, last {lines} lines:\n" + "\n".join(out[-lines:])


# ───────────────────────────── HTTP ─────────────────────────────

class Client:
    """One keep-alive connection; any transport error means: not acknowledged."""

    def __init__(self, port, token=None):
        self.port = port
        self.token = token
        self.conn = None

    def call(self, method, path, body=None, token=None):
        token = token or self.token
        headers = {"Accept": "application/json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        data = None
        if method in ("POST", "PUT", "PATCH"):
            headers["Content-Type"] = "application/json"
            data = json.dumps(body if body is not None else {}).encode()
        try:
            if self.conn is None:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=HTTP_TIMEOUT)
            self.conn.request(method, API + path, body=data, headers=headers)
            response = self.conn.getresponse()
            raw = response.read()
            if (response.getheader("Connection") or "").lower() == "close":
                self.close()
        except (OSError, http.client.HTTPException) as error:
            self.close()
            raise ConnectionLost(f"{type(error).__name__}: {error}")
        try:
            parsed = json.loads(raw) if raw else {}
        except ValueError:
            parsed = {"_raw": raw[:200].decode("utf-8", "replace")}
        return response.status, parsed

    def close(self):
        if self.conn is not None:
            try:
                self.conn.close()
            except Exception:
                pass
            self.conn = None


def sign_in(port, login):
    status, body = Client(port).call("POST", "/auth/token", {"login": login, "password": STAFF[login]})
    if status != 200 or "token" not in body:
        raise Failure(f"sign-in as {login} answered {status} {body.get('code')}")
    return body["token"]


def loan_state(loan):
    """The flow state of a loan as the API shows it (None for a status the flow never makes)."""
    status = loan.get("status")
    if status == "draft":
        return REGISTERED
    if status == "consented":
        return SHEET_GIVEN if loan.get("contactSheet") else CONSENTED
    return {"active": ON_LOAN, "returned": RETURNED}.get(status)


def signature_png(rng, width=160, height=48):
    """A small valid greyscale PNG with one random stroke, so every signature hashes differently."""
    pixels = [bytearray(b"\xff" * width) for _ in range(height)]
    y0, slope = rng.uniform(0, height - 1), rng.uniform(-0.25, 0.25)
    for x in range(width):
        pixels[int(y0 + slope * x) % height][x] = 0

    def chunk(kind, payload):
        body = kind + payload
        return struct.pack(">I", len(payload)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)

    raw = b"".join(b"\x00" + bytes(row) for row in pixels)  # filter type 0 per row
    png = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
           + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))
    return base64.b64encode(png).decode()


# ───────────────────────────── what was acknowledged ─────────────────────────────

class Ledger:
    """Every acknowledged write, by id. Thread-safe."""

    def __init__(self):
        self.lock = threading.Lock()
        self.patients = {}           # id → cycle
        self.devices = {}            # id → cycle
        self.loans = {}              # id → {"state", "device", "cycle"}
        self.consents = {}           # consent id → loan id
        self.sheets = {}             # contact sheet id → loan id
        self.handovers = {}          # loan id → device id
        self.returns = {}            # loan id → device id
        self.wipes = set()           # (device id, loan id)
        self.sessions = {}           # sha256(token) → cycle
        self.sign_outs = set()       # sha256(token)
        self.checkpoints = {}        # number → signed head seq, from `audit checkpoint` runs that exited 0
        self.counts = collections.Counter()
        self.recent_loans = []       # acknowledged in the current cycle (for the API sample)
        self.recent_patients = []

    def count(self, kind):
        self.counts[kind] += 1
        self.counts["writes"] += 1

    def patient(self, pid, cycle):
        with self.lock:
            self.patients[pid] = cycle
            self.recent_patients.append(pid)
            self.count("patients")

    def device(self, did, cycle):
        with self.lock:
            self.devices[did] = cycle
            self.count("devices")

    def loan(self, lid, state, device, cycle, kind):
        with self.lock:
            entry = self.loans.setdefault(lid, {"state": state, "device": device, "cycle": cycle})
            entry["state"] = max(entry["state"], state)
            if kind == "loans":
                self.recent_loans.append(lid)
            self.count(kind)

    def new_cycle(self):
        with self.lock:
            self.recent_loans, self.recent_patients = [], []


# ───────────────────────────── what to do next ─────────────────────────────

class Scheduler:
    """The work queue, rebuilt from the database after every crash (in-flight work is unknown)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.resume = collections.deque()   # continuations: ("consent"|"sheet"|"handover", loan, device), ("wipe", device, loan)
        self.free = []                      # lendable devices
        self.out = []                       # (loan, device) on loan, nobody working on them
        self.patients = []
        self.model_of = {}                  # device id → model id
        self.asset_counter = 0

    def next_task(self, rng):
        with self.lock:
            if self.resume:
                return self.resume.popleft()
            r = rng.random()
            if r < 0.03:
                return ("register",)
            if self.out and (len(self.out) > OUT_LIMIT and r < 0.5 or not self.free):
                return ("return",) + self.out.pop(rng.randrange(len(self.out)))
            if self.free:
                return ("new", self.free.pop(rng.randrange(len(self.free))))
            return ("register",)

    def push(self, task):
        with self.lock:
            self.resume.append(task)

    def freed(self, device):
        with self.lock:
            self.free.append(device)

    def lent(self, loan, device):
        with self.lock:
            self.out.append((loan, device))

    def add_patient(self, pid):
        with self.lock:
            self.patients.append(pid)

    def pick_patient(self, rng):
        with self.lock:
            return rng.choice(self.patients)

    def new_asset_number(self):
        with self.lock:
            self.asset_counter += 1
            return self.asset_counter


# ───────────────────────────── the load ─────────────────────────────

class Cycle:
    def __init__(self, number, port, tokens, models, ledger, scheduler, rng):
        self.number = number
        self.port = port
        self.tokens = tokens
        self.models = models
        self.ledger = ledger
        self.scheduler = scheduler
        self.stop = threading.Event()
        self.problems = []
        self.problems_lock = threading.Lock()
        self.lost_connections = 0
        self.shutting_down = False   # SIGTERM sent: refusals from the stopping server are expected
        self.seed = rng.randrange(2**31)

    def problem(self, text):
        with self.problems_lock:
            self.problems.append(text)


class Unexpected(Exception):
    pass


class Worker:
    def __init__(self, cycle, index):
        self.c = cycle
        self.index = index
        self.login = ("suzuki", "sato")[index % 2]
        self.other = ("sato", "suzuki")[index % 2]
        self.api = Client(cycle.port, cycle.tokens[self.login])
        self.rng = random.Random(cycle.seed * 1000 + index)

    def post(self, path, body, expect, what):
        status, answer = self.api.call("POST", path, body)
        if status != expect:
            raise Unexpected(f"{what}: POST {path} answered {status} {answer.get('code', '')} "
                             f"{str(answer.get('detail', answer.get('_raw', '')))[:160]}")
        return answer

    def get(self, path, what):
        status, answer = self.api.call("GET", path)
        if status != 200:
            raise Unexpected(f"{what}: GET {path} answered {status} {answer.get('code', '')}")
        return answer

    def run(self, barrier):
        try:
            barrier.wait(timeout=30)
        except threading.BrokenBarrierError:
            return
        try:
            while not self.c.stop.is_set():
                self.step(self.c.scheduler.next_task(self.rng))
        except ConnectionLost:
            with self.c.problems_lock:
                self.c.lost_connections += 1
        except Unexpected as error:
            if not self.c.shutting_down:
                self.c.problem(f"unexpected answer under load (worker {self.index}): {error}")
            # after SIGTERM a refusal can be the stopping server's; it acknowledges nothing
        except Exception as error:  # a bug in the test itself must not pass silently
            self.c.problem(f"worker {self.index} crashed: {type(error).__name__}: {error}")
        finally:
            self.api.close()

    # A task runs one flow onwards; now and then it hands the rest to whoever comes next.
    def step(self, task):
        kind = task[0]
        if kind == "register":
            self.register_device()
        elif kind == "new":
            self.new_loan(task[1])
        elif kind == "consent":
            self.consent(task[1], task[2], None)
        elif kind == "sheet":
            self.sheet(task[1], task[2])
        elif kind == "handover":
            self.handover(task[1], task[2])
        elif kind == "return":
            self.give_back(task[1], task[2])
        elif kind == "wipe":
            self.wipe(task[1], task[2])

    def handing_on(self, task):
        if self.rng.random() < 0.08:
            self.c.scheduler.push(task)
            return True
        return False

    def register_device(self):
        s = self.c.scheduler
        n = s.new_asset_number()
        model = self.rng.choice(sorted(self.c.models))
        device = self.post("/devices", {"modelId": model, "assetTag": f"CT-{n:06d}",
                                        "serialNumber": f"CTSN-{SEED % 100000:05d}-{n:06d}",
                                        "whereabouts": "外来処置室 棚C"}, 201, "register device")
        self.c.ledger.device(device["id"], self.c.number)
        with s.lock:
            s.model_of[device["id"]] = model
        s.freed(device["id"])

    def new_loan(self, device):
        if self.rng.random() < 0.3:
            n = self.c.scheduler.new_asset_number()
            patient = self.post("/patients", {
                "patientNumber": f"CTP-{self.c.number:04d}-{n:06d}", "name": f"試験 患者{n}",
                "nameKana": "シケン カンジャ", "phone": "03-0000-0000",
                "language": self.rng.choice(("ja", "ja", "ja-easy", "en"))}, 201, "register patient")["id"]
            self.c.ledger.patient(patient, self.c.number)
            self.c.scheduler.add_patient(patient)
        else:
            patient = self.c.scheduler.pick_patient(self.rng)
        body = {"deviceId": device, "patientId": patient}
        if self.rng.random() < 0.15:
            body["language"] = self.rng.choice(("ja", "en", "ja-easy"))
        loan = self.post("/loans", body, 201, "register loan")
        self.c.ledger.loan(loan["id"], REGISTERED, device, self.c.number, "loans")
        if self.handing_on(("consent", loan["id"], device)):
            return
        self.consent(loan["id"], device, loan["explanation"]["sha256"])

    def consent(self, loan, device, sha256):
        if sha256 is None:  # resumed: read the loan for the explanation's hash
            sha256 = self.get(f"/loans/{loan}", "read loan")["explanation"]["sha256"]
        model = self.c.models[self.c.scheduler.model_of[device]]
        rng = self.rng
        body = {"explanationSha256": sha256, "decision": "granted", "explainedBy": self.login,
                "copyGiven": rng.random() < 0.5}
        if rng.random() < 0.8:
            body["signer"] = {"kind": "self", "name": "試験 患者"}
        else:
            body["signer"] = {"kind": "proxy", "name": "試験 家族", "relationship": "家族", "reason": "本人が署名できないため"}
        if rng.random() < 0.3:
            body["signature"] = {"method": "tablet", "pngBase64": signature_png(rng)}
        else:
            body["signature"] = {"method": "paper", "scanReference": f"SCAN-{loan[:8]}"}
        scope = {}
        if model["cloud"]:
            scope["makerCloud"] = True
        if model["sharing"]:
            scope["sharing"] = rng.random() < 0.5
        if rng.random() < 0.3:
            scope["research"] = rng.random() < 0.5
        if scope:
            body["scope"] = scope
        if rng.random() < 0.2:
            body["witness"] = "試験 立会人"
        answer = self.post(f"/loans/{loan}/consent", body, 201, "consent")
        with self.c.ledger.lock:
            self.c.ledger.consents[answer["id"]] = loan
        self.c.ledger.loan(loan, CONSENTED, device, self.c.number, "consents")
        if self.handing_on(("sheet", loan, device)):
            return
        self.sheet(loan, device)

    def sheet(self, loan, device):
        answer = self.post(f"/loans/{loan}/contact-sheet", {}, 200, "contact sheet")
        sheet = (answer.get("contactSheet") or {}).get("id")
        if not sheet or answer.get("handoverRequirements") != []:
            raise Unexpected(f"contact sheet for loan {loan}: answer without the sheet or still blocked")
        with self.c.ledger.lock:
            self.c.ledger.sheets[sheet] = loan
        self.c.ledger.loan(loan, SHEET_GIVEN, device, self.c.number, "contact sheets")
        if self.handing_on(("handover", loan, device)):
            return
        self.handover(loan, device)

    def handover(self, loan, device):
        answer = self.post(f"/loans/{loan}/handover", {}, 200, "hand-over")
        if answer.get("status") != "active":
            raise Unexpected(f"hand-over of loan {loan} answered status {answer.get('status')}")
        with self.c.ledger.lock:
            self.c.ledger.handovers[loan] = device
        self.c.ledger.loan(loan, ON_LOAN, device, self.c.number, "hand-overs")
        if self.rng.random() < 0.35:
            self.give_back(loan, device)
        else:
            self.c.scheduler.lent(loan, device)

    def give_back(self, loan, device):
        answer = self.post(f"/loans/{loan}/return", {"condition": self.rng.choice(("ok", "ok", "ok", "damaged")),
                                                     "accessoriesComplete": self.rng.random() < 0.9}, 200, "return")
        if answer.get("status") != "returned":
            raise Unexpected(f"return of loan {loan} answered status {answer.get('status')}")
        with self.c.ledger.lock:
            self.c.ledger.returns[loan] = device
        self.c.ledger.loan(loan, RETURNED, device, self.c.number, "returns")
        model = self.c.models[self.c.scheduler.model_of[device]]
        if not model["data"]:
            self.c.scheduler.freed(device)
        elif not self.handing_on(("wipe", device, loan)):
            self.wipe(device, loan)

    def wipe(self, device, loan):
        model = self.c.models[self.c.scheduler.model_of[device]]
        answer = self.post(f"/devices/{device}/sanitizations", {
            "method": model["wipe"], "performedBy": self.login, "verifiedBy": self.other,
            "dataExportedFirst": False}, 201, "wipe")
        if answer.get("status") != "available":
            raise Unexpected(f"wipe of device {device} answered status {answer.get('status')}")
        with self.c.ledger.lock:
            self.c.ledger.wipes.add((device, loan))
        self.c.ledger.count("wipes")
        self.c.scheduler.freed(device)


def run_checkpoint_cli():
    """`loan-registry audit checkpoint` beside the server (a second process on the same files)."""
    return spawn([BIN, "audit", "checkpoint", "--db", DB, "--texts", TEXTS],
                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL)


def parse_checkpoint_output(text):
    """'checkpoint 3: event 812, head …' → (3, 812); None when no checkpoint was needed."""
    for line in text.splitlines():
        if line.startswith("checkpoint "):
            head, _, rest = line.partition(":")
            try:
                return int(head.split()[1]), int(rest.split(",")[0].split()[1])
            except (IndexError, ValueError):
                return None
    return None


# ───────────────────────────── checks on the killed files ─────────────────────────────

def rows(conn, sql, *args):
    return conn.execute(sql, args).fetchall()


def check_files(ledger, scheduler, models, label, db=DB, audit_dir=AUDIT_DIR):
    """Checks the stopped server's files against the ledger; rebuilds the work queue. Returns stats."""
    lost, bad = [], []
    conn = sqlite3.connect(db, timeout=30, isolation_level=None)
    try:
        integrity = [r[0] for r in rows(conn, "PRAGMA integrity_check")]
        if integrity != ["ok"]:
            bad.append(f"integrity_check: {integrity[:5]}")
        fk = rows(conn, "PRAGMA foreign_key_check")
        if fk:
            bad.append(f"foreign_key_check: {len(fk)} violations, first {fk[:3]}")

        patients = {r[0] for r in rows(conn, "SELECT id FROM patients")}
        devices = {r[0]: (r[1], r[2]) for r in rows(conn, "SELECT id, status, model_id FROM devices")}
        loans = {r[0]: r[1:] for r in rows(conn, "SELECT id, status, device_id, current_explanation_id, handed_over_at, returned_at FROM loans")}
        consents = {r[0]: r[1:] for r in rows(conn, "SELECT id, loan_id, explanation_id, decision FROM consents")}
        withdrawn = {r[0] for r in rows(conn, "SELECT consent_id FROM consent_withdrawals")}
        sheets = {r[0]: r[1:] for r in rows(conn, "SELECT id, loan_id, explanation_id FROM contact_sheets")}
        granted_for = {}  # explanation id → granted, unwithdrawn consent id
        for cid, (lid, eid, decision) in consents.items():
            if decision == "granted" and cid not in withdrawn:
                granted_for[eid] = cid
        sheet_for = {eid for (_lid, eid) in sheets.values()}
        last_device_event = {r[0]: r[1:] for r in rows(conn, """
            SELECT e.device_id, e.to_status, e.loan_id, e.event FROM device_events e
            JOIN (SELECT device_id, max(seq) AS seq FROM device_events GROUP BY device_id) m ON m.seq = e.seq""")}
        last_loan_event = {r[0]: r[1] for r in rows(conn, """
            SELECT e.loan_id, e.to_status FROM loan_events e
            JOIN (SELECT loan_id, max(seq) AS seq FROM loan_events GROUP BY loan_id) m ON m.seq = e.seq""")}
        # a device without patient data comes back as 'loan_returned_no_data' (straight to available)
        device_events = {(r[0], r[1], r[2]) for r in rows(conn, """
            SELECT device_id, loan_id, CASE WHEN event LIKE 'loan_returned%' THEN 'loan_returned' ELSE event END
            FROM device_events WHERE event = 'loan_handed_over' OR event LIKE 'loan_returned%'""")}
        wipes = {(r[0], r[1]) for r in rows(conn, "SELECT device_id, loan_id FROM sanitizations")}
        sessions = {r[0]: r[1] for r in rows(conn, "SELECT token_sha256, ended_at FROM staff_sessions")}
        checkpoint_events = {r[0]: r[1] for r in rows(conn, """
            SELECT entity_id, seq FROM audit_events WHERE entity_type = 'audit_checkpoint'""")}
        head_seq, head_hash = rows(conn, "SELECT seq, hash FROM audit_chain_head")[0]
        max_seq = rows(conn, "SELECT max(seq) FROM audit_events")[0][0] or 0
        events = rows(conn, "SELECT count(*) FROM audit_events")[0][0]
        if head_seq != max_seq:
            bad.append(f"audit chain head at {head_seq} but the last event is {max_seq}")
        last_action = rows(conn, "SELECT action FROM audit_events ORDER BY seq DESC LIMIT 1")
        last_action = last_action[0][0] if last_action else None
    finally:
        conn.close()

    # ── nothing acknowledged is lost
    with ledger.lock:
        for pid in ledger.patients:
            if pid not in patients:
                lost.append(f"patient {pid} (cycle {ledger.patients[pid]})")
        for did in ledger.devices:
            if did not in devices:
                lost.append(f"device {did} (cycle {ledger.devices[did]})")
        for lid, entry in ledger.loans.items():
            if lid not in loans:
                lost.append(f"loan {lid} (acknowledged {STATE_NAMES[entry['state']]}, cycle {entry['cycle']})")
                continue
            status, _device, explanation, _h, _r = loans[lid]
            state = {"draft": REGISTERED, "active": ON_LOAN, "returned": RETURNED}.get(status)
            if status == "consented":
                state = SHEET_GIVEN if explanation in sheet_for else CONSENTED
            if state is None:
                bad.append(f"loan {lid} has status {status}, which this test never asks for")
            elif state < entry["state"]:
                lost.append(f"loan {lid} acknowledged {STATE_NAMES[entry['state']]} but found "
                            f"{STATE_NAMES[state]} (cycle {entry['cycle']})")
        for cid, lid in ledger.consents.items():
            if cid not in consents:
                lost.append(f"consent {cid} of loan {lid}")
        for sid, lid in ledger.sheets.items():
            if sid not in sheets:
                lost.append(f"contact sheet {sid} of loan {lid}")
        for lid, did in ledger.handovers.items():
            if (did, lid, "loan_handed_over") not in device_events:
                lost.append(f"hand-over device event of loan {lid} (device {did})")
        for lid, did in ledger.returns.items():
            if (did, lid, "loan_returned") not in device_events:
                lost.append(f"return device event of loan {lid} (device {did})")
        for did, lid in ledger.wipes:
            if (did, lid) not in wipes:
                lost.append(f"wipe of device {did} after loan {lid}")
        for digest, cycle in ledger.sessions.items():
            if digest not in sessions:
                lost.append(f"sign-in session {digest[:12]}… (cycle {cycle})")
        for digest in ledger.sign_outs:
            if sessions.get(digest) is None:
                lost.append(f"sign-out of session {digest[:12]}…")
        acknowledged_checkpoints = dict(ledger.checkpoints)
    logged = read_checkpoint_log(audit_dir)
    logged_seq = {c.get("number"): c.get("seq") for c in logged}
    for number, seq in acknowledged_checkpoints.items():
        if str(number) not in checkpoint_events:
            lost.append(f"the chain's event for checkpoint {number} (which signed event {seq})")
        if logged_seq.get(number) != seq:
            lost.append(f"checkpoint {number} (event {seq}) in checkpoints.log: found {logged_seq.get(number)}")

    # ── nothing half-written
    open_by_device = collections.defaultdict(list)
    active_by_device = collections.defaultdict(list)
    for lid, (status, did, explanation, handed, returned) in loans.items():
        if status in ("draft", "explained", "consented", "active"):
            open_by_device[did].append(lid)
        if status == "active":
            active_by_device[did].append(lid)
            if devices.get(did, (None,))[0] != "on_loan":
                bad.append(f"loan {lid} is active but its device {did} is {devices.get(did, ('missing',))[0]}")
            ev = last_device_event.get(did)
            if not ev or ev[0] != "on_loan" or ev[1] != lid:
                bad.append(f"loan {lid} is active but device {did}'s last event is {ev and (ev[0], ev[2])}")
        if status in ("active", "returned"):  # it passed the hand-over gate
            if explanation not in granted_for:
                bad.append(f"loan {lid} is {status} without a granted consent to its current explanation")
            if explanation not in sheet_for:
                bad.append(f"loan {lid} is {status} without a contact sheet for its current explanation")
            if not handed:
                bad.append(f"loan {lid} is {status} without handed_over_at")
        if status == "consented" and explanation not in granted_for:
            bad.append(f"loan {lid} is consented without a granted consent to its current explanation")
        if status == "returned" and not returned:
            bad.append(f"loan {lid} is returned without returned_at")
        expected_event = {"draft": None}.get(status, status)
        if last_loan_event.get(lid) != expected_event:
            bad.append(f"loan {lid} is {status} but its last loan event says {last_loan_event.get(lid)}")
    for did, lids in open_by_device.items():
        if len(lids) > 1:
            bad.append(f"device {did} is on {len(lids)} open loans: {sorted(lids)}")
    for did, (status, _model) in devices.items():
        if status == "on_loan" and len(active_by_device.get(did, [])) != 1:
            bad.append(f"device {did} is on_loan with {len(active_by_device.get(did, []))} active loans")
        if status != "on_loan" and active_by_device.get(did):
            bad.append(f"device {did} is {status} but loan {active_by_device[did][0]} is active on it")
        ev = last_device_event.get(did)
        if not ev or ev[0] != status:
            bad.append(f"device {did} is {status} but its last device event says {ev and ev[0]}")

    if lost or bad:
        raise Failure(f"{label}: {len(lost)} lost, {len(bad)} inconsistent\n"
                      + "".join(f"  LOST {x}\n" for x in lost[:25])
                      + (f"  … and {len(lost) - 25} more lost\n" if len(lost) > 25 else "")
                      + "".join(f"  INCONSISTENT {x}\n" for x in bad[:25])
                      + (f"  … and {len(bad) - 25} more inconsistent\n" if len(bad) > 25 else ""))

    # ── the next cycle's work: what is open, from what the files hold
    with scheduler.lock:
        scheduler.resume.clear()
        scheduler.free, scheduler.out = [], []
        scheduler.patients = sorted(patients)
        scheduler.model_of = {did: model for did, (_s, model) in devices.items()}
        for lid, (status, did, explanation, _h, _r) in sorted(loans.items()):
            if status == "draft":
                scheduler.resume.append(("consent", lid, did))
            elif status == "consented":
                scheduler.resume.append(("handover" if explanation in sheet_for else "sheet", lid, did))
            elif status == "active":
                scheduler.out.append((lid, did))
        for did, (status, model) in sorted(devices.items()):
            if status == "available" and not open_by_device.get(did) and model in models:
                scheduler.free.append(did)
            elif status == "awaiting_wipe":
                scheduler.resume.append(("wipe", did, last_device_event[did][1]))
        stats = {"free": len(scheduler.free), "out": len(scheduler.out), "resume": len(scheduler.resume)}
    stats.update(events=events, head_seq=head_seq, last_action=last_action, loans=len(loans),
                 devices=len(devices), patients=len(patients), logged=logged)
    return stats


def read_checkpoint_log(audit_dir=AUDIT_DIR):
    path = os.path.join(audit_dir, "checkpoints.log")
    if not os.path.exists(path):
        return []
    out = []
    with open(path, "rb") as f:
        for line in f.read().decode("utf-8", "replace").splitlines():
            if line.strip():
                try:
                    out.append(json.loads(line))
                except ValueError:
                    out.append({"unparsable": line[:80]})
    return out


def verify(label, db=DB, audit_dir=AUDIT_DIR, deep=True):
    started = time.monotonic()
    result = subprocess.run([BIN, "verify"] + (["--deep"] if deep else [])
                            + ["--db", db, "--audit-dir", audit_dir, "--texts", TEXTS, "--json"],
                            capture_output=True, timeout=600)
    elapsed = time.monotonic() - started
    try:
        report = json.loads(result.stdout)
    except ValueError:
        report = None
    if result.returncode != 0 or not report or report.get("passed") is not True:
        summary = describe_verification(report) if report else result.stdout.decode("utf-8", "replace")[-1500:]
        raise Failure(f"{label}: verify{' --deep' if deep else ''} exited {result.returncode}, passed={report and report.get('passed')}\n"
                      f"{summary}\n{result.stderr.decode('utf-8', 'replace')[-1500:]}")
    return elapsed, report


def describe_verification(report):
    """The failing parts of a verify --json report, compactly."""
    parts = []
    for key, value in report.items():
        if key == "passed":
            continue
        text = json.dumps(value, ensure_ascii=False)
        if isinstance(value, dict):
            interesting = {k: v for k, v in value.items() if v not in ([], 0, None, "") or k in ("passed", "isIntact")}
            text = json.dumps(interesting, ensure_ascii=False)
        parts.append(f"  {key}: {text[:600]}")
    return "\n".join(parts)


# ───────────────────────────── main ─────────────────────────────

def setup(server, ledger, scheduler):
    """Demo clinic + our own devices and patients, all through the API (and acknowledged)."""
    port = server.port
    tokens = {login: sign_in(port, login) for login in STAFF}
    for token in tokens.values():
        ledger.sessions[hashlib.sha256(token.encode()).hexdigest()] = 0
        ledger.count("sign-ins")
    client = Client(port, tokens["suzuki"])
    status, page = client.call("GET", "/device-models?limit=500")
    if status != 200:
        raise Failure(f"GET /device-models answered {status}")
    models = {}
    for m in page["items"]:
        profile = m["securityProfile"]
        models[m["id"]] = {"data": bool(profile.get("storesPatientData")), "cloud": "cloudUpload" in profile,
                           "sharing": bool(profile.get("sharingFeature")), "wipe": profile.get("wipeMethod")}
    cursor, devices = None, []
    while True:
        status, page = client.call("GET", "/devices?limit=500" + (f"&cursor={cursor}" if cursor else ""))
        if status != 200:
            raise Failure(f"GET /devices answered {status}")
        devices += page["items"]
        cursor = page.get("nextCursor")
        if not cursor:
            break
    for d in devices:
        scheduler.model_of[d["id"]] = d["modelId"]
        if d["status"] == "available":
            scheduler.free.append(d["id"])
    status, page = client.call("GET", "/patients?limit=500")
    scheduler.patients = [p["id"] for p in page.get("items", [])]
    rng = random.Random(SEED)
    model_ids = sorted(models)
    for i in range(INITIAL_DEVICES):
        n = scheduler.new_asset_number()
        model = model_ids[i % len(model_ids)]
        status, d = client.call("POST", "/devices", {"modelId": model, "assetTag": f"CT-{n:06d}",
                                                     "serialNumber": f"CTSN-{SEED % 100000:05d}-{n:06d}"})
        if status != 201:
            raise Failure(f"registering device {n} answered {status} {d.get('code')}")
        ledger.device(d["id"], 0)
        scheduler.model_of[d["id"]] = model
        scheduler.free.append(d["id"])
    for i in range(INITIAL_PATIENTS):
        n = scheduler.new_asset_number()
        status, p = client.call("POST", "/patients", {"patientNumber": f"CTP-0000-{n:06d}", "name": f"試験 患者{n}",
                                                      "language": rng.choice(("ja", "ja-easy", "en"))})
        if status != 201:
            raise Failure(f"registering patient {n} answered {status} {p.get('code')}")
        ledger.patient(p["id"], 0)
        scheduler.patients.append(p["id"])
    client.close()
    return tokens, models


def after_restart(server, ledger, old_tokens, rng, number):
    """Sign in again; the previous tokens still work (their sessions were acknowledged), then sign
    them out; a sample of the acknowledged loans and patients reads back through the API."""
    port = server.port
    for login, token in old_tokens.items():
        status, me = Client(port).call("GET", "/auth/me", token=token)
        if status != 200 or me.get("login") != login:
            raise Failure(f"the acknowledged sign-in of {login} no longer works after the restart: {status} {me.get('code')}")
        status, _ = Client(port).call("DELETE", "/auth/token", token=token)
        if status != 204:
            raise Failure(f"signing out {login}'s previous token answered {status}")
        with ledger.lock:
            ledger.sign_outs.add(hashlib.sha256(token.encode()).hexdigest())
            ledger.count("sign-outs")
    tokens = {login: sign_in(port, login) for login in STAFF}
    with ledger.lock:
        for token in tokens.values():
            ledger.sessions[hashlib.sha256(token.encode()).hexdigest()] = number
            ledger.count("sign-ins")
        loans = rng.sample(ledger.recent_loans, min(4, len(ledger.recent_loans)))
        loans += rng.sample(sorted(ledger.loans), min(2, len(ledger.loans)))
        patients = rng.sample(ledger.recent_patients, min(2, len(ledger.recent_patients)))
        patients += rng.sample(sorted(ledger.patients), min(1, len(ledger.patients)))
        expected = {lid: ledger.loans[lid]["state"] for lid in loans}
    client = Client(port, tokens["sato"])
    for lid in loans:
        status, loan = client.call("GET", f"/loans/{lid}")
        state = loan_state(loan) if status == 200 else None
        if status != 200 or state is None or state < expected[lid]:
            raise Failure(f"GET /loans/{lid} after the restart: {status} {loan.get('code', '')} state "
                          f"{STATE_NAMES[state] if state is not None else loan.get('status')}, acknowledged "
                          f"{STATE_NAMES[expected[lid]]}")
    for pid in patients:
        status, patient = client.call("GET", f"/patients/{pid}")
        if status != 200 or patient.get("id") != pid:
            raise Failure(f"GET /patients/{pid} after the restart: {status} {patient.get('code', '')}")
    client.close()
    return tokens, len(loans) + len(patients)


def main():
    if not os.access(BIN, os.X_OK):
        shutil.rmtree(ROOT, ignore_errors=True)
        print(f"crash test: no executable at {BIN} (set BIN)", file=sys.stderr)
        return 2
    print(f"crash test: seed {SEED} (SEED={SEED} repeats it), {CYCLES} cycles, {WORKERS} workers, "
          f"binary {os.environ.get('BIN', BIN)}, files in {ROOT}", flush=True)
    # The plan (kill delays, SIGKILL or SIGTERM, when `audit checkpoint` runs, each worker's choices)
    # comes from SEED alone; which requests are in flight at the kill depends on thread timing.
    rng = random.Random(SEED)
    sample_rng = random.Random(SEED + 1)
    ledger, scheduler = Ledger(), Scheduler()
    server = Server()
    started = time.monotonic()
    stats = {}
    try:
        server.start(demo=True)
        tokens, models = setup(server, ledger, scheduler)
        for number in range(1, CYCLES + 1):
            cycle_started = time.monotonic()
            ledger.new_cycle()
            cycle = Cycle(number, server.port, tokens, models, ledger, scheduler, rng)
            delay = rng.uniform(*KILL_DELAY)
            mode = "SIGTERM" if rng.random() < TERM_SHARE else "SIGKILL"
            checkpoint_at = rng.uniform(0.0, delay * 1.1) if rng.random() < CHECKPOINT_SHARE else None
            kill_checkpoint = rng.random() < 0.5
            writes_before = ledger.counts["writes"]
            barrier = threading.Barrier(WORKERS + 1)
            threads = [threading.Thread(target=Worker(cycle, i).run, args=(barrier,), daemon=True)
                       for i in range(WORKERS)]
            for t in threads:
                t.start()
            barrier.wait(timeout=30)
            load_started = time.monotonic()
            cli, cli_note = None, ""
            if checkpoint_at is not None and checkpoint_at < delay:
                time.sleep(checkpoint_at)
                cli = run_checkpoint_cli()
            time.sleep(max(0.0, delay - (time.monotonic() - load_started)))
            cycle.stop.set()
            if mode == "SIGKILL":
                if cli is not None and kill_checkpoint and cli.poll() is None:
                    cli.kill()  # the machine went down under both
                    cli_note = "checkpoint CLI killed too"
                server.kill()
            else:
                cycle.shutting_down = True
                code = server.terminate(writer_beside=cli is not None and cli.poll() is None)
                if code != 0:
                    raise Failure(f"cycle {number}: server exited {code} after SIGTERM under load")
            if cli is not None:
                try:
                    out, err = cli.communicate(timeout=60)
                except subprocess.TimeoutExpired:
                    cli.kill()
                    raise Failure(f"cycle {number}: `audit checkpoint` did not finish within 60 s")
                finally:
                    with live_lock:
                        if cli in live_processes:
                            live_processes.remove(cli)
                if cli.returncode == 0:
                    done = parse_checkpoint_output(out.decode("utf-8", "replace"))
                    if done:
                        with ledger.lock:
                            ledger.checkpoints[done[0]] = done[1]
                            ledger.count("checkpoints")
                    cli_note = cli_note or (f"checkpoint {done[0]} written beside the load" if done else "checkpoint CLI: nothing to sign")
                elif cli.returncode != -signal.SIGKILL:
                    raise Failure(f"cycle {number}: `audit checkpoint` beside the server exited {cli.returncode}: "
                                  f"{err.decode('utf-8', 'replace').strip()[-500:]}")
            for t in threads:
                t.join(timeout=HTTP_TIMEOUT + 5)
            if any(t.is_alive() for t in threads):
                raise Failure(f"cycle {number}: a worker still hangs {HTTP_TIMEOUT + 5:.0f} s after the stop")
            if cycle.problems:
                raise Failure(f"cycle {number}: " + "\n  ".join(cycle.problems[:10]))
            acked = ledger.counts["writes"] - writes_before
            # Who opens the crashed files first, and so recovers the WAL the kill left behind, rotates:
            # python's sqlite3, or `verify`, or the restarted server itself (then the checks run on a
            # copy of the killed files, and the server gets the originals with their hot WAL).
            recovery = ("python", "verify", "server")[number % 3]
            label = f"cycle {number} after {mode}"
            deep = number % DEEP_EVERY == 0
            if recovery == "python":
                stats = check_files(ledger, scheduler, models, label)
                verify_time, _ = verify(label, deep=deep)
            elif recovery == "verify":
                verify_time, _ = verify(label, deep=deep)
                stats = check_files(ledger, scheduler, models, label)
            else:
                copy = os.path.join(ROOT, "killed-copy")
                shutil.rmtree(copy, ignore_errors=True)
                os.makedirs(copy)
                for suffix in ("", "-wal"):  # no -shm: the copy rebuilds its WAL index
                    if os.path.exists(DB + suffix):
                        shutil.copy2(DB + suffix, os.path.join(copy, "crash.sqlite" + suffix))
                shutil.copytree(AUDIT_DIR, os.path.join(copy, "crash.sqlite.audit"))
                copied_db = os.path.join(copy, "crash.sqlite")
                stats = check_files(ledger, scheduler, models, label + " (checked on a copy)", copied_db,
                                    copied_db + ".audit")
                verify_time, _ = verify(label + " (verified on a copy)", copied_db, copied_db + ".audit", deep)
                shutil.rmtree(copy, ignore_errors=True)
            hot_wal = os.path.exists(DB + "-wal") and os.path.getsize(DB + "-wal") > 0
            server.start()
            tokens, sampled = after_restart(server, ledger, tokens, sample_rng, number)
            print(f"cycle {number:>3}/{CYCLES}: {mode} after {delay:4.2f}s, {acked:>3} acknowledged writes, "
                  f"{cycle.lost_connections} cut off; files ok ({stats['loans']} loans, {stats['events']} audit events), "
                  f"WAL recovered by {recovery}{' (hot WAL)' if recovery == 'server' and hot_wal else ''}, "
                  f"verify{' --deep' if deep else ''} {verify_time:.2f}s, restart read {sampled} back"
                  + (f"; {cli_note}" if cli_note else "")
                  + f" [{time.monotonic() - cycle_started:.1f}s]", flush=True)
        # The end: a clean stop writes the shutdown checkpoint; check and verify once more.
        code = server.terminate()
        if code != 0:
            raise Failure(f"server exited {code} after the final SIGTERM")
        stats = check_files(ledger, scheduler, models, "after the final stop")
        verify("after the final stop")
        last = stats["logged"][-1] if stats["logged"] else None
        if not last or last.get("seq") != stats["head_seq"] - 1 or stats["last_action"] != "audit.checkpointed":
            raise Failure(f"after the final stop the shutdown checkpoint does not cover the chain: last logged "
                          f"checkpoint {last and (last.get('number'), last.get('seq'))}, chain head {stats['head_seq']} "
                          f"({stats['last_action']})")
    except Failure as failure:
        print(f"\nCRASH TEST FAILED (seed {SEED}): {failure}", flush=True)
        print(server.log_tail(30), flush=True)
        if server.process is not None:
            server.process.kill()
            reap(server.process, timeout=30)
        print(f"files kept in {ROOT}", flush=True)
        return 1
    finally:
        end_all_children()
    c = ledger.counts
    # A run where the load never got going proves nothing: ask for real work across the flow.
    if c['writes'] < 10 * CYCLES or c['hand-overs'] < CYCLES:
        print(f"CRASH TEST FAILED (seed {SEED}): too little was acknowledged to prove anything "
              f"({c['writes']} writes, {c['hand-overs']} hand-overs in {CYCLES} cycles)", flush=True)
        return 1
    print(f"crash test: {CYCLES} cycles, {c['writes']} acknowledged writes (patients {c['patients']}, "
          f"loans {c['loans']}, hand-overs {c['hand-overs']}, consents {c['consents']}, returns {c['returns']}, "
          f"wipes {c['wipes']}, devices {c['devices']}), 0 lost, 0 inconsistent, integrity ok, verify passed "
          f"[seed {SEED}, {time.monotonic() - started:.0f}s]", flush=True)
    if KEEP:
        print(f"files kept in {ROOT}")
    else:
        shutil.rmtree(ROOT, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
