import Foundation
import GRDB
@testable import LoanRegistry
import RegistryTestSupport
import Testing

/// Sign-ins are kept for a second after a read (most requests then authenticate without one), yet
/// every change made through the registry ends or changes a kept sign-in before it is answered.
@Suite struct SessionCacheTests {
    let operatorActor = AuditActor.commandLine(user: "test")

    private func failure(_ body: () async throws -> Void) async -> AuthenticationFailure? {
        await authenticationFailure(body)
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
        #expect(await failure { _ = try await test.registry.staff.authenticate(token: token, kind: .cookie) } == .tokenInvalid,
                "a kept bearer token is not a cookie either")
        clock.advance(by: 31 * 60)  // idle past the 30-minute timeout, within the cache's second
        #expect(await failure { _ = try await test.registry.staff.authenticate(token: token, kind: .bearer) } == .tokenExpired)

        // A lifetime shorter than the idle timeout: the kept sign-in ends at its lifetime.
        var settings = SecuritySettings.defaults
        settings.tokenLifetimeMinutes = 10
        _ = try await test.registry.staff.updateSettings(settings, by: operatorActor)
        let short = try await warmSignIn(test, "ito")
        clock.advance(by: 11 * 60)
        #expect(await failure { _ = try await test.registry.staff.authenticate(token: short, kind: .bearer) } == .tokenExpired)

        let ended = try await test.registry.read { db in
            try String.fetchAll(db, sql: "SELECT details FROM audit_events WHERE action = 'auth.session_expired' ORDER BY seq")
        }
        #expect(ended.count == 2 && ended[0].contains("idle") && ended[1].contains("expired"),
                "each end is recorded as without the cache")
    }

    @Test func aReadBegunBeforeAChangeIsNotKept() async throws {
        let test = try await TestRegistry()
        let account = try await test.registry.staff.add(
            NewStaffAccount(login: "ito", displayName: "伊藤 健", role: .staff), initialPassword: "Welcome#Desk-2026",
            by: operatorActor)
        let cache = SessionCache()
        func entry(generation: UInt64) -> SessionCache.Entry {
            SessionCache.Entry(sessionID: "s", kind: "bearer", expiresAt: .distantFuture, lastSeenAt: Date(),
                               account: account, generation: generation, readAt: .now)
        }
        let before = cache.generation
        cache.invalidate()  // a sign-out committed while the read was under way
        cache.store(entry(generation: before), tokenHash: "h")
        #expect(cache.entry(tokenHash: "h") == nil, "the stale read is dropped")

        cache.store(entry(generation: cache.generation), tokenHash: "h")
        let kept = try #require(cache.entry(tokenHash: "h"))
        #expect(cache.entry(tokenHash: "h", now: kept.readAt + SessionCache.lifetime) == nil, "kept for a second only")
        cache.invalidate()
        #expect(cache.entry(tokenHash: "h") == nil)
    }

    @Test func aSignInIsKeptForASecondThenReadAgain() async throws {
        let test = try await TestRegistry()
        try await test.account("ito", role: .staff)
        let kept = ContinuousClock.now  // at or before the sign-in's read (on a slow machine, well before)
        let token = try await warmSignIn(test, "ito")
        // Another process (the CLI beside the server) ends every sign-in: this registry's writer never sees it.
        let other = try test.independentConnection()
        try await other.write { db in
            try db.execute(sql: "UPDATE staff_sessions SET ended_at = ?, end_reason = 'signed_out'",
                           arguments: [Timestamp.string(Date())])
        }
        do {
            let actor = try await test.registry.staff.authenticate(token: token, kind: .bearer)
            #expect(actor.login == "ito", "within the second the kept sign-in answers, without a read")
        } catch RegistryError.authenticationFailed(.tokenRevoked, _) {
            #expect(ContinuousClock.now - kept >= SessionCache.lifetime, "refused only once the second was over")
        }
        try await Task.sleep(for: .milliseconds(1_100))
        #expect(await failure { _ = try await test.registry.staff.authenticate(token: token, kind: .bearer) } == .tokenRevoked,
                "after the second the sign-in is read again, and the other process's sign-out applies")
    }
}
