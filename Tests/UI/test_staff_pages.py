"""The staff pages in a real browser: Debian's Chromium driven by Playwright.

Run by Tests/UI/run.sh, which starts the server on a new demo database (UI_BASE, UI_DB).
Every page visited is checked for console errors (a blocked inline script or style shows
there) and for failed requests; every test asserts what the clinic would see or what was stored.
"""
import hashlib
import datetime
import json
import os
import re
import shutil
import sqlite3
import unittest
import urllib.request

from playwright.sync_api import sync_playwright, expect

BASE = os.environ["UI_BASE"]
DB = os.environ["UI_DB"]
SHOTS = os.environ.get("UI_SCREENSHOTS", ".build/ui-screenshots")

STAFF = ("sato", "Counter#Desk-2026")
# The access review and evidence pages cover this month so far (Japan time).
TODAY = (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=9)).date()
MONTH_START = TODAY.replace(day=1)
MANAGER = ("suzuki", "Planning#Desk-2026")
AUDITOR = ("takahashi", "Review#Ledger-2026")


def api(method, path, body=None):
    """One call to the REST API as the manager (bearer token), for test data."""
    def call(method, path, body, token=None):
        request = urllib.request.Request(BASE + path, method=method, data=json.dumps(body).encode() if body is not None else None,
                                         headers={"Content-Type": "application/json",
                                                  **({"Authorization": f"Bearer {token}"} if token else {})})
        with urllib.request.urlopen(request) as response:
            return json.load(response)
    token = call("POST", "/api/v1/auth/token", {"login": MANAGER[0], "password": MANAGER[1]})["token"]
    return call(method, path, body, token)


def database():
    """The registry's own SQLite file, read-only (the server keeps writing it)."""
    return sqlite3.connect(f"file:{DB}?mode=ro", uri=True)


class Watched:
    """A page whose console errors and failed requests are collected as it is used."""

    def __init__(self, context):
        self.page = context.new_page()
        self.problems = []
        self.expected_statuses = set()
        # A page answered with an error status is logged as "Failed to load resource"; statuses are
        # checked below against those the test expects.
        self.page.on("console", lambda message: message.type == "error"
                     and not message.text.startswith("Failed to load resource")
                     and self.problems.append(f"console: {message.text} on {self.page.url}"))
        self.page.on("pageerror", lambda error: self.problems.append(f"script error: {error} on {self.page.url}"))
        self.page.on("requestfailed", lambda request: self.problems.append(f"failed: {request.url} {request.failure}"))
        self.page.on("response", self._response)

    def _response(self, response):
        if response.status >= 400 and response.status not in self.expected_statuses:
            self.problems.append(f"HTTP {response.status}: {response.url}")

    def sign_in(self, account, next_path="/"):
        page = self.page
        page.goto(BASE + next_path)
        expect(page).to_have_url(re.compile(r"/signin"))
        page.fill("#login", account[0])
        page.fill("#password", account[1])
        page.click("form[action='/signin'] button[type=submit]")
        expect(page.locator("header.bar")).to_be_visible()

    def sign_out(self):
        self.page.click("#signout-form button")
        expect(self.page).to_have_url(re.compile(r"/signin"))


