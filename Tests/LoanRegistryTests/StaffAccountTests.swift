import Foundation
import GRDB
import LoanRegistry
import RegistryTestSupport
import Testing

/// Accounts, initial passwords, lockout, sessions and roles in the library (REST and CLI use the same).
@Suite struct StaffAccountTests {
    static let admin = "Admin#Keeper-2026"
    let operatorActor = AuditActor.commandLine(user: "test")

    private func failure(_ body: () async throws -> Void) async -> AuthenticationFailure? {
        await authenticationFailure(body)
    }

    @Test func anInitialPasswordAllowsNothingButItsChange() async throws {
        let test = try await TestRegistry()
        let account = try await test.registry.staff.add(
            NewStaffAccount(login: "ito", displayName: "伊藤 健", role: .staff), initialPassword: "Welcome#Desk-2026", by: operatorActor)
        #expect(account.passwordIsInitial)
        #expect(await failure { _ = try await test.registry.staff.actor(login: "ito") } == .passwordChangeRequired)
        #expect(await failure {
            _ = try await test.registry.staff.signIn(SignInRequest(login: "ito", password: "Welcome#Desk-2026"))
        } == .passwordChangeRequired)
        let changed = try await test.registry.staff.changePassword(login: "ito", currentPassword: "Welcome#Desk-2026",
                                                                   newPassword: "Steady#Lantern-84")
        #expect(!changed.passwordIsInitial)
        let session = try await test.registry.staff.signIn(SignInRequest(login: "ito", password: "Steady#Lantern-84"))
        #expect(session.token.count == 43)
        let actor = try await test.registry.staff.authenticate(token: session.token, kind: .bearer)
        #expect(actor.id == "staff:ito" && actor.role == .staff)
        // Only the token's SHA-256 is stored.
        let stored = try await test.registry.read { db in try String.fetchAll(db, sql: "SELECT token_sha256 FROM staff_sessions") }
        #expect(stored == [ContentHash.sha256(session.token)])
    }

    @Test func newPasswordsBreakingRulesAreRefusedWithEveryRuleAndTheLastFiveCannotReturn() async throws {
        let test = try await TestRegistry()
        let ito = try await test.account("ito", role: .staff)
        do {
            try await test.registry.staff.changePassword(login: "ito", currentPassword: TestRegistry.password, newPassword: "ito", by: ito)
            Issue.record("a weak password was accepted")
        } catch RegistryError.passwordRejected(let violations) {
            #expect(Set(violations) == [.tooShort, .missingDigit, .missingSymbol, .containsLogin, .containsName])
        }
        var current = TestRegistry.password
        for n in 1...5 {
            let next = "Rotating#Password-\(n)x"
            try await test.registry.staff.changePassword(login: "ito", currentPassword: current, newPassword: next, by: ito)
            current = next
        }
        // The first rotation is among the last five; the original is the sixth back and may return.
        await #expect(throws: RegistryError.passwordRejected([.reused])) {
            try await test.registry.staff.changePassword(login: "ito", currentPassword: current, newPassword: "Rotating#Password-1x", by: ito)
        }
        try await test.registry.staff.changePassword(login: "ito", currentPassword: current, newPassword: TestRegistry.password, by: ito)
    }

    @Test func fiveFailuresLockTheLoginForFifteenMinutesEvenForTheRightPassword() async throws {
        let clock = ManualClock(Fixtures.noonInTokyo)
        let test = try await TestRegistry(clock: clock.clock)
        try await test.account("ito", role: .staff)
        for _ in 1...4 {
            #expect(await failure { _ = try await test.registry.staff.signIn(SignInRequest(login: "ito", password: "wrong")) }
                    == .invalidCredentials)
        }
        #expect(await failure { _ = try await test.registry.staff.signIn(SignInRequest(login: "ito", password: "wrong")) }
                == .accountLocked)
        #expect(await failure {
            _ = try await test.registry.staff.signIn(SignInRequest(login: "ito", password: TestRegistry.password))
        } == .accountLocked)
        clock.advance(by: 15 * 60 + 1)
        _ = try await test.registry.staff.signIn(SignInRequest(login: "ito", password: TestRegistry.password))
        let actions = try await test.registry.read { db in
            try String.fetchAll(db, sql: "SELECT action FROM audit_events WHERE action LIKE 'auth.%' ORDER BY seq")
        }
        #expect(actions.filter { $0 == "auth.sign_in_failed" }.count == 6)
        #expect(actions.contains("auth.account_locked") && actions.last == "auth.signed_in")
    }

    @Test func failuresOutsideTheWindowDoNotAddUp() async throws {
        let clock = ManualClock(Fixtures.noonInTokyo)
        let test = try await TestRegistry(clock: clock.clock)
        try await test.account("ito", role: .staff)
        for _ in 1...8 {
            _ = await failure { _ = try await test.registry.staff.signIn(SignInRequest(login: "ito", password: "wrong")) }
            clock.advance(by: 4 * 60)
        }
        // 8 failures over 32 minutes, never 5 within 15: a slow typist is not locked out.
        _ = try await test.registry.staff.signIn(SignInRequest(login: "ito", password: TestRegistry.password))
    }

    @Test func anUnknownLoginAndAWrongPasswordGetTheSameAnswer() async throws {
        let test = try await TestRegistry()
        try await test.account("ito", role: .staff)
        #expect(await failure { _ = try await test.registry.staff.signIn(SignInRequest(login: "nobody", password: "x")) }
                == .invalidCredentials)
        #expect(await failure { _ = try await test.registry.staff.signIn(SignInRequest(login: "ito", password: "x")) }
                == .invalidCredentials)
        let logged = try await test.registry.read { db in
            try String.fetchAll(db, sql: "SELECT entity_id FROM audit_events WHERE action = 'auth.sign_in_failed' ORDER BY seq")
        }
        #expect(logged == ["-", "ito"], "an unknown login is not recorded as typed (it may be a password)")
        // The lock does not tell either: the fifth failure of an unknown login is "locked" too.
        var answers: [AuthenticationFailure?] = []
        for _ in 1...5 {
            answers.append(await failure { _ = try await test.registry.staff.signIn(SignInRequest(login: "nobody", password: "x")) })
        }
        #expect(answers == [.invalidCredentials, .invalidCredentials, .invalidCredentials, .accountLocked, .accountLocked],
                "(one failure for nobody was counted above)")
    }

    @Test func tokensEndAfterTheIdleTimeoutAndTheLifetimeAndAreAudited() async throws {
        let clock = ManualClock(Fixtures.noonInTokyo)
        let test = try await TestRegistry(clock: clock.clock)
        try await test.account("ito", role: .staff)
        let idle = try await test.registry.staff.signIn(SignInRequest(login: "ito", password: TestRegistry.password))
        clock.advance(by: 29 * 60)
        _ = try await test.registry.staff.authenticate(token: idle.token, kind: .bearer)
        clock.advance(by: 29 * 60)
        _ = try await test.registry.staff.authenticate(token: idle.token, kind: .bearer)  // used: idle clock restarted
        clock.advance(by: 31 * 60)
        #expect(await failure { _ = try await test.registry.staff.authenticate(token: idle.token, kind: .bearer) } == .tokenExpired)

        let long = try await test.registry.staff.signIn(SignInRequest(login: "ito", password: TestRegistry.password))
        for _ in 0..<24 {  // used every 29 minutes for 11.6 hours: still valid
            clock.advance(by: 29 * 60)
            _ = try await test.registry.staff.authenticate(token: long.token, kind: .bearer)
        }
        clock.advance(by: 25 * 60)  // past 12 hours
        #expect(await failure { _ = try await test.registry.staff.authenticate(token: long.token, kind: .bearer) } == .tokenExpired)
        let ended = try await test.registry.read { db in
            try String.fetchAll(db, sql: "SELECT details FROM audit_events WHERE action = 'auth.session_expired' ORDER BY seq")
        }
        #expect(ended.count == 2 && ended[0].contains("idle") && ended[1].contains("expired"))
    }

    @Test func signOutDisablingAndPasswordChangesEndTokens() async throws {
        let test = try await TestRegistry()
        let ito = try await test.account("ito", role: .staff)
        let first = try await test.registry.staff.signIn(SignInRequest(login: "ito", password: TestRegistry.password))
        try await test.registry.staff.signOut(token: first.token)
        #expect(await failure { _ = try await test.registry.staff.authenticate(token: first.token, kind: .bearer) } == .tokenRevoked)

        let second = try await test.registry.staff.signIn(SignInRequest(login: "ito", password: TestRegistry.password))
        _ = try await test.registry.staff.setActive("ito", false, by: operatorActor)
        #expect(await failure { _ = try await test.registry.staff.authenticate(token: second.token, kind: .bearer) } == .tokenRevoked)
        #expect(await failure {
            _ = try await test.registry.staff.signIn(SignInRequest(login: "ito", password: TestRegistry.password))
        } == .accountDisabled)
        #expect(await failure { _ = try await test.registry.staff.actor(login: "ito") } == .accountDisabled)
        _ = try await test.registry.staff.setActive("ito", true, by: operatorActor)

        let third = try await test.registry.staff.signIn(SignInRequest(login: "ito", password: TestRegistry.password))
        try await test.registry.staff.changePassword(login: "ito", currentPassword: TestRegistry.password,
                                                     newPassword: "Another#Lantern-55", by: ito)
        #expect(await failure { _ = try await test.registry.staff.authenticate(token: third.token, kind: .bearer) } == .tokenRevoked)
        #expect(await failure { _ = try await test.registry.staff.authenticate(token: third.token, kind: .cookie) } == .tokenInvalid,
                "a bearer token is not a cookie")
    }

    @Test func rolesAreDecidedByTheRegistry() async throws {
        let test = try await TestRegistry(clock: .fixed(Fixtures.noonInTokyo))
        let auditor = try await test.account("kimura", role: .auditor)
        let admin = try await test.account("root2", role: .admin)
        let staff = try await test.account("ito", role: .staff)
        let device = try await test.fixtures.device()
        let patient = try await test.fixtures.patient()
        await #expect(throws: RegistryError.forbidden(.registerLoan)) {
            _ = try await test.registry.loans.register(NewLoan(deviceId: device.id, patientId: patient.id), by: auditor)
        }
        await #expect(throws: RegistryError.forbidden(.readPatients)) {
            _ = try await test.registry.patients.patient(patient.id, by: admin)
        }
        _ = try await test.fixtures.model()  // the fixture account is a manager: allowed
        await #expect(throws: RegistryError.forbidden(.registerDeviceModel)) {
            _ = try await Fixtures(test.registry, actor: staff).model()
        }
        await #expect(throws: RegistryError.forbidden(.manageAccounts)) {
            _ = try await test.registry.staff.add(NewStaffAccount(login: "x1", displayName: "X", role: .admin),
                                                  initialPassword: Self.admin, by: staff)
        }
        _ = try await test.registry.patients.patient(patient.id, by: auditor)  // auditors read
        _ = try await test.registry.loans.register(NewLoan(deviceId: device.id, patientId: patient.id), by: staff)
    }

    @Test func theExplainingStaffMustBeAnActiveClinicalAccount() async throws {
        let test = try await TestRegistry(clock: .fixed(Fixtures.noonInTokyo))
        try await test.account("kimura", role: .auditor)
        try await test.account("gone", role: .staff)
        _ = try await test.registry.staff.setActive("gone", false, by: operatorActor)
        let loan = try await test.fixtures.draftLoan()
        for explainedBy in ["nobody", "kimura", "staff:nobody", "gone"] {
            var consent = test.fixtures.consent(to: loan)
            consent.explainedBy = explainedBy
            do {
                _ = try await test.registry.consents.record(loan: loan.id, consent, by: test.fixtureActor)
                Issue.record("\(explainedBy) was accepted as the explaining staff")
            } catch RegistryError.validationFailed(let errors) {
                #expect(errors.map(\.field) == ["explainedBy"])
            }
        }
        let recorded = try await test.registry.consents.record(loan: loan.id, test.fixtures.consent(to: loan), by: test.fixtureActor)
        #expect(recorded.explainedBy == "staff:fixture")
    }

    @Test func theFirstStartCreatesOneAdministratorWithAnInitialPassword() async throws {
        let test = try await TestRegistry(staffAccounts: false)
        let password = try #require(try await test.registry.staff.createFirstAdministrator())
        #expect(try await test.registry.staff.createFirstAdministrator() == nil)
        #expect(PasswordPolicy(login: "admin", displayName: "Administrator", clinicName: nil, withSecondFactor: false)
            .violations(of: password).isEmpty)
        let admin = try await test.registry.staff.account("admin", by: operatorActor)
        #expect(admin.role == .admin && admin.passwordIsInitial)
        let events = try await test.registry.read { db in try String.fetchAll(db, sql: "SELECT details FROM audit_events") }
        #expect(!events.contains { $0.contains(password) })
    }

    @Test func manyGuessesAtOnceCheckAtMostTheThresholdAndTheRightPasswordStaysLocked() async throws {
        let test = try await TestRegistry()
        try await test.account("ito", role: .staff)
        let failures = await withTaskGroup(of: AuthenticationFailure?.self) { group in
            for n in 0..<20 {
                group.addTask {
                    do {
                        _ = try await test.registry.staff.signIn(SignInRequest(login: "ito", password: "Guess#\(n)-wrong"))
                        return nil
                    } catch RegistryError.authenticationFailed(let failure, _) {
                        return failure
                    } catch {
                        Issue.record("a guess failed otherwise: \(error)")
                        return nil
                    }
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        #expect(failures.count == 20 && !failures.contains(nil))
        let checked = try await test.registry.read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM audit_events WHERE action = 'auth.sign_in_failed' AND details LIKE '%\"password\"%'")
        }
        #expect(checked == 5, "only as many passwords as the threshold were ever checked")
        #expect(await failure {
            _ = try await test.registry.staff.signIn(SignInRequest(login: "ito", password: TestRegistry.password))
        } == .accountLocked)
    }

    @Test func anExpiredPasswordStopsSignInTokensAndTheCLIUntilChanged() async throws {
        let clock = ManualClock(Fixtures.noonInTokyo)
        let test = try await TestRegistry(clock: clock.clock)
        try await test.account("ito", role: .staff)
        let session = try await test.registry.staff.signIn(SignInRequest(login: "ito", password: TestRegistry.password))
        var settings = try await test.registry.staff.settings(by: operatorActor)
        settings.passwordMaxAgeDays = 90
        _ = try await test.registry.staff.updateSettings(settings, by: operatorActor)
        clock.advance(by: 91 * 86_400)
        #expect(await failure {
            _ = try await test.registry.staff.signIn(SignInRequest(login: "ito", password: TestRegistry.password))
        } == .passwordChangeRequired)
        #expect(await failure { _ = try await test.registry.staff.actor(login: "ito") } == .passwordChangeRequired)
        #expect(await failure { _ = try await test.registry.staff.authenticate(token: session.token, kind: .bearer) } != nil)
        // Expired: the owner may change it without a sign-in.
        try await test.registry.staff.changePassword(login: "ito", currentPassword: TestRegistry.password,
                                                     newPassword: "Fresh#Lantern-2027")
        _ = try await test.registry.staff.signIn(SignInRequest(login: "ito", password: "Fresh#Lantern-2027"))
    }

    @Test func administratorsCannotRaiseOrRemoveThemselvesNorTheLastAdministrator() async throws {
        let test = try await TestRegistry()
        let first = try await test.account("first", role: .admin)
        await #expect(throws: RegistryError.self) { _ = try await test.registry.staff.setRole("first", .manager, by: first) }
        await #expect(throws: RegistryError.self) { _ = try await test.registry.staff.setActive("first", false, by: first) }
        await #expect(throws: RegistryError.accountChangeRefused(login: "first", reason: "it is the last active administrator")) {
            _ = try await test.registry.staff.setRole("first", .staff, by: operatorActor)
        }
        let second = try await test.account("second", role: .admin)
        _ = try await test.registry.staff.setRole("first", .manager, by: second)
        let events = try await test.registry.read { db in
            try String.fetchAll(db, sql: "SELECT json_remove(details, '$.rowDigests') FROM audit_events WHERE action = 'staff.role_changed'")
        }
        #expect(events == [#"{"from":"admin","to":"manager"}"#])
    }

    @Test func aStolenTokenAloneCannotEnrolAnAuthenticator() async throws {
        let test = try await TestRegistry()
        let ito = try await test.account("ito", role: .staff)
        await #expect(throws: RegistryError.authenticationFailed(.invalidCredentials)) {
            _ = try await test.registry.staff.beginSecondFactorEnrolment(login: "ito", currentPassword: "Not#The-Password1", by: ito)
        }
        await #expect(throws: RegistryError.validationFailed([FieldError("currentPassword", "must be 1 to 1024 characters")])) {
            _ = try await test.registry.staff.beginSecondFactorEnrolment(login: "ito", by: ito)
        }
        let account = try await test.registry.staff.account("ito", by: ito)
        #expect(!account.secondFactorEnrolled)
        let secret = try await test.registry.read { db in
            try String.fetchOne(db, sql: "SELECT totp_secret FROM staff_accounts WHERE login = 'ito'")
        }
        #expect(secret == nil)
    }

    @Test func manyRightSignInsAtOnceNeitherFailNorLock() async throws {
        let test = try await TestRegistry()
        try await test.account("ito", role: .staff)
        let tokens = try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<16 {
                group.addTask { try await test.registry.staff.signIn(SignInRequest(login: "ito", password: TestRegistry.password)).token }
            }
            return try await group.reduce(into: Set<String>()) { $0.insert($1) }
        }
        #expect(tokens.count == 16)
        let account = try await test.registry.staff.account("ito", by: operatorActor)
        #expect(account.lockedUntil == nil)
    }
}
