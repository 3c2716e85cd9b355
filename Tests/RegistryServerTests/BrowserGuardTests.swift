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
            let misspelt = try await api.send(.get, "/api/v1/patients?nmae=%E5%B1%B1%E7%94%B0")
            #expect(misspelt.status == .badRequest && misspelt.code == "unknown_query_parameter" && misspelt.fields == ["nmae"])
            #expect(!misspelt.text.contains("試験"), "no patient is listed")
            let byPatient = try await api.send(.get, "/api/v1/loans?patient=x&limit=5")
            #expect(byPatient.status == .badRequest && byPatient.fields == ["patient"])
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
            let rebound = await RawSocket.offPool { RawSocket.statusLine(port: port, host: "evil.example") }
            #expect(rebound.hasPrefix("HTTP/1.1 421"), "\(rebound)")
            for good in ["localhost:\(port)", "127.0.0.1:\(port)", "registry.clinic.example", "[::1]:\(port)"] {
                #expect(await RawSocket.offPool { RawSocket.statusLine(port: port, host: good) }.hasPrefix("HTTP/1.1 200"), "\(good)")
            }
        }
    }
}
