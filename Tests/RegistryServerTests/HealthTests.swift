import Foundation
import GRDB
import Hummingbird
import NIOCore
import HummingbirdTesting
import LoanRegistry
import RegistryServer
import RegistryTestSupport
import Testing

@Suite struct HealthTests {
    @Test func healthReportsTheDatabaseAndVersion() async throws {
        let test = try await TestRegistry()
        let app = buildApplication(registry: test.registry, configuration: ServerConfiguration())
        try await app.test(.router) { client in
            try await client.execute(uri: "/api/v1/health", method: .get) { response in
                #expect(response.status == .ok)
                let body = try #require(try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any])
                #expect(body["status"] as? String == "ok" && body["database"] as? String == "ok" && body["writes"] as? String == "ok")
                #expect(body["version"] as? String == RegistryVersion.current)
                let integrity = try #require(body["integrity"] as? [String: Any])
                #expect(integrity["check"] as? String == "quick_check" && integrity["result"] as? String == "ok")
                #expect(body["backup"] == nil, "no backup written yet")
            }
        }
    }

    @Test func unusableDatabaseGives503ProblemDetails() async throws {
        let test = try await TestRegistry()
        let app = buildApplication(registry: test.registry, configuration: ServerConfiguration())
        try test.registry.close()
        try await app.test(.router) { client in
            try await client.execute(uri: "/api/v1/health", method: .get) { response in
                #expect(response.status == .serviceUnavailable)
                #expect(response.headers[.contentType] == "application/problem+json")
                #expect(response.headers[.retryAfter] == "5")
                let body = try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any]
                #expect(body?["code"] as? String == "database_unavailable")
                #expect(body?["writes"] as? String == "unavailable")
                #expect(body?["status"] as? Int == 503)
            }
        }
    }

    @Test func healthSaysWritesAreUnavailableWhileAnotherProcessHoldsTheWriteLockAndRecoversAfter() async throws {
        let test = try await TestRegistry()
        let app = buildApplication(registry: test.registry, configuration: ServerConfiguration())
        let other = try test.independentConnection()
        // Another connection (as another process would) takes the write lock and keeps it.
        let holding = DispatchSemaphore(value: 0)
        let release = DispatchSemaphore(value: 0)
        let holder = Thread {
            try? other.writeWithoutTransaction { db in
                try db.execute(sql: "BEGIN IMMEDIATE")
                holding.signal()
                release.wait()
                try db.execute(sql: "ROLLBACK")
            }
        }
        holder.start()
        holding.wait()
        await #expect(throws: StorageError.self) { _ = try await test.fixtures.patient() }
        try await app.test(.router) { client in
            try await client.execute(uri: "/api/v1/health", method: .get) { response in
                #expect(response.status == .serviceUnavailable)
                #expect(response.headers[.retryAfter] == "5")
                let body = try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any]
                #expect(body?["code"] as? String == "writes_unavailable")
                #expect(body?["writes"] as? String == "unavailable" && body?["database"] as? String == "ok")
                #expect(body?["writesReason"] as? String == "the database is busy")
            }
            release.signal()
            // Nobody writes: the health check's own probe finds writes work again.
            var status = HTTPResponse.Status.serviceUnavailable
            for _ in 0..<40 where status != .ok {
                try await Task.sleep(for: .milliseconds(250))
                status = try await client.execute(uri: "/api/v1/health", method: .get).status
            }
            #expect(status == .ok)
        }
        _ = try await test.fixtures.patient()
    }

    @Test func unknownRouteGives404ProblemDetails() async throws {
        let test = try await TestRegistry()
        let app = buildApplication(registry: test.registry, configuration: ServerConfiguration())
        try await app.test(.router) { client in
            try await client.execute(uri: "/api/v1/nothing-here", method: .get) { response in
                #expect(response.status == .notFound)
                #expect(response.headers[.contentType] == "application/problem+json")
                let body = try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any]
                #expect(body?["code"] as? String == "not_found")
            }
        }
    }

    @Test func liveServerAnswersOverTCP() async throws {
        let test = try await TestRegistry()
        let app = buildApplication(registry: test.registry, configuration: ServerConfiguration(port: 0))
        try await app.test(.live) { client in
            try await client.execute(uri: "/api/v1/health", method: .get) { response in
                #expect(response.status == .ok)
            }
        }
    }
}
