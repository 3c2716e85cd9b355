import Foundation
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
                let body = try JSONDecoder().decode([String: String].self, from: Data(response.body.readableBytesView))
                #expect(body == ["status": "ok", "database": "ok", "version": RegistryVersion.current])
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
                #expect(body?["status"] as? Int == 503)
            }
        }
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
