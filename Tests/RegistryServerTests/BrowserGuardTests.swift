import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LoanRegistry
import RegistryServer
import RegistryTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// A hostile web page, a rebinding DNS name or a lazy client cannot get in, and nothing is written.
@Suite struct BrowserGuardTests {
    static let patient = #"{"patientNumber":"P-000900","name":"山田 太郎"}"#

    @Test func changesNeedJSONSameOriginAndAKnownHostAndWriteNothingOtherwise() async throws {
        let test = try await TestRegistry(clock: .fixed(Fixtures.noonInTokyo))
        let loan = try await test.fixtures.draftLoan()
        try await test.fixtures.passGate(loan)
        let app = buildApplication(registry: test.registry,
                                   configuration: ServerConfiguration(allowedHosts: ["registry.clinic.example"]))
        try await app.test(.router) { client in
            let api = try await client.signedIn(as: "tester", in: test)
            let before = try await test.fixtures.count("patients")
            let auth: HTTPFields = [.authorization: "Bearer \(api.token)"]
            for type in ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"] {
                let form = try await client.send(.post, "/api/v1/patients", json: Self.patient, contentType: type, token: api.token)
                #expect(form.status == .unsupportedMediaType && form.code == "unsupported_media_type", "\(type)")
            }
            // An action without a body is no exception: a page could post it cross-site.
            var bare = auth
            bare[.contentType] = "text/plain"
            let handover = try await client.send(.post, "/api/v1/loans/\(loan.id)/handover", headers: bare)
            #expect(handover.status == .unsupportedMediaType)
            #expect(try await test.registry.loans.loan(loan.id, by: test.fixtureActor).status == .consented)

            var crossSite = auth
            crossSite[.origin] = "https://evil.example"
            let cross = try await client.send(.post, "/api/v1/patients", json: Self.patient, headers: crossSite)
            #expect(cross.status == .forbidden && cross.code == "cross_origin")
            #expect(try await test.fixtures.count("patients") == before)
            var sameSite = auth
            sameSite[.origin] = "http://localhost:8080"
            #expect(try await client.send(.post, "/api/v1/patients", json: Self.patient, headers: sameSite).status == .created)
        }
        #expect(try await test.registry.verify().passed)
    }

    @Test func unknownQueryParametersAreRefusedNotIgnored() async throws {
        let test = try await TestRegistry()
        _ = try await test.fixtures.patient(number: "P-1")
        let app = buildApplication(registry: test.registry, configuration: ServerConfiguration())
        try await app.test(.router) { client in
            let api = try await client.signedIn(as: "tester", in: test)
            let byName = try await api.send(.get, "/api/v1/patients?name=%E5%B1%B1%E7%94%B0")
            #expect(byName.status == .badRequest && byName.code == "unknown_query_parameter" && byName.fields == ["name"])
            #expect(!byName.text.contains("試験"), "no patient is listed")
            let byPatient = try await api.send(.get, "/api/v1/loans?patientId=x&limit=5")
            #expect(byPatient.status == .badRequest && byPatient.fields == ["patientId"])
            #expect(try await api.send(.get, "/api/v1/patients?patientNumber=P-1&limit=5").status == .ok)
            #expect(try await api.send(.get, "/api/v1/auth/me?x=1").code == "unknown_query_parameter")
        }
    }

    @Test func answersCarrySecurityHeaders() async throws {
        let test = try await TestRegistry(clock: .fixed(Fixtures.noonInTokyo))
        let loan = try await test.fixtures.draftLoan()
        let app = buildApplication(registry: test.registry, configuration: ServerConfiguration())
        try await app.test(.router) { client in
            let api = try await client.signedIn(as: "tester", in: test)
            let health = try await client.send(.get, "/api/v1/health")
            #expect(health.headers[.xContentTypeOptions] == "nosniff" && health.headers[.cacheControl] == "no-store")
            let html = try await api.send(.get, "/api/v1/loans/\(loan.id)/handouts/contact-sheet.html")
            #expect(html.status == .ok)
            #expect(html.headers[.contentSecurityPolicy]?.contains("default-src 'none'") == true)
            let missing = try await client.send(.get, "/nothing-here")
            #expect(missing.status == .notFound && missing.headers[.xContentTypeOptions] == "nosniff")
        }
    }

    @Test func onlyKnownHostNamesAreServed() async throws {
        let test = try await TestRegistry()
        let app = buildApplication(registry: test.registry,
                                   configuration: ServerConfiguration(port: 0, allowedHosts: ["registry.clinic.example"]))
        try await app.test(.live) { client in
            let port = try #require(client.port)
            let rebound = await Self.offPool { Self.statusLine(port: port, host: "evil.example") }
            #expect(rebound.hasPrefix("HTTP/1.1 421"), "\(rebound)")
            for good in ["localhost:\(port)", "127.0.0.1:\(port)", "registry.clinic.example", "[::1]:\(port)"] {
                #expect(await Self.offPool { Self.statusLine(port: port, host: good) }.hasPrefix("HTTP/1.1 200"), "\(good)")
            }
        }
    }

    /// Runs blocking socket calls on a dispatch thread: blocking Swift's cooperative pool would
    /// starve the very server under test.
    static func offPool<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(returning: body()) }
        }
    }

    /// The status line of `GET /api/v1/health` sent with `Host: host` over a raw socket (a few
    /// tries, as the whole suite may be loading the machine).
    static func statusLine(port: Int, host: String) -> String {
        var problems: [String] = []
        for _ in 0..<5 {
            let fd = connect(port: port)
            guard fd >= 0 else { problems.append("connect errno \(errno)"); continue }
            defer { close(fd) }
            let request = "GET /api/v1/health HTTP/1.1\r\nHost: \(host)\r\nConnection: close\r\n\r\n"
            _ = request.withCString { send(fd, $0, strlen($0), 0) }
            var timeout = timeval(tv_sec: 10, tv_usec: 0)
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            var buffer = [UInt8](repeating: 0, count: 512)
            let count = recv(fd, &buffer, buffer.count, 0)
            if count > 0, let line = String(decoding: buffer.prefix(count), as: UTF8.self).split(separator: "\r\n").first {
                return String(line)
            }
            problems.append("recv \(count) errno \(errno)")
        }
        return problems.joined(separator: "; ")
    }

    @Test func idleConnectionsAreClosedAndTheServiceStillAnswers() async throws {
        let test = try await TestRegistry()
        let app = buildApplication(registry: test.registry,
                                   configuration: ServerConfiguration(port: 0, idleTimeoutSeconds: 1))
        try await app.test(.live) { client in
            let port = try #require(client.port)
            let sockets = await Self.offPool { (0..<100).map { _ in Self.connect(port: port) } }
            #expect(sockets.allSatisfy { $0 >= 0 })
            try await Task.sleep(for: .milliseconds(2500))
            // Each idle socket was closed by the server: a read returns end-of-file at once.
            let closed = await Self.offPool { sockets.filter { Self.isClosedByPeer($0) }.count }
            for socket in sockets { close(socket) }
            #expect(closed == sockets.count)
            // (The test client's own connection was idle too: ask on a new one.)
            #expect(await Self.offPool { Self.statusLine(port: port, host: "localhost") }.hasPrefix("HTTP/1.1 200"))
        }
    }

    static func connect(port: Int) -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return -1 }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        if result != 0 { close(fd) }
        return result == 0 ? fd : -1
    }

    static func isClosedByPeer(_ fd: Int32) -> Bool {
        var timeout = timeval(tv_sec: 1, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var byte: UInt8 = 0
        return recv(fd, &byte, 1, 0) == 0
    }
}