class StaffPagesTests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.playwright = sync_playwright().start()
        cls.browser = cls.playwright.chromium.launch(executable_path=shutil.which("chromium"), args=["--no-sandbox"])

    @classmethod
    def tearDownClass(cls):
        cls.browser.close()
        cls.playwright.stop()

    def open(self, width=1280, height=900):
        context = self.browser.new_context(viewport={"width": width, "height": height}, locale="ja-JP")
        self.addCleanup(context.close)
        watched = Watched(context)
        self.addCleanup(lambda: self.assertEqual(watched.problems, [], "console errors or failed requests"))
        return watched

    # 1 — the clinic's core day, end to end.
    def test_1_core_day(self):
        watched = self.open()
        page = watched.page
        watched.sign_in(STAFF)
        expect(page.locator("h1")).to_have_text("今日の業務")

        # Add a patient.
        page.click("nav >> text=患者")
        page.click("text=患者を登録する")
        page.fill("#patientNumber", "P-UI-0001")
        page.fill("#name", "画面 花子")
        page.fill("#nameKana", "ガメン ハナコ")
        page.fill("#phone", "03-5555-0101")
        page.click("main form button[type=submit]")
        expect(page.locator(".alert.ok")).to_contain_text("患者を登録しました")
        self.assertNotIn("画面", page.url, "no patient data in URLs")
        self.assertNotIn("画面", page.title(), "no patient data in titles")

        # New loan: scan the tag, find the patient, dates and language.
        page.click("nav >> text=新規貸出")
        page.fill("#tag", "CGM-0001")
        page.press("#tag", "Enter")
        expect(page.locator("ol.steps li[aria-current]")).to_contain_text("患者")
        page.fill("#q", "ガメン")
        page.press("#q", "Enter")
        page.click("text=画面 花子")
        expect(page.locator("ol.steps li[aria-current]")).to_contain_text("期間と言語")
        page.click("text=貸出を登録して説明へ進む")
        expect(page.locator(".alert.ok")).to_contain_text("貸出を登録しました")
        loan_url = page.url.split("?")[0]
        loan_id = loan_url.rsplit("/", 1)[1]

        # The gate, in plain words: consent and contact sheet are missing.
        gate = page.locator(".gate")
        expect(gate).to_contain_text("同意がまだです")
        expect(gate).to_contain_text("連絡先のご案内をお渡しください")
        self.assertNotIn("consent_required", page.content())

        # The explanation as staff explain it: the snapshot's own text, with its check code.
        page.click("text=説明の内容を画面で見る")
        expect(page.locator("pre.explanation")).to_contain_text("CGM")
        code = page.locator("main p strong").first.inner_text()
        page.click("text=貸出の画面へ戻る")
        expect(page.locator("main")).to_contain_text(code)

        # Print the explanation and the consent form: real PDFs, with the session cookie.
        for kind in ("explanation", "consent-form"):
            response = page.request.get(f"{loan_url}/print/{kind}.pdf?size=large")
            self.assertEqual(response.status, 200)
            self.assertEqual(response.headers["content-type"], "application/pdf")
            self.assertTrue(response.body().startswith(b"%PDF"))

        # Tablet signing: the patient's screen, no staff menus.
        page.click("text=タブレットで署名")
        expect(page.locator("header.bar")).to_have_count(0)
        expect(page.locator("#explanation-text")).to_contain_text("CGM")
        for group in page.locator("fieldset:has(input[value=yes])").all():
            group.locator("input[value=yes]").check()
        page.locator("#signature-pad").scroll_into_view_if_needed()
        box = page.locator("#signature-pad").bounding_box()
        page.mouse.move(box["x"] + 40, box["y"] + 60)
        page.mouse.down()
        for step in range(1, 15):
            page.mouse.move(box["x"] + 40 + step * 20, box["y"] + 60 + (step % 3) * 15)
        page.mouse.up()
        before = page.evaluate("window.signaturePad.strokes()")
        # The tablet is turned: the pad is redrawn from its strokes, not cleared.
        page.set_viewport_size({"width": 768, "height": 1024})
        # (Polled from here: the page's policy forbids the eval that wait_for_function uses.)
        for _ in range(50):
            if page.evaluate("() => window.signaturePad.resizes()") >= 1:
                break
            page.wait_for_timeout(100)
        self.assertGreaterEqual(page.evaluate("() => window.signaturePad.resizes()"), 1)
        after = page.evaluate("window.signaturePad.strokes()")
        self.assertEqual(before, after, "the strokes survive the rotation")
        ink = page.evaluate("""() => {
            const c = document.getElementById('signature-pad');
            const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
            let n = 0; for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++; return n; }""")
        self.assertGreater(ink, 100, "the signature is drawn again after the rotation")
        page.locator("#signature-pad").scroll_into_view_if_needed()
        box = page.locator("#signature-pad").bounding_box()
        page.mouse.move(box["x"] + 100, box["y"] + 150)
        page.mouse.down()
        page.mouse.move(box["x"] + 220, box["y"] + 120)
        page.mouse.move(box["x"] + 300, box["y"] + 170)
        page.mouse.up()
        strokes = page.evaluate("window.signaturePad.strokes()")
        self.assertEqual(len(strokes), 2)
        self.assertTrue(all(len(point) == 4 for stroke in strokes for point in stroke))
        page.click("button[value=granted]")
        # The screen locks back to the staff sign-in.
        expect(page).to_have_url(re.compile(r"/signin\?signed=1"))
        expect(page.locator(".alert.ok")).to_contain_text("同意を記録しました")

        # The strokes were stored with the consent and hashed with it (the audit event carries the hash).
        with database() as db:
            stored, digest, png, explanation = db.execute(
                "SELECT signature_strokes, signature_strokes_sha256, signature_png, explanation_sha256 "
                "FROM consents WHERE loan_id = ?", (loan_id,)).fetchone()
            event = json.loads(db.execute(
                "SELECT details FROM audit_events WHERE action = 'consent.recorded' AND entity_id = "
                "(SELECT id FROM consents WHERE loan_id = ?)", (loan_id,)).fetchone()[0])
            current = db.execute("SELECT sha256 FROM explanations WHERE loan_id = ? ORDER BY sequence DESC LIMIT 1",
                                 (loan_id,)).fetchone()[0]
        evidence = json.loads(stored)
        self.assertEqual(evidence["strokes"], strokes)
        self.assertEqual(evidence["resizes"] >= 1, True)
        self.assertEqual(evidence["canvasWidth"] > 0 and evidence["devicePixelRatioThousandths"] >= 100, True)
        self.assertEqual(hashlib.sha256(stored.encode()).hexdigest(), digest)
        self.assertEqual(event["strokesSha256"], digest)
        self.assertTrue(png.startswith(b"\x89PNG"))
        self.assertEqual(explanation, current, "the consent names the explanation shown")

        # Staff sign in again (back on the loan), print and give the contact sheet, hand over.
        page.set_viewport_size({"width": 1280, "height": 900})
        page.fill("#login", STAFF[0])
        page.fill("#password", STAFF[1])
        page.click("form[action='/signin'] button[type=submit]")
        expect(page).to_have_url(re.compile(loan_id))
        expect(page.locator(".gate")).not_to_contain_text("同意がまだです")
        response = page.request.get(f"{loan_url}/print/contact-sheet.pdf")
        self.assertEqual(response.headers["content-type"], "application/pdf")
        page.click("text=連絡先のご案内を渡した")
        expect(page.locator(".gate")).to_contain_text("お渡しの準備ができています")
        page.click("text=機器をお渡しする")
        expect(page.locator(".alert.ok")).to_contain_text("お渡ししました")
        expect(page.locator("dl.facts")).to_contain_text("貸出中")

        # Return at the counter; the wipe follows, verified by a second person with their own password.
        page.click("nav >> text=返却")
        page.fill("#tag", "CGM-0001")
        page.press("#tag", "Enter")
        page.select_option("#condition", "ok")
        page.check("input[name=accessoriesComplete][value=yes]")
        page.click("text=返却を記録")
        expect(page.locator("h1")).to_contain_text("データ消去の記録")
        page.check("input[name=dataExportedFirst][value=yes]")
        page.fill("#exportReference", "カルテ取込 2026-11")
        page.fill("#verifierLogin", MANAGER[0])
        page.fill("#verifierPassword", "wrong password")
        watched.expected_statuses.add(401)
        page.click("text=消去を記録")
        expect(page.locator(".alert.error")).to_contain_text("正しくありません")
        watched.expected_statuses.discard(401)
        page.fill("#verifierPassword", MANAGER[1])
        page.click("text=消去を記録")
        expect(page.locator("h1")).to_contain_text("返却受領書")
        expect(page.locator(".receipt")).to_contain_text("消去しました")

        # The device is available again.
        page.click("nav >> text=機器台帳")
        page.click("text=CGM-0001")
        expect(page.locator("#device-status")).to_have_text("貸出可能")
        with database() as db:
            verified_by = db.execute("SELECT verified_by FROM sanitizations ORDER BY rowid DESC LIMIT 1").fetchone()[0]
        self.assertIn("suzuki", verified_by)

    # The gate's guidance when staff try to hand over too early.
    def test_2_gate_guidance(self):
        watched = self.open()
        page = watched.page
        watched.sign_in(STAFF, "/loans/new")
        page.click("text=HOL-0001")
        page.fill("#q", "P-000001")
        page.press("#q", "Enter")
        page.locator("ul.rows a").first.click()
        page.click("text=貸出を登録して説明へ進む")
        watched.expected_statuses.add(409)
        page.click("text=機器をお渡しする")
        alert = page.locator(".alert.error")
        expect(alert).to_contain_text("同意がまだです")
        expect(alert).to_contain_text("連絡先のご案内をお渡しください")
        self.assertNotRegex(alert.inner_text(), r"[a-z]+_[a-z]+", "guidance, never a code")
        with database() as db:
            status = db.execute("SELECT status FROM loans ORDER BY rowid DESC LIMIT 1").fetchone()[0]
        self.assertEqual(status, "draft")
        # Consent on paper instead: the scan reference is recorded and the guidance moves on.
        code = page.locator("section:has(#h-explain) strong").inner_text()
        page.click("summary:has-text('紙の同意書で記録する')")
        page.fill("#p-code", "0000-0000")
        page.fill("#p-scan", "同意書綴 2026-11 No.7")
        watched.expected_statuses.add(422)
        page.click("text=紙の同意を記録")
        expect(page.locator(".alert.error")).to_contain_text("照合コード")
        # The check code printed on the signed form names the explanation the patient read.
        page.click("summary:has-text('紙の同意書で記録する')")
        page.fill("#p-code", code)
        page.fill("#p-scan", "同意書綴 2026-11 No.7")
        page.click("text=紙の同意を記録")
        expect(page.locator(".alert.ok")).to_contain_text("同意を記録しました")
        expect(page.locator(".gate")).not_to_contain_text("同意がまだです")
        expect(page.locator(".gate")).to_contain_text("連絡先のご案内をお渡しください")
        with database() as db:
            method, reference = db.execute("SELECT evidence_method, scan_reference FROM consents ORDER BY rowid DESC LIMIT 1").fetchone()
        self.assertEqual((method, reference), ("paper", "同意書綴 2026-11 No.7"))

    # The idle lock: an unattended screen signs itself out.
    def test_3_idle_lock(self):
        watched = self.open()
        page = watched.page
        page.clock.install()
        watched.sign_in(STAFF)
        seconds = int(page.get_attribute("body", "data-idle-seconds"))
        self.assertGreater(seconds, 0)
        page.clock.fast_forward(seconds * 1000 + 2000)
        expect(page).to_have_url(re.compile(r"/signin\?locked=1"))
        expect(page.locator(".alert.info")).to_contain_text("ロック")
        page.goto(BASE + "/patients")
        expect(page).to_have_url(re.compile(r"/signin"))

    # A form posted without its CSRF token is refused, and nothing is written.
    def test_4_csrf_refused(self):
        watched = self.open()
        page = watched.page
        watched.sign_in(STAFF)
        response = page.request.post(BASE + "/patients/new", form={
            "patientNumber": "P-CSRF-1", "name": "偽 太郎", "language": "ja"})
        self.assertEqual(response.status, 403)
        token = page.get_attribute("meta[name=csrf-token]", "content")
        wrong = page.request.post(BASE + "/patients/new", form={
            "_csrf": token[::-1], "patientNumber": "P-CSRF-2", "name": "偽 次郎", "language": "ja"})
        self.assertEqual(wrong.status, 403)
        with database() as db:
            count = db.execute("SELECT count(*) FROM patients WHERE patient_number LIKE 'P-CSRF-%'").fetchone()[0]
        self.assertEqual(count, 0)
        # With the token the same post works: the refusal was the token's.
        ok = page.request.post(BASE + "/patients/new", form={
            "_csrf": token, "patientNumber": "P-CSRF-3", "name": "正 三郎", "language": "ja"}, max_redirects=0)
        self.assertEqual(ok.status, 303)

    # Clinical staff cannot open the account pages; the menu does not offer them.
    def test_5_staff_cannot_open_accounts(self):
        watched = self.open()
        page = watched.page
        watched.sign_in(STAFF)
        expect(page.locator("nav >> text=アカウント")).to_have_count(0)
        watched.expected_statuses.add(403)
        response = page.goto(BASE + "/accounts")
        self.assertEqual(response.status, 403)
        expect(page.locator(".alert.error")).to_contain_text("役割")
        watched.sign_out()
        watched.expected_statuses.discard(403)
        watched.sign_in(AUDITOR, "/accounts")
        expect(page.locator("table.list")).to_contain_text("sato")
        expect(page.locator("text=アカウントを追加")).to_have_count(0)

    # Stocktake scanning: a scanner's keystrokes and Enter, each answer at once, unknown tags flashed.
    def test_6_stocktake_scan(self):
        watched = self.open()
        page = watched.page
        watched.sign_in(MANAGER, "/stocktake")
        page.click("text=棚卸を開始")
        expect(page).to_have_url(re.compile(r"/stocktakes/.+/scan"))
        # A USB scanner types into the focused field: wait until the page has focused it and its
        # script is ready (under load the first keystroke could otherwise land before).
        page.wait_for_load_state("load")
        expect(page.locator("#tag")).to_be_focused()
        page.keyboard.type("HOL-0002")
        page.keyboard.press("Enter")
        expect(page.locator("#scan-result")).to_contain_text("HOL-0002")
        expect(page.locator("#scan-result")).not_to_have_class(re.compile("unknown"))
        expect(page.locator("#scan-count")).to_have_text("1")
        page.keyboard.type("NOPE-9999")
        page.keyboard.press("Enter")
        expect(page.locator("#scan-result")).to_have_class(re.compile("unknown"))
        expect(page.locator("#scan-log li")).to_have_count(2)
        expect(page.locator("body")).to_have_class(re.compile("flash"))
        page.goto(BASE + "/stocktake")
        # Closing asks first: dismissed, nothing happens; accepted, it closes.
        page.once("dialog", lambda dialog: dialog.dismiss())
        page.click("text=締める")
        expect(page.locator("text=承認する")).to_have_count(0)
        page.once("dialog", lambda dialog: dialog.accept())
        page.click("text=締める")
        page.click("text=承認する")
        expect(page.locator(".alert.ok")).to_contain_text("承認しました")

    # English by the switch; the problem messages follow.
    def test_7_english_switch(self):
        watched = self.open()
        page = watched.page
        watched.sign_in(STAFF)
        page.click("header >> text=English")
        expect(page.locator("h1")).to_have_text("Today")
        expect(page.locator("html")).to_have_attribute("lang", "en")
        page.click("header >> text=日本語")
        expect(page.locator("h1")).to_have_text("今日の業務")
        # The switch keeps the page staff are on.
        page.goto(BASE + "/devices")
        page.click("header >> text=English")
        expect(page).to_have_url(re.compile(r"/devices$"))
        expect(page.locator("h1")).to_have_text("Device ledger")
        page.click("header >> text=日本語")

    # Repair, retirement and disposal from the device's page; a model with every security fact answered.
    def test_8_custody_and_model(self):
        watched = self.open()
        page = watched.page
        watched.sign_in(MANAGER, "/devices")
        page.click("text=SPO2-0002")
        page.click("summary:has-text('修理に出す')")
        page.fill("#r-vendor", "デモ修理センター")
        page.fill("#r-reference", "RMA-1")
        page.select_option("#r-handling", "not_data_bearing")
        page.click("form[action$='/repair'] button")
        expect(page.locator("#device-status")).to_have_text("修理中")
        page.click("text=修理から戻った")
        expect(page.locator("#device-status")).to_have_text("貸出可能")
        page.click("summary:has-text('使用を終える')")
        page.fill("#rt-reason", "電池の劣化")
        page.click("form[action$='/retire'] button")
        expect(page.locator("#device-status")).to_have_text("使用終了")
        page.select_option("#d-method", "physical_destruction")
        page.check("input[name=noReadableDataConfirmed]")
        page.click("form[action$='/dispose'] button")
        expect(page.locator("#device-status")).to_have_text("廃棄済み")
        with database() as db:
            disposals = db.execute("SELECT count(*) FROM disposals d JOIN devices v ON v.id = d.device_id "
                                   "WHERE v.asset_tag = 'SPO2-0002' AND d.no_readable_data_confirmed = 1").fetchone()[0]
        self.assertEqual(disposals, 1)

        # A device of the new kind on the shelf: registered from the ledger page.
        page.click("nav >> text=機器台帳")
        page.click("main >> text=機器を台帳に登録")
        page.select_option("#modelId", index=1)
        page.fill("#assetTag", "BP-0099")
        page.fill("#serialNumber", "SN-UI-99")
        page.fill("#whereabouts", "外来棚B")
        page.click("form[method=post][action='/devices'] button")
        expect(page.locator(".alert.ok")).to_contain_text("機器を台帳に登録しました")
        expect(page.locator("#device-status")).to_have_text("貸出可能")

        page.click("nav >> text=機種登録")
        # A fact left unanswered is refused, naming it; nothing is registered.
        token = page.get_attribute("meta[name=csrf-token]", "content")
        watched.expected_statuses.add(422)
        partial = page.request.post(BASE + "/models/new", form={
            "_csrf": token, "manufacturer": "UI Maker", "name": "Half Answered", "category": "home_bp",
            "defaultLoanDays": "14", "supportPhone": "0120-111-111", "supportHours": "平日 9:00-17:00",
            "storesPatientData": "yes"})
        self.assertEqual(partial.status, 422)
        self.assertIn("保存データは暗号化されますか", partial.text())
        page.fill("#manufacturer", "UI Maker")
        page.fill("#name", "BP Fully Answered")
        page.select_option("#category", "home_bp")
        page.fill("#defaultLoanDays", "14")
        for fieldset in page.locator("fieldset.fact").all():
            fieldset.locator("input[value=no]").check()
        page.check("input[name=storesPatientData][value=yes]")
        page.check("input[name=bluetooth][value=unknown]")
        page.select_option("#wipeMethod", "documented_erase")
        page.fill("#supportPhone", "0120-111-111")
        page.fill("#supportHours", "平日 9:00-17:00")
        page.click("text=機種を登録")
        expect(page.locator(".alert.ok")).to_contain_text("機種を登録しました")
        with database() as db:
            rows = db.execute("SELECT name, security_profile FROM device_models WHERE manufacturer = 'UI Maker'").fetchall()
        self.assertEqual([row[0] for row in rows], ["BP Fully Answered"])
        profile = json.loads(rows[0][1])
        self.assertTrue(profile["storesPatientData"])
        self.assertTrue(profile["bluetooth"], "unknown is recorded as the cautious answer")
        self.assertFalse(profile["wifi"])

    # Every page at tablet and desktop size: screenshots, labels on every control, 44-px targets.
    def test_9_every_page_at_both_sizes(self):
        os.makedirs(SHOTS, exist_ok=True)
        # A loan waiting for its consent, for the loan and signing pages (registered over the API).
        with database() as db:
            first_patient = db.execute("SELECT id FROM patients ORDER BY rowid LIMIT 1").fetchone()[0]
        loan_id = api("POST", "/api/v1/loans", {"deviceId": "HOL-0002", "patientId": first_patient})["id"]
        with database() as db:
            returned = db.execute("SELECT id FROM loans WHERE status = 'returned' ORDER BY rowid DESC LIMIT 1").fetchone()[0]
            patient = db.execute("SELECT id FROM patients ORDER BY rowid LIMIT 1").fetchone()[0]
            device = db.execute("SELECT id FROM devices ORDER BY rowid LIMIT 1").fetchone()[0]
            device_id = db.execute("SELECT id FROM devices WHERE asset_tag = 'HOL-0002'").fetchone()[0]
            stocktake = db.execute("SELECT id FROM stocktakes ORDER BY rowid DESC LIMIT 1").fetchone()[0]
        pages = [
            ("today", "/"), ("patients", "/patients"), ("patient", f"/patients/{patient}"),
            ("patient-new", "/patients/new"), ("patient-edit", f"/patients/{patient}/edit"),
            ("loan-new-device", "/loans/new"), ("loan-new-patient", f"/loans/new?device={device_id}"),
            ("loan-new-dates", f"/loans/new?device={device_id}&patient={patient}"),
            ("loan", f"/loans/{loan_id}"), ("explanation", f"/loans/{loan_id}/explanation"),
            ("sign", f"/loans/{loan_id}/sign"),
            ("returns", "/returns"), ("receipt", f"/loans/{returned}/receipt"),
            ("devices", "/devices"), ("device", f"/devices/{device}"), ("device-new", "/devices/new"), ("overdue", "/overdue"),
            ("stocktake", "/stocktake"), ("stocktake-scan", f"/stocktakes/{stocktake}/scan"),
            ("models-new", "/models/new"), ("incidents", "/incidents"),
            ("review", f"/reviews/access?from={MONTH_START}&to={TODAY}"),
            ("evidence", f"/reports/evidence?from={MONTH_START}&to={TODAY}"),
            ("audit", "/audit"), ("audit-verify", "/audit?verify=1"),
        ]
        for width, height in ((1024, 768), (1920, 1080)):
            watched = self.open(width, height)
            page = watched.page
            page.goto(BASE + "/signin")
            page.screenshot(path=f"{SHOTS}/signin-{width}x{height}.png", full_page=True)
            watched.sign_in(MANAGER)
            for name, path in pages:
                response = page.goto(BASE + path)
                self.assertEqual(response.status, 200, path)
                self.assertEqual(response.headers.get("cache-control"), "no-store", path)
                self.assertNotIn("unsafe-inline", response.headers.get("content-security-policy", ""), path)
                page.screenshot(path=f"{SHOTS}/{name}-{width}x{height}.png", full_page=True)
                unlabelled = page.evaluate("""() => [...document.querySelectorAll('input, select, textarea')]
                    .filter(e => e.type !== 'hidden' && e.labels.length === 0 && !e.getAttribute('aria-label')
                                 && !e.getAttribute('aria-labelledby')).map(e => e.name || e.id)""")
                self.assertEqual(unlabelled, [], f"controls without a label on {path}")
                small = page.evaluate("""() => [...document.querySelectorAll('button, .button, select, input:not([type=hidden]):not([type=radio])')]
                    .filter(e => e.offsetParent !== null && e.getBoundingClientRect().height < 44)
                    .map(e => e.outerHTML.slice(0, 80))""")
                self.assertEqual(small, [], f"touch targets under 44 px on {path}")
                if name in ("review", "evidence", "audit", "audit-verify"):
                    wide = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
                    self.assertLessEqual(wide, 0, f"{path} scrolls sideways at {width}px")
            watched.sign_out()
            page.goto(BASE + "/accounts")
            watched.sign_in(AUDITOR, "/accounts")
            page.screenshot(path=f"{SHOTS}/accounts-{width}x{height}.png", full_page=True)


    # 10 — the access review: the auditor reads a patient they never cared for (auditors have no part
    # in any loan); the manager sees the flag and decides it; the evidence report lists it; the audit
    # log verifies in the browser; staff see none of it.
    def test_10_access_review_and_evidence(self):
        with database() as db:
            stranger = db.execute("SELECT id FROM patients WHERE patient_number = 'P-000003'").fetchone()[0]
        request = urllib.request.Request(BASE + "/api/v1/auth/token", method="POST", headers={"Content-Type": "application/json"},
                                         data=json.dumps({"login": AUDITOR[0], "password": AUDITOR[1]}).encode())
        with urllib.request.urlopen(request) as response:
            token = json.load(response)["token"]
        with urllib.request.urlopen(urllib.request.Request(BASE + f"/api/v1/patients/{stranger}",
                                                           headers={"Authorization": f"Bearer {token}"})) as response:
            self.assertEqual(response.status, 200)
        watched = self.open()
        page = watched.page
        watched.sign_in(MANAGER, "/reviews/access")
        page.goto(BASE + f"/reviews/access?from={MONTH_START}&to={TODAY}")
        def flag_row():
            return page.locator("tr", has=page.locator(f"a[href='/patients/{stranger}']")).filter(has_text="takahashi")
        expect(flag_row()).to_have_count(1)
        expect(flag_row()).to_contain_text("担当外の患者の閲覧")
        flag_row().locator("input[value='follow-up']").check()
        flag_row().locator("input[name=note]").fill("本人に閲覧の理由を確認する")
        flag_row().locator("button[type=submit]").click()
        expect(page.locator(".alert.ok")).to_contain_text("判断を記録しました")
        expect(flag_row()).to_contain_text("要対応")
        expect(flag_row()).to_contain_text("本人に閲覧の理由を確認する")
        # This month has not ended: the manager is told when it can be signed off.
        expect(page.locator("#h-signoff + p")).to_contain_text("期間が終わってから承認できます")
        with database() as db:
            decided = db.execute("SELECT decision, decided_by FROM access_review_decisions WHERE item = ?",
                                 (f"no_care_relationship:staff:takahashi:{stranger}",)).fetchall()
        self.assertEqual(decided, [("follow-up", "staff:suzuki")])

        page.goto(BASE + f"/reports/evidence?from={MONTH_START}&to={TODAY}")
        expect(page.locator("table.list")).to_contain_text("アクセスログの要対応項目")
        expect(page.locator(".alert.ok")).to_contain_text("監査ログの検証に合格")
        pdf = page.request.get(BASE + f"/reports/evidence.pdf?from={MONTH_START}&to={TODAY}")
        self.assertEqual(pdf.status, 200)
        self.assertEqual(pdf.headers["content-type"], "application/pdf")
        self.assertTrue(pdf.body().startswith(b"%PDF"))

        page.goto(BASE + "/audit?verify=1")
        expect(page.locator(".alert.ok")).to_contain_text("監査ログの検証に合格")
        expect(page.locator("table.list tbody tr").first).to_be_visible()
        watched.sign_out()
        watched.sign_in(STAFF)
        expect(page.locator("nav a[href='/reviews/access']")).to_have_count(0)
        watched.expected_statuses.add(403)
        self.assertEqual(page.goto(BASE + "/reviews/access").status, 403)

if __name__ == "__main__":
    unittest.main()
