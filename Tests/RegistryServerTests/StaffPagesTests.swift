import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LoanRegistry
@testable import RegistryServer
import RegistryTestSupport
import Testing

/// The staff pages, through the router: closed to visitors without a sign-in, the same roles as
/// the API, every form guarded by its CSRF token, what staff type escaped, and every word in both
/// languages. (The pages in a real browser: Tests/UI.)
@Suite struct StaffPagesTests {
    static let open: Set<String> = ["GET /signin", "POST /signin", "GET /password", "POST /password", "GET /language",
                                    "GET /static/{file}"]

    /// Signs in on the sign-in page and returns the session cookie and its CSRF token.
    static func signIn(_ client: some TestClientProtocol, _ login: String) async throws -> (cookie: String, csrf: String) {
        let response = try await client.send(.post, "/signin", json: "login=\(login)&password=\(TestRegistry.password.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)",
                                             contentType: "application/x-www-form-urlencoded")
        #expect(response.status == .seeOther)
        let setCookie = try #require(response.headers[.setCookie])
        let token = try #require(setCookie.split(separator: ";").first?.split(separator: "=", maxSplits: 1).last.map(String.init))
        return ("lr_session=\(token)", AuthorizationMiddleware.csrfToken(for: token))
    }

    static func form(_ client: some TestClientProtocol, _ path: String, _ body: String, cookie: String) async throws -> APIResponse {
        try await client.send(.post, path, json: body, contentType: "application/x-www-form-urlencoded", headers: [.cookie: cookie])
    }

