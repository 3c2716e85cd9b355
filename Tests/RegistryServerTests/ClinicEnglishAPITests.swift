import Foundation
import Hummingbird
import HummingbirdTesting
import LoanRegistry
import RegistryServer
import RegistryTestSupport
import Testing

/// The clinic's details in English (guideline ⑧ for a patient who reads English): set over HTTP,
/// read back, printed on English explanations, checked like every other field.
@Suite struct ClinicEnglishAPITests {
    @Test func englishDetailsAreSetReadAndPrintedOnEnglishExplanationsOnly() async throws {
        let test = try await TestRegistry(clock: .fixed(Fixtures.noonInTokyo), withClinic: false)
        let app = buildApplication(registry: test.registry, configuration: ServerConfiguration())
        let device = try await test.fixtures.device()
        let english = try await test.registry.patients.register(
            NewPatient(patientNumber: "P-EN", name: "Sample", language: .en), by: test.fixtureActor)
        let japanese = try await test.registry.patients.register(
            NewPatient(patientNumber: "P-JA", name: "見本", language: .ja), by: test.fixtureActor)
        try await app.test(.router) { client in
            let api = try await client.signedIn(as: "tester", in: test)
            let clinic = #"""
                {"name":"さくら内科","department":"内科","phone":"03-1","hours":"平日 9:00〜17:00","afterHoursPhone":"03-2",
                 "afterHoursReaches":"clinic","privacyDesk":"医事課",
                 "english":{"name":"Sakura Clinic","department":"Internal Medicine","hours":"Weekdays 9:00-17:00",
                            "afterHoursNote":"The doctor on call answers.","privacyDesk":"Medical Affairs"}}
                """#
            let set = try await api.send(.put, "/api/v1/clinic", json: clinic)
            #expect(set.status == .ok, "\(set.text.prefix(300))")
            let read = try await api.send(.get, "/api/v1/clinic")
            let stored = try #require(read.json["english"] as? [String: Any])
            #expect(stored["name"] as? String == "Sakura Clinic" && stored["afterHoursNote"] as? String == "The doctor on call answers.")

            let inEnglish = try await api.send(.post, "/api/v1/loans", json: #"{"deviceId":"\#(device.id)","patientId":"P-EN"}"#)
            let text = try #require((inEnglish.json["explanation"] as? [String: Any])?["text"] as? String)
            for expected in ["Our clinic: Sakura Clinic, Internal Medicine", "Phone 03-1 (Weekdays 9:00-17:00)",
                             "The doctor on call answers.", "withdrawing consent: Medical Affairs"] {
                #expect(text.contains(expected), "the English explanation has '\(expected)'")
            }
            #expect(!text.contains("さくら内科") && !text.contains("平日"))
            _ = try await api.send(.post, "/api/v1/loans/\(try #require(inEnglish.json["id"] as? String))/cancel",
                                   json: #"{"reason":"test"}"#)

            let inJapanese = try await api.send(.post, "/api/v1/loans",
                                                json: #"{"deviceId":"\#(try await test.fixtures.device().id)","patientId":"P-JA"}"#)
            let japaneseText = try #require((inJapanese.json["explanation"] as? [String: Any])?["text"] as? String)
            #expect(japaneseText.contains("当院: さくら内科 内科") && !japaneseText.contains("Sakura Clinic"))

            // Checked like the other fields: too long, more than one line, unknown field → one 422, nothing stored.
            let tag = try #require(try await api.send(.get, "/api/v1/clinic").headers[.eTag])
            let long = String(repeating: "a", count: 201)
            let bad = try await api.send(.put, "/api/v1/clinic", json: clinic
                .replacingOccurrences(of: #""name":"Sakura Clinic""#, with: #""name":"\#(long)""#)
                .replacingOccurrences(of: #""hours":"Weekdays 9:00-17:00""#, with: #""hours":"a\nb","colour":"red""#),
                                         headers: [.ifMatch: tag])
            #expect(bad.status == .unprocessableContent)
            let fields = Set(((bad.json["errors"] as? [[String: Any]]) ?? []).compactMap { $0["field"] as? String })
            #expect(fields.isSuperset(of: ["english.name", "english.colour"]), "\(fields)")
            let after = try await api.send(.get, "/api/v1/clinic")
            #expect((after.json["english"] as? [String: Any])?["name"] as? String == "Sakura Clinic")
        }
        _ = (english, japanese)
    }
}
