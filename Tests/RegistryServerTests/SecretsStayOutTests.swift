import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import HummingbirdTesting
@testable import RegistryServer
import LoanRegistry
import RegistryTestSupport
import Synchronization
import Testing

/// Passwords, tokens, TOTP secrets and codes never reach the audit log, the server log or the
/// database file in clear.
@Suite struct SecretsStayOutTests {
    @Test func noPasswordTokenOrCodeInTheAuditLogTheServerLogOrTheDatabaseFile() async throws {
        let test = try await TestRegistry()
        try await test.account("ito", role: .staff)
        let log = CollectedLog()
        let app = buildApplication(registry: test.registry, configuration: ServerConfiguration(), logger: log.logger)
        let secrets = try await app.test(.router) { client -> [String] in
            var secrets = [TestRegistry.password, "Wrong#Secret-77", "Steady#Lantern-84"]
            _ = try await client.send(.post, "/api/v1/auth/token", json: #"{"login":"ito","password":"Wrong#Secret-77"}"#)
            let first = try await client.token("ito")
            secrets.append(first)
            _ = try await client.send(.get, "/api/v1/patients", token: first)
            let changed = try await client.send(.post, "/api/v1/auth/password", json: """
                {"login":"ito","currentPassword":"\(TestRegistry.password)","newPassword":"Steady#Lantern-84"}
                """, token: first)
            #expect(changed.status == .ok)
            let token = try await client.token("ito", password: "Steady#Lantern-84")
            secrets.append(token)
            let enrol = try await client.send(.post, "/api/v1/auth/totp", json: #"{"currentPassword":"Steady#Lantern-84"}"#,
                                              token: token)
            let secret = try #require(enrol.json["secret"] as? String)
            secrets.append(secret)
            let totp = try #require(TOTP(base32Secret: secret))
            let code = totp.code(at: test.registry.clock.now())
            let confirmed = try await client.send(.post, "/api/v1/auth/totp/confirm", json: #"{"code":"\#(code)"}"#, token: token)
            let recovery = try #require(confirmed.json["recoveryCodes"] as? [String])
            secrets += recovery
            let withRecovery = try await client.send(.post, "/api/v1/auth/token", json: """
                {"login":"ito","password":"Steady#Lantern-84","recoveryCode":"\(recovery[0])"}
                """)
            #expect(withRecovery.status == .ok)
            secrets.append(try #require(withRecovery.json["token"] as? String))
            let cookie = try await client.send(.post, "/api/v1/auth/session", json: """
                {"login":"ito","password":"Steady#Lantern-84","recoveryCode":"\(recovery[1])"}
                """)
            secrets.append(try #require(cookie.json["csrfToken"] as? String))
            let setCookie = try #require(cookie.headers[.setCookie])
            secrets.append(String(setCookie.prefix { $0 != ";" }.dropFirst("lr_session=".count)))
            return secrets
        }
        let audit = try await test.registry.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM audit_events").map { row in
                row.databaseValues.map { $0.description }.joined(separator: "|")
            }
        }
        #expect(audit.count > 10)
        let lines = log.lines.withLock { $0 }
        #expect(!lines.isEmpty)
        try test.registry.close()
        var files = Data()
        for suffix in ["", "-wal"] {
            files += (try? Data(contentsOf: URL(fileURLWithPath: test.path + suffix))) ?? Data()
        }
        let file = String(decoding: files, as: UTF8.self)
        for (index, secret) in secrets.enumerated() {
            #expect(!audit.contains { $0.contains(secret) }, "secret \(index) is in the audit log")
            #expect(!lines.contains { $0.contains(secret) }, "secret \(index) is in the server log")
            // The TOTP secret (index 5) is the one secret the server must be able to read back to
            // check codes; everything else is stored only as a hash, or not at all.
            if index != 5 { #expect(!file.contains(secret), "secret \(index) is stored in clear") }
        }
    }

    @Test func anAddressThatKeepsFailingIsSlowedDownUntilItSucceeds() {
        let throttle = SignInThrottle()
        let now = Date()
        for _ in 1...3 { throttle.recordFailure(from: "192.0.2.7", now: now) }
        #expect(throttle.delay(for: "192.0.2.7", now: now) == .zero)
        throttle.recordFailure(from: "192.0.2.7", now: now)
        #expect(throttle.delay(for: "192.0.2.7", now: now) == .milliseconds(250))
        throttle.recordFailure(from: "192.0.2.7", now: now)
        #expect(throttle.delay(for: "192.0.2.7", now: now) == .milliseconds(500))
        for _ in 1...10 { throttle.recordFailure(from: "192.0.2.7", now: now) }
        #expect(throttle.delay(for: "192.0.2.7", now: now) == .seconds(8))
        #expect(throttle.delay(for: "192.0.2.8", now: now) == .zero, "other addresses are not slowed")
        #expect(throttle.delay(for: "192.0.2.7", now: now.addingTimeInterval(16 * 60)) == .zero, "failures age out")
        throttle.recordSuccess(from: "192.0.2.7")
        #expect(throttle.delay(for: "192.0.2.7", now: now) == .zero)
    }
}