    @Test func everyPageButSignInSendsAVisitorWithoutASignInToSignInAndChangesNothing() async throws {
        let test = try await TestRegistry()
        let router = buildRouter(registry: test.registry, configuration: ServerConfiguration())
        let pages = router.routes.filter { !$0.path.description.hasPrefix("/api/") }
            .map { (method: $0.method, path: $0.path.description) }
        #expect(pages.count >= 40)
        let events = { try await test.registry.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM audit_events") ?? 0 } }
        let before = try await events()
        try await Application(router: router).test(.router) { client in
            for route in pages where !Self.open.contains("\(route.method.rawValue) \(route.path)") {
                let path = route.path.replacingOccurrences(of: #"\{[a-z]+\}"#, with: "zz", options: .regularExpression)
                let answer = try await client.send(route.method, path, json: "name=x&patientNumber=P-1",
                                                   contentType: "application/x-www-form-urlencoded")
                #expect(answer.status == .seeOther, "\(route.method) \(route.path): \(answer.status)")
                #expect(answer.headers[.location]?.hasPrefix("/signin") == true, "\(route.path)")
            }
        }
        #expect(try await events() == before)
    }

    @Test func aFormWithoutItsTokenOrBeyondTheRoleIsRefusedAndWritesNothing() async throws {
        let test = try await TestRegistry()
        try await test.account("tanaka", role: .staff)
        try await test.account("mori", role: .auditor)
        let router = buildRouter(registry: test.registry, configuration: ServerConfiguration())
        try await Application(router: router).test(.router) { client in
            let staff = try await Self.signIn(client, "tanaka")
            let body = "patientNumber=P-PAGE-1&name=%E8%A9%A6%E9%A8%93&language=ja"
            #expect(try await Self.form(client, "/patients/new", body, cookie: staff.cookie).status == .forbidden)
            #expect(try await Self.form(client, "/patients/new", body + "&_csrf=wrong", cookie: staff.cookie).status == .forbidden)
            let auditor = try await Self.signIn(client, "mori")
            let refused = try await Self.form(client, "/patients/new", body + "&_csrf=\(auditor.csrf)", cookie: auditor.cookie)
            #expect(refused.status == .forbidden)
            #expect(refused.text.contains("この操作はあなたの役割ではできません"))
            #expect(try await test.registry.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM patients") } == 0)
            // The same post with the token, by a role that may: the patient is registered.
            let done = try await Self.form(client, "/patients/new", body + "&_csrf=\(staff.csrf)", cookie: staff.cookie)
            #expect(done.status == .seeOther)
            #expect(try await test.registry.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM patients") } == 1)
        }
    }

    /// Issue 14: a stretch of the access log unreviewed for more than 35 days shows on managers'
    /// home page (not on staff's), and goes once the period is signed off.
    @Test func anOverdueAccessReviewShowsOnManagersHomePage() async throws {
        let clock = MovableClock(MovableClock.noon(LocalDate("2026-10-01")!))
        let test = try await TestRegistry(clock: clock.clock)
        try await test.account("suzuki", role: .manager)
        try await test.account("sato", role: .staff)
        let router = buildRouter(registry: test.registry, configuration: ServerConfiguration())
        try await Application(router: router).test(.router) { client in
            clock.go(to: LocalDate("2026-11-05")!)
            let manager = try await Self.signIn(client, "suzuki")
            let early = try await client.send(.get, "/", headers: [.cookie: manager.cookie])
            #expect(early.status == .ok && early.text.contains("棚卸") && !early.text.contains("点検がされていない期間"))
            clock.go(to: LocalDate("2026-11-06")!)
            let again = try await Self.signIn(client, "suzuki")   // the day-old session has lapsed
            let late = try await client.send(.get, "/", headers: [.cookie: again.cookie]).text
            #expect(late.contains("アクセスログの点検がされていない期間があります") && late.contains("2026年10月1日"))
            let staff = try await Self.signIn(client, "sato")
            let staffHome = try await client.send(.get, "/", headers: [.cookie: staff.cookie])
            #expect(staffHome.status == .ok && !staffHome.text.contains("点検がされていない期間"))
            let october = try #require(AccessReviewPeriod(id: "2026-10-01..2026-10-31"))
            let actor = try await test.registry.staff.actor(login: "suzuki")
            let review = try await test.registry.reviews.review(october, by: actor)
            for flag in review.flags { _ = try await test.registry.reviews.decide(october, item: flag.id, .justified, note: "ok", by: actor) }
            _ = try await test.registry.reviews.signOff(october, note: "", by: actor)
            let after = try await client.send(.get, "/", headers: [.cookie: again.cookie])
            #expect(after.status == .ok && !after.text.contains("点検がされていない期間"))
        }
    }

    @Test func whatStaffTypeIsEscapedAndPatientPagesAreNotCached() async throws {
        let test = try await TestRegistry()
        let actor = try await test.account("tanaka", role: .staff)
        let patient = try await test.registry.patients.register(
            NewPatient(patientNumber: "P-X1", name: "<script>alert(1)</script>\"'&", phone: "03-1111-2222"), by: actor)
        let router = buildRouter(registry: test.registry, configuration: ServerConfiguration())
        try await Application(router: router).test(.router) { client in
            let staff = try await Self.signIn(client, "tanaka")
            let page = try await client.send(.get, "/patients/\(patient.id)", headers: [.cookie: staff.cookie])
            #expect(page.status == .ok)
            #expect(!page.text.contains("<script>alert"))
            #expect(page.text.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
            #expect(page.headers[.cacheControl] == "no-store")
            let policy = try #require(page.headers[.contentSecurityPolicy])
            #expect(policy.contains("script-src 'self'") && !policy.contains("unsafe"))
            // The title names the page, not the patient.
            let title = page.text.components(separatedBy: "<title>").last?.components(separatedBy: "</title>").first ?? ""
            #expect(title == "患者 | 貸出機器管理")
        }
        for (name, bytes) in PageAssets.templates {
            let text = String(decoding: bytes, as: UTF8.self)
            #expect(!text.contains("{{{") && !text.contains("{{&"), "\(name) renders something unescaped")
            #expect(!text.contains("<script>") && !text.contains(" style=") && !text.contains(" on"), "\(name) has inline script or style")
        }
    }

    @Test func everyWordIsInBothLanguagesOnce() throws {
        let table = String(decoding: PackageResources.ui_text_tsv, as: UTF8.self)
        let keys = table.split(separator: "\n").filter { !$0.hasPrefix("#") }.map { $0.split(separator: "\t").first.map(String.init) ?? "" }
        #expect(Set(keys).count == keys.count, "a key is given twice")
        var used: Set<String> = []
        let pattern = try Regex(#"\{\{t\.([A-Za-z0-9.\-_]+)\}\}"#)
        for (_, bytes) in PageAssets.templates {
            for match in String(decoding: bytes, as: UTF8.self).matches(of: pattern) {
                used.insert(String(match.output[1].substring ?? ""))
            }
        }
        used.formUnion(LoanStatus.allCases.map { "loanStatus." + $0.rawValue })
        used.formUnion(DeviceStatus.allCases.map { "deviceStatus." + $0.rawValue })
        used.formUnion(DeviceCategory.allCases.map { "category." + $0.rawValue })
        used.formUnion(LoanReturn.Condition.allCases.map { "condition." + $0.rawValue })
        used.formUnion(ContactAttempt.Channel.allCases.map { "channel." + $0.rawValue })
        used.formUnion(ContactAttempt.Outcome.allCases.map { "outcome." + $0.rawValue })
        used.formUnion(SecurityProfile.WipeMethod.allCases.map { "wipe." + $0.rawValue })
        used.formUnion(StaffRole.allCases.map { "role." + $0.rawValue })
        used.formUnion(Patient.Language.allCases.map { "language." + $0.rawValue })
        used.formUnion(Incident.Kind.allCases.map { "incident." + $0.rawValue })
        used.formUnion(SecurityProfile.Fact.allCases.map { "fact." + $0.rawValue })
        used.formUnion(NewRepair.DataHandling.allCases.map { "repair." + $0.rawValue })
        used.formUnion(NewDisposal.Method.allCases.map { "disposal." + $0.rawValue })
        for key in used.sorted() {
            let entry = UIText.entries[key]
            #expect(entry != nil, "no text for \(key)")
            #expect(entry.map { !$0.ja.isEmpty && !$0.en.isEmpty } ?? false, "\(key) is empty in a language")
        }
        // Every hand-over requirement has guidance in both languages, never its code.
        for requirement in HandoverRequirement.allCases {
            for language in UILanguage.allCases {
                #expect(!UIText.guidance(requirement, language).contains("_"))
            }
        }
        #expect(UIText.guidance(.consent, .ja) == "同意がまだです。")
        #expect(UIText.guidance(.contactSheet, .ja) == "連絡先のご案内をお渡しください。")
    }

    @Test func theAPIsProblemsUseTheSameCatalogueInJapaneseWhenAsked() async throws {
        let test = try await TestRegistry()
        let router = buildRouter(registry: test.registry, configuration: ServerConfiguration())
        try await Application(router: router).test(.router) { client in
            let signed = try await client.signedIn(as: "kato", role: .staff, in: test)
            let english = try await signed.send(.get, "/api/v1/loans/L-2026-999999")
            #expect(english.code == "not_found" && english.json["title"] as? String == "Not found")
            #expect(english.headers[.contentLanguage] == nil)
            let japanese = try await signed.send(.get, "/api/v1/loans/L-2026-999999", headers: [.acceptLanguage: "ja-JP,ja;q=0.9,en;q=0.5"])
            #expect(japanese.code == "not_found")
            #expect(japanese.json["title"] as? String == ProblemText.text("not_found", japanese: true))
            #expect(japanese.headers[.contentLanguage] == "ja")
            // English first, Japanese second: English.
            let preferred = try await signed.send(.get, "/api/v1/loans/L-2026-999999", headers: [.acceptLanguage: "en, ja;q=0.8"])
            #expect(preferred.json["title"] as? String == "Not found")
        }
        // Every code the staff pages can show has both languages.
        for (code, texts) in ProblemText.catalogue {
            #expect(!texts.ja.isEmpty && !texts.en.isEmpty && !texts.ja.contains("_"), "\(code)")
        }
    }

    @Test func signInAsksForTheSecondFactorAndAnInitialPasswordIsChangedFirst() async throws {
        let test = try await TestRegistry()
        let ito = try await test.account("ito", role: .staff)
        let enrolment = try await test.registry.staff.beginSecondFactorEnrolment(login: "ito", currentPassword: TestRegistry.password, by: ito)
        let totp = try #require(TOTP(base32Secret: enrolment.secret))
        _ = try await test.registry.staff.confirmSecondFactor(login: "ito", code: totp.code(at: Date()), by: ito)
        let router = buildRouter(registry: test.registry, configuration: ServerConfiguration())
        try await Application(router: router).test(.router) { client in
            let password = TestRegistry.password.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
            let asked = try await client.send(.post, "/signin", json: "login=ito&password=\(password)",
                                              contentType: "application/x-www-form-urlencoded")
            #expect(asked.status == .unauthorized && asked.headers[.setCookie] == nil)
            #expect(asked.text.contains("name=\"totp\"") && asked.text.contains("認証アプリの確認コードを入力してください"))
            let wrong = try await client.send(.post, "/signin", json: "login=ito&password=\(password)&totp=000000",
                                              contentType: "application/x-www-form-urlencoded")
            #expect(wrong.status == .unauthorized && wrong.headers[.setCookie] == nil)
            let signed = try await client.send(.post, "/signin", json: "login=ito&password=\(password)&totp=\(totp.code(step: totp.step(at: Date()) + 1))",
                                               contentType: "application/x-www-form-urlencoded")
            #expect(signed.status == .seeOther && signed.headers[.setCookie]?.hasPrefix("lr_session=") == true)

            // An account with an initial password is sent to change it; then it signs in with the new one.
            _ = try await test.registry.staff.add(NewStaffAccount(login: "newcomer", displayName: "New Comer", role: .staff),
                                                  initialPassword: "Initial#Pass-2026x", by: .commandLine(user: "test"))
            let initial = "Initial%23Pass-2026x"
            let change = try await client.send(.post, "/signin", json: "login=newcomer&password=\(initial)",
                                               contentType: "application/x-www-form-urlencoded")
            #expect(change.status == .forbidden && change.text.contains("action=\"/password\""))
            let changed = try await client.send(
                .post, "/password", json: "login=newcomer&currentPassword=\(initial)&newPassword=Fresh%23Counter-7788q",
                contentType: "application/x-www-form-urlencoded")
            #expect(changed.status == .seeOther && changed.headers[.location] == "/signin")
            let after = try await client.send(.post, "/signin", json: "login=newcomer&password=Fresh%23Counter-7788q",
                                              contentType: "application/x-www-form-urlencoded")
            #expect(after.status == .seeOther && after.headers[.setCookie]?.hasPrefix("lr_session=") == true)
        }
    }

    @Test func noRedirectLeavesTheSite() async throws {
        let test = try await TestRegistry()
        try await test.account("tanaka", role: .staff)
        let router = buildRouter(registry: test.registry, configuration: ServerConfiguration())
        try await Application(router: router).test(.router) { client in
            for back in ["/%09/evil.example", "//evil.example", "/%5Cevil.example", "https://evil.example", "/%20/evil.example",
                         "/%0D%0ALocation:%20x"] {
                let switched = try await client.send(.get, "/language?to=en&back=\(back)")
                #expect(switched.status == .seeOther && switched.headers[.location] == "/", "\(back)")
            }
            #expect(try await client.send(.get, "/language?to=en&back=/devices").headers[.location] == "/devices")
            let password = TestRegistry.password.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
            let signed = try await client.send(.post, "/signin", json: "login=tanaka&password=\(password)&next=%2F%09%2Fevil.example",
                                               contentType: "application/x-www-form-urlencoded")
            #expect(signed.status == .seeOther && signed.headers[.location] == "/")
        }
    }

    @Test func aConsentNeedsAnExplicitDecisionAndPaperNeedsItsCheckCode() async throws {
        let test = try await TestRegistry()
        try await test.account("tanaka", role: .staff)
        let loan = try await test.fixtures.draftLoan()
        let explanation = try #require(loan.explanation)
        let router = buildRouter(registry: test.registry, configuration: ServerConfiguration())
        try await Application(router: router).test(.router) { client in
            let staff = try await Self.signIn(client, "tanaka")
            // Enter in the name field sends no decision: refused, not taken as agreement.
            let undecided = try await Self.form(
                client, "/loans/\(loan.id)/sign", "_csrf=\(staff.csrf)&explanationSha256=\(explanation.sha256)&signerKind=self&signerName=x",
                cookie: staff.cookie)
            #expect(undecided.status == .unprocessableContent)
            // Paper: a check code that is not on this loan's forms is refused.
            let wrongCode = try await Self.form(
                client, "/loans/\(loan.id)/consent-paper",
                "_csrf=\(staff.csrf)&decision=granted&signerKind=self&signerName=x&number=\(loan.number)&checkCode=0000-0000&scanReference=b1",
                cookie: staff.cookie)
            #expect(wrongCode.status == .unprocessableContent)
            #expect(try await test.registry.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM consents") } == 0)
            // The code printed on the form files the consent against that explanation.
            let code = HandoutCheckCode.of(loan: loan.number, sha256: explanation.sha256)
            let filed = try await Self.form(
                client, "/loans/\(loan.id)/consent-paper",
                "_csrf=\(staff.csrf)&decision=granted&signerKind=self&signerName=x&number=\(loan.number)&checkCode=\(code)&scanReference=b1",
                cookie: staff.cookie)
            #expect(filed.status == .seeOther)
            let stored = try await test.registry.read { db in
                try String.fetchOne(db, sql: "SELECT explanation_sha256 FROM consents WHERE loan_id = ?", arguments: [loan.id])
            }
            #expect(stored == explanation.sha256)
        }
    }

    @Test func datesReadAsTheClinicWritesThem() {
        let day = LocalDate("2026-12-01")!
        #expect(DisplayDate.day(day, .ja) == "2026年12月1日（火）")
        #expect(DisplayDate.day(day, .en) == "Tue 1 Dec 2026")
    }
}
