import Foundation
import GRDB
import LoanRegistry
import RegistryTestSupport
import Testing

/// Sign-ins are kept for a second after a read (most requests then authenticate without one), yet
/// every change made through the registry ends or changes a kept sign-in before it is answered.
@Suite struct SessionCacheTests {
    let operatorActor = AuditActor.commandLine(user: "test")

    private func failure(_ body: () async throws -> Void) async -> AuthenticationFailure? {
        do {
            try await body()
            return nil
        } catch RegistryError.authenticationFailed(let failure, _) {
            return failure
        } catch {
            return nil
        }
    }

    /// Signs `login` in and authenticates twice, so the sign-in is surely kept.
    private func warmSignIn(_ test: TestRegistry, _ login: String) async throws -> String {
        let session = try await test.registry.staff.signIn(SignInRequest(login: login, password: TestRegistry.password))
        for _ in 0..<2 { _ = try await test.registry.staff.authenticate(token: session.token, kind: .bearer) }
        return session.token
    }

    @Test func changesMadeHereEndAKeptSignInAtOnce() async throws {
        let test = try await TestRegistry()
        let ito = try await test.account("ito", role: .staff)

        let signedOut = try await warmSignIn(test, "ito")
        try await test.registry.staff.signOut(token: signedOut)
        #expect(await failure { _ = try await test.registry.staff.authenticate(token: signedOut, kind: .bearer) } == .tokenRevoked)

        let disabled = try await warmSignIn(test, "ito")
        _ = try await test.registry.staff.setActive("ito", false, by: operatorActor)
        #expect(await failure { _ = try await test.registry.staff.authenticate(token: disabled, kind: .bearer) } == .tokenRevoked)
        _ = try await test.registry.staff.setActive("ito", true, by: operatorActor)

        let promoted = try await warmSignIn(test, "ito")
        _ = try await test.registry.staff.setRole("ito", .manager, by: operatorActor)
        let actor = try await test.registry.staff.authenticate(token: promoted, kind: .bearer)
        #expect(actor.role == .manager, "the new role applies to the next request")

        let changed = try await warmSignIn(test, "ito")
        try await test.registry.staff.changePassword(login: "ito", currentPassword: TestRegistry.password,
                                                     newPassword: "Another#Lantern-55", by: ito)
        #expect(await failure { _ = try await test.registry.staff.authenticate(token: changed, kind: .bearer) } == .tokenRevoked)
    }

    @Test func aKeptSignInStillMeetsTheIdleTimeoutAndTheLifetime() async throws {
        let clock = ManualClock(Fixtures.noonInTokyo)
        let test = try await TestRegistry(clock: clock.clock)
        try await test.account("ito", role: .staff)
        let token = try await warmSignIn(test, "ito")
        clock.advance(by: 31 * 60)  // idle past the 30-minute timeout, within the cache's second
        #expect(await failure { _ = try await test.registry.staff.authenticate(token: token, kind: .bearer) } == .tokenExpired)
        let ended = try await test.registry.read { db in
            try String.fetchAll(db, sql: "SELECT details FROM audit_events WHERE action = 'auth.session_expired'")
        }
        #expect(ended.count == 1 && ended[0].contains("idle"), "the idle end is recorded as without the cache")
        #expect(await failure { _ = try await test.registry.staff.authenticate(token: token, kind: .cookie) } == .tokenInvalid)
    }

    @Test func aSignInIsKeptForASecondThenReadAgain() async throws {
        let test = try await TestRegistry()
        try await test.account("ito", role: .staff)
        let token = try await warmSignIn(test, "ito")
        let kept = ContinuousClock.now
        // Another process (the CLI beside the server) ends every sign-in: this registry's writer never sees it.
        let other = try test.independentConnection()
        try await other.write { db in
            try db.execute(sql: "UPDATE staff_sessions SET ended_at = ?, end_reason = 'signed_out'",
                           arguments: [Timestamp.string(Date())])
        }
        let answer = await failure { _ = try await test.registry.staff.authenticate(token: token, kind: .bearer) }
        if ContinuousClock.now - kept < .milliseconds(900) {
            #expect(answer == nil, "within the second the kept sign-in answers, without a read")
        }
        try await Task.sleep(for: .milliseconds(1_100))
        #expect(await failure { _ = try await test.registry.staff.authenticate(token: token, kind: .bearer) } == .tokenRevoked,
                "after the second the sign-in is read again, and the other process's sign-out applies")
    }
}
