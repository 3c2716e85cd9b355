import Foundation
import Hummingbird
import HummingbirdTesting
import LoanRegistry
import Logging
import RegistryServer
import RegistryTestSupport
import Synchronization
import Testing

/// Collects every log line the server writes, message and metadata.
final class CollectedLog: Sendable {
    let lines = Mutex<[String]>([])

    var logger: Logger {
        Logger(label: "test") { _ in Handler(log: self) }
    }

    struct Handler: LogHandler {
        let log: CollectedLog
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            let all = metadata.merging(event.metadata ?? [:]) { $1 }
            log.lines.withLock { $0.append("\(event.message) \(all)") }
        }
    }
}

@Suite struct RequestLogPrivacyTests {
    @Test func requestLogsNameTheRouteNotThePatient() async throws {
        let test = try await TestRegistry()
        let patient = try await test.fixtures.patient(number: "P-SECRET-42", name: "秘密 花子")
        let log = CollectedLog()
        let app = buildApplication(registry: test.registry, configuration: ServerConfiguration(), logger: log.logger)
        try await app.test(.router) { client in
            let api = try await client.signedIn(as: "tester", in: test)
            let found = try await api.send(.get, "/api/v1/patients/P-SECRET-42")
            #expect(found.json["id"] as? String == patient.id)
            let missing = try await api.send(.get, "/api/v1/patients/P-SECRET-43")
            #expect(missing.status == .notFound)
            #expect(!missing.text.contains("P-SECRET-43"))
            _ = try await api.send(.get, "/api/v1/patients?patientNumber=P-SECRET-42")
        }
        let lines = log.lines.withLock { $0 }
        #expect(lines.count >= 3)
        #expect(lines.contains { $0.contains("/api/v1/patients/{id}") && $0.contains("200") })
        #expect(lines.contains { $0.contains("404") })
        for line in lines {
            #expect(!line.contains("P-SECRET") && !line.contains("秘密"), "patient data in log: \(line)")
        }
    }
}
