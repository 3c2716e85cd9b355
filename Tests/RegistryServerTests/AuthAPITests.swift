import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LoanRegistry
import RegistryServer
import RegistryTestSupport
import Testing

/// Sign-in over HTTP: bearer tokens, session cookies with CSRF, the tokenless password change,
/// and every refusal with its own code and nothing changed.
@Suite struct AuthAPITests {
    /// What a refused request must leave as it was.
    struct Snapshot: Equatable {
        let counts: [Int]
        let passwordHashes: [String]

        init(_ test: TestRegistry) async throws {
            counts = try await test.registry.read { db in
                try ["patients", "loans", "consents", "staff_accounts", "staff_password_history"].map {
                    try Int.fetchOne(db, sql: "SELECT count(*) FROM \($0)") ?? 0
                }
            }
            passwordHashes = try await test.registry.read { db in
                try String.fetchAll(db, sql: "SELECT password_hash FROM staff_accounts ORDER BY login")
            }
        }
    }

    static let patient = #"{"patientNumber":"P-000900","name":"山田 太郎","language":"ja"}"#

    @Test func bearerTokenSignInWhoAmIAndSignOut() async throws {
        let test = try await TestRegistry()
        try await test.account("ito", role: .staff)
        let app = buildApplication(registry: test.registry, configuration: ServerConfiguration())
        try await app.test(.router) { client in
            let signIn = try await client.send(.post, "/api/v1/auth/token", json: #"{"login":"ito","password":"\#(TestRegistry.password)"}"#)
            #expect(signIn.status == .ok)
            let token = try #require(signIn.json["token"] as? String)
            #expect(token.count == 43)
            #expect((signIn.json["staff"] as? [String: Any])?["role"] as? String == "staff")
            #expect(signIn.json["expiresAt"] is String)
            let me = try await client.send(.get, "/api/v1/auth/me", token: token)
            #expect(me.json["login"] as? String == "ito")
            let created = try await client.send(.post, "/api/v1/patients", json: Self.patient, token: token)
            #expect(created.status == .created)
            let event = try await test.registry.read { db in
                try String.fetchOne(db, sql: "SELECT actor FROM audit_events WHERE action = 'patient.registered'")
            }
            #expect(event == "staff:ito", "the audit log names the signed-in account")
            #expect(try await client.send(.delete, "/api/v1/auth/token", token: token).status == .noContent)
            let after = try await client.send(.get, "/api/v1/auth/me", token: token)
            #expect(after.status == .unauthorized && after.code == "token_revoked")
            #expect(after.headers[.wwwAuthenticate]?.hasPrefix("Bearer") == true)
        }
    }

    @Test func sessionCookieIsHttpOnlyStrictAndChangesNeedTheCSRFToken() async throws {
        let test = try await TestRegistry()
        try await test.account("ito", role: .staff)
        let app = buildApplication(registry: test.registry, configuration: ServerConfiguration())
        try await app.test(.router) { client in
            let signIn = try await client.send(.post, "/api/v1/auth/session", json: #"{"login":"ito","password":"\#(TestRegistry.password)"}"#)
            #expect(signIn.status == .ok)
            let setCookie = try #require(signIn.headers[.setCookie])
            #expect(setCookie.contains("HttpOnly") && setCookie.contains("SameSite=Strict") && setCookie.contains("Path=/"))
            #expect(!setCookie.contains("Secure"), "plain HTTP on 127.0.0.1 by default")
            let cookie = try #require(setCookie.split(separator: ";").first.map(String.init))
            let csrf = try #require(signIn.json["csrfToken"] as? String)
            #expect(signIn.json["token"] == nil, "the cookie's token is never readable by page scripts")
            let read = try await client.send(.get, "/api/v1/patients", headers: [.cookie: cookie])
            #expect(read.status == .ok)

            let before = try await Snapshot(test)
            let noToken = try await client.send(.post, "/api/v1/patients", json: Self.patient, headers: [.cookie: cookie])
            #expect(noToken.status == .forbidden && noToken.code == "csrf_token_invalid")
            let wrong = try await client.send(.post, "/api/v1/patients", json: Self.patient,
                                              headers: [.cookie: cookie, HTTPField.Name("X-CSRF-Token")!: String(csrf.reversed())])
            #expect(wrong.status == .forbidden && wrong.code == "csrf_token_invalid")
            #expect(try await Snapshot(test) == before)
            let good = try await client.send(.post, "/api/v1/patients", json: Self.patient,
                                             headers: [.cookie: cookie, HTTPField.Name("X-CSRF-Token")!: csrf])
            #expect(good.status == .created)
            let out = try await client.send(.delete, "/api/v1/auth/session",
                                            headers: [.cookie: cookie, HTTPField.Name("X-CSRF-Token")!: csrf])
            #expect(out.status == .noContent && out.headers[.setCookie]?.contains("Max-Age=0") == true)
            #expect(try await client.send(.get, "/api/v1/patients", headers: [.cookie: cookie]).code == "token_revoked")
        }
        let secure = buildApplication(registry: test.registry, configuration: ServerConfiguration(secureCookies: true))
        try await secure.test(.router) { client in
            let signIn = try await client.send(.post, "/api/v1/auth/session", json: #"{"login":"ito","password":"\#(TestRegistry.password)"}"#)
            #expect(signIn.headers[.setCookie]?.contains("; Secure") == true)
        }
    }

    @Test func anInitialPasswordIsChangedWithoutATokenAndThenSignsIn() async throws {
        let test = try await TestRegistry()
        try await test.account("root2", role: .admin)
        let app = buildApplication(registry: test.registry, configuration: ServerConfiguration())
        try await app.test(.router) { client in
            let admin = try await client.token("root2")
            let added = try await client.send(.post, "/api/v1/staff", json: """
                {"login":"ito","displayName":"伊藤 健","role":"staff","initialPassword":"Welcome#Desk-2026"}
                """, token: admin)
            #expect(added.status == .created && added.json["passwordIsInitial"] as? Bool == true)
            let refused = try await client.send(.post, "/api/v1/auth/token", json: #"{"login":"ito","password":"Welcome#Desk-2026"}"#)
            #expect(refused.status == .forbidden && refused.code == "password_change_required")
            let weak = try await client.send(.post, "/api/v1/auth/password", json: """
                {"login":"ito","currentPassword":"Welcome#Desk-2026","newPassword":"ito2026"}
                """)
            #expect(weak.status == .unprocessableContent && weak.code == "password_rejected")
            let messages = (weak.json["errors"] as? [[String: Any]] ?? []).compactMap { $0["message"] as? String }
            #expect(messages.count >= 3, "every broken rule is listed: \(messages)")
            #expect(messages.contains { $0.hasPrefix("too_short") } && messages.contains { $0.hasPrefix("contains_login") })
            let changed = try await client.send(.post, "/api/v1/auth/password", json: """
                {"login":"ito","currentPassword":"Welcome#Desk-2026","newPassword":"Steady#Lantern-84"}
                """)
            #expect(changed.status == .ok && changed.json["passwordIsInitial"] as? Bool == false)
            _ = try await client.token("ito", password: "Steady#Lantern-84")
        }
    }

    struct Refusal: CustomStringConvertible, Sendable {
        let description: String
        let status: Int
        let code: String
        /// Changes made before the "nothing changed" snapshot.
        var setUp: (@Sendable (TestRegistry) async throws -> Void)? = nil
        /// Sends the request and returns the response.
        let run: @Sendable (any TestClientProtocol, TestRegistry, ManualClock) async throws -> APIResponse
    }

    static func signIn(_ login: String, _ password: String) -> @Sendable (any TestClientProtocol, TestRegistry, ManualClock) async throws -> APIResponse {
        { client, _, _ in try await client.send(.post, "/api/v1/auth/token", json: #"{"login":"\#(login)","password":"\#(password)"}"#) }
    }

    static let refusals: [Refusal] = [
        Refusal(description: "wrong password", status: 401, code: "invalid_credentials", run: signIn("ito", "Wrong#Password-1")),
        Refusal(description: "unknown login", status: 401, code: "invalid_credentials", run: signIn("nobody", TestRegistry.password)),
        Refusal(description: "empty password", status: 422, code: "validation_failed", run: signIn("ito", "")),
        Refusal(description: "10 kB password", status: 422, code: "validation_failed",
                run: signIn("ito", String(repeating: "A1#b", count: 2560))),
        Refusal(description: "locked account, right password", status: 423, code: "account_locked") { client, test, _ in
            for _ in 1...5 { _ = try await signIn("ito", "Wrong#Password-1")(client, test, ManualClock()) }
            return try await signIn("ito", TestRegistry.password)(client, test, ManualClock())
        },
        Refusal(description: "disabled account", status: 403, code: "account_disabled") { client, test, clock in
            _ = try await test.registry.staff.setActive("ito", false, by: .commandLine(user: "test"))
            return try await signIn("ito", TestRegistry.password)(client, test, clock)
        },
        Refusal(description: "initial password used to sign in", status: 403, code: "password_change_required",
                setUp: { test in
                    _ = try await test.registry.staff.resetPassword("ito", initialPassword: "Welcome#Desk-2026", by: .commandLine(user: "test"))
                }, run: signIn("ito", "Welcome#Desk-2026")),
        Refusal(description: "new password breaking rules", status: 422, code: "password_rejected") { client, _, _ in
            try await client.send(.post, "/api/v1/auth/password", json: """
                {"login":"ito","currentPassword":"\(TestRegistry.password)","newPassword":"password"}
                """, token: try await client.token("ito"))
        },
        Refusal(description: "tokenless change of a password that is not initial", status: 401, code: "authentication_required") { client, _, _ in
            try await client.send(.post, "/api/v1/auth/password", json: """
                {"login":"ito","currentPassword":"\(TestRegistry.password)","newPassword":"Another#Lantern-55"}
                """)
        },
        Refusal(description: "expired token", status: 401, code: "token_expired") { client, _, clock in
            let token = try await client.token("ito")
            clock.advance(by: 31 * 60)
            return try await client.send(.post, "/api/v1/patients", json: patient, token: token)
        },
        Refusal(description: "revoked token", status: 401, code: "token_revoked") { client, _, _ in
            let token = try await client.token("ito")
            _ = try await client.send(.delete, "/api/v1/auth/token", token: token)
            return try await client.send(.post, "/api/v1/patients", json: patient, token: token)
        },
        Refusal(description: "unknown token", status: 401, code: "token_invalid") { client, _, _ in
            try await client.send(.post, "/api/v1/patients", json: patient, token: String(repeating: "A", count: 43))
        },
        Refusal(description: "malformed Authorization header", status: 401, code: "malformed_credentials") { client, _, _ in
            try await client.send(.post, "/api/v1/patients", json: patient, headers: [.authorization: "Basic aXRvOnB3"])
        },
        Refusal(description: "bearer without a token", status: 401, code: "malformed_credentials") { client, _, _ in
            try await client.send(.post, "/api/v1/patients", json: patient, headers: [.authorization: "Bearer"])
        },
        Refusal(description: "no credentials", status: 401, code: "authentication_required") { client, _, _ in
            try await client.send(.post, "/api/v1/patients", json: patient)
        },
        Refusal(description: "token of an account disabled after issue", status: 401, code: "token_revoked") { client, test, _ in
            let token = try await client.token("ito")
            _ = try await test.registry.staff.setActive("ito", false, by: .commandLine(user: "test"))
            return try await client.send(.post, "/api/v1/patients", json: patient, token: token)
        },
        Refusal(description: "staff calling an account operation", status: 403, code: "forbidden") { client, _, _ in
            try await client.send(.post, "/api/v1/staff", json: """
                {"login":"mallory","displayName":"M","role":"admin","initialPassword":"Welcome#Desk-2026"}
                """, token: try await client.token("ito"))
        },
        Refusal(description: "auditor posting a loan", status: 403, code: "forbidden") { client, _, _ in
            try await client.send(.post, "/api/v1/loans", json: #"{"deviceId":"x","patientId":"y"}"#, token: try await client.token("kimura"))
        },
        Refusal(description: "CSRF-less cookie password change", status: 401, code: "authentication_required") { client, _, _ in
            let signIn = try await client.send(.post, "/api/v1/auth/session", json: #"{"login":"ito","password":"\#(TestRegistry.password)"}"#)
            let cookie = signIn.headers[.setCookie]?.split(separator: ";").first.map(String.init) ?? ""
            return try await client.send(.post, "/api/v1/auth/password", json: """
                {"login":"ito","currentPassword":"\(TestRegistry.password)","newPassword":"Another#Lantern-55"}
                """, headers: [.cookie: cookie])
        },
        Refusal(description: "CSRF-less cookie post", status: 403, code: "csrf_token_invalid") { client, _, _ in
            let signIn = try await client.send(.post, "/api/v1/auth/session", json: #"{"login":"ito","password":"\#(TestRegistry.password)"}"#)
            let cookie = signIn.headers[.setCookie]?.split(separator: ";").first.map(String.init) ?? ""
            return try await client.send(.post, "/api/v1/patients", json: patient, headers: [.cookie: cookie])
        },
    ]

    @Test(arguments: refusals)
    func eachRefusalHasItsOwnCodeAndChangesNothing(_ refusal: Refusal) async throws {
        let clock = ManualClock(Fixtures.noonInTokyo)
        let test = try await TestRegistry(clock: clock.clock)
        try await test.account("ito", role: .staff)
        try await test.account("kimura", role: .auditor)
        let app = buildApplication(registry: test.registry, configuration: ServerConfiguration())
        try await refusal.setUp?(test)
        try await app.test(.router) { client in
            let before = try await Snapshot(test)
            let response = try await refusal.run(client, test, clock)
            #expect(Int(response.status.code) == refusal.status, "\(response.text)")
            #expect(response.code == refusal.code)
            #expect(response.headers[.contentType] == "application/problem+json")
            let after = try await Snapshot(test)
            #expect(after.counts == before.counts && after.passwordHashes == before.passwordHashes)
        }
        #expect(try await test.registry.verify().passed)
    }
}
