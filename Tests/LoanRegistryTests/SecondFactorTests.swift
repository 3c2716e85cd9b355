import Foundation
import GRDB
import LoanRegistry
import RegistryTestSupport
import Testing

/// TOTP enrolment, sign-in with a code or a recovery code, and the per-role requirement.
@Suite struct SecondFactorTests {
    @Test func enrolledAccountsNeedACodeAndRecoveryCodesWorkOnce() async throws {
        let clock = ManualClock(Fixtures.noonInTokyo)
        let test = try await TestRegistry(clock: clock.clock)
        let ito = try await test.account("ito", role: .staff)
        let enrolment = try await test.registry.staff.beginSecondFactorEnrolment(login: "ito", currentPassword: TestRegistry.password, by: ito)
        let totp = try #require(TOTP(base32Secret: enrolment.secret))
        #expect(enrolment.provisioningURI.contains("secret=\(enrolment.secret)"))
        // Not in force until confirmed: a password alone still signs in.
        _ = try await test.registry.staff.signIn(SignInRequest(login: "ito", password: TestRegistry.password))
        await #expect(throws: RegistryError.self) {
            _ = try await test.registry.staff.confirmSecondFactor(login: "ito", code: "000000", by: ito)
        }
        let codes = try await test.registry.staff.confirmSecondFactor(login: "ito", code: totp.code(at: clock.clock.now()), by: ito)
        #expect(codes.count == 10 && Set(codes).count == 10)
        clock.advance(by: 30)

        await #expect(throws: RegistryError.authenticationFailed(.secondFactorRequired)) {
            _ = try await test.registry.staff.signIn(SignInRequest(login: "ito", password: TestRegistry.password))
        }
        await #expect(throws: RegistryError.authenticationFailed(.invalidCredentials)) {
            _ = try await test.registry.staff.signIn(SignInRequest(login: "ito", password: TestRegistry.password, totp: "123456"))
        }
        let code = totp.code(at: clock.clock.now())
        _ = try await test.registry.staff.signIn(SignInRequest(login: "ito", password: TestRegistry.password, totp: code))
        await #expect(throws: RegistryError.authenticationFailed(.invalidCredentials), "a code is accepted once") {
            _ = try await test.registry.staff.signIn(SignInRequest(login: "ito", password: TestRegistry.password, totp: code))
        }
        let recovery = codes[3].lowercased().replacingOccurrences(of: "-", with: "")
        _ = try await test.registry.staff.signIn(SignInRequest(login: "ito", password: TestRegistry.password, recoveryCode: recovery))
        await #expect(throws: RegistryError.authenticationFailed(.invalidCredentials), "a recovery code works once") {
            _ = try await test.registry.staff.signIn(SignInRequest(login: "ito", password: TestRegistry.password, recoveryCode: codes[3]))
        }
        let stored = try await test.registry.read { db in try String.fetchAll(db, sql: "SELECT code_sha256 FROM staff_recovery_codes") }
        #expect(stored.count == 10 && !stored.contains { codes.contains($0) }, "recovery codes are stored hashed")
        let actions = try await test.registry.read { db in try String.fetchAll(db, sql: "SELECT action FROM audit_events") }
        #expect(actions.contains("auth.second_factor_enrolled") && actions.contains("auth.recovery_code_used"))

        // Removing the second factor (lost phone) makes the password one to change first: it may
        // have been one of 8 characters, allowed only with the second factor.
        let reset = try await test.registry.staff.resetSecondFactor(login: "ito", by: .commandLine(user: "test"))
        #expect(!reset.secondFactorEnrolled && reset.passwordIsInitial)
        await #expect(throws: RegistryError.authenticationFailed(.passwordChangeRequired)) {
            _ = try await test.registry.staff.signIn(SignInRequest(login: "ito", password: TestRegistry.password))
        }
    }

    @Test func aRoleThatMustUseASecondFactorCannotSignInWithoutOne() async throws {
        let test = try await TestRegistry()
        try await test.account("ito", role: .manager)
        var settings = try await test.registry.staff.settings(by: .commandLine(user: "test"))
        settings.requireSecondFactor = [.manager, .admin]
        _ = try await test.registry.staff.updateSettings(settings, by: .commandLine(user: "test"))
        await #expect(throws: RegistryError.authenticationFailed(.secondFactorEnrolmentRequired)) {
            _ = try await test.registry.staff.signIn(SignInRequest(login: "ito", password: TestRegistry.password))
        }
        await #expect(throws: RegistryError.forbidden(.manageSecuritySettings)) {
            _ = try await test.registry.staff.updateSettings(settings, by: test.fixtureActor)
        }
    }

    @Test func withASecondFactorEightCharactersAreEnough() async throws {
        let test = try await TestRegistry()
        let ito = try await test.account("ito", role: .staff)
        await #expect(throws: RegistryError.passwordRejected([.tooShort])) {
            try await test.registry.staff.changePassword(login: "ito", currentPassword: TestRegistry.password, newPassword: "Qz#7mk2v", by: ito)
        }
        let enrolment = try await test.registry.staff.beginSecondFactorEnrolment(login: "ito", currentPassword: TestRegistry.password, by: ito)
        let totp = try #require(TOTP(base32Secret: enrolment.secret))
        _ = try await test.registry.staff.confirmSecondFactor(login: "ito", code: totp.code(at: Date()), by: ito)
        try await test.registry.staff.changePassword(login: "ito", currentPassword: TestRegistry.password, newPassword: "Qz#7mk2v", by: ito)
    }
}
