import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LoanRegistry
import RegistryServer
import RegistryTestSupport
import Testing

/// Two staff editing one record: the second change is refused, never a silent overwrite.
@Suite struct EditConflictTests {
    @Test func aPatientCorrectionNeedsTheRevisionReadAndKeepsTheOldValuesInItsHistory() async throws {
        let test = try await TestRegistry()
        let patient = try await test.fixtures.patient(number: "P-EDIT", name: "山田 太朗")
        try await buildApplication(registry: test.registry, configuration: ServerConfiguration()).test(.router) { client in
            let sato = try await client.signedIn(as: "sato", role: .staff, in: test)
            let suzuki = try await client.signedIn(as: "suzuki", role: .staff, in: test)
            let path = "/api/v1/patients/\(patient.id)"
            let readBySato = try await sato.send(.get, path)
            let readBySuzuki = try await suzuki.send(.get, path)
            let tag = try #require(readBySato.headers[.eTag])
            #expect(readBySuzuki.headers[.eTag] == tag)

            let none = try await sato.send(.patch, path, json: #"{"name":"山田 太郎","reason":"typo"}"#)
            #expect(none.status.code == 428 && none.code == "precondition_required")

            let first = try await sato.send(.patch, path, json: #"{"name":"山田 太郎","reason":"typo at registration"}"#,
                                            headers: [.ifMatch: tag])
            #expect(first.status == .ok && first.json["name"] as? String == "山田 太郎")
            #expect(first.headers[.eTag] != nil && first.headers[.eTag] != tag)

            let second = try await suzuki.send(.patch, path, json: #"{"phone":"03-9999-0000","reason":"new phone"}"#,
                                               headers: [.ifMatch: tag])
            #expect(second.status == .preconditionFailed && second.code == "precondition_failed")
            #expect(!second.text.contains("山田"))
            let now = try await suzuki.send(.get, path)
            #expect(now.json["name"] as? String == "山田 太郎" && now.json["phone"] as? String == "03-1234-5678",
                    "the first change stands and the second wrote nothing")

            let history = try await suzuki.send(.get, path + "/corrections")
            let items = try #require(history.json["items"] as? [[String: Any]])
            #expect(items.count == 1)
            #expect((items.first?["previous"] as? [String: String]) == ["name": "山田 太朗"])
            #expect(items.first?["correctedBy"] as? String == "staff:sato")
        }
        // The audit log names the fields corrected, never their values.
        let details = try await test.registry.read { db in
            try String.fetchAll(db, sql: "SELECT details FROM audit_events WHERE action = 'patient.corrected'")
        }
        #expect(details.count == 1 && details[0].contains("name") && !details[0].contains("山田"))
        #expect(try await test.registry.verify().passed)
    }

    @Test func clinicProfileAndLoanChangesRefuseAStaleRevision() async throws {
        let test = try await TestRegistry(clock: .fixed(Fixtures.noonInTokyo))
        let loan = try await test.fixtures.draftLoan()
        try await buildApplication(registry: test.registry, configuration: ServerConfiguration()).test(.router) { client in
            let api = try await client.signedIn(as: "manager", role: .manager, in: test)
            let clinic = try await api.send(.get, "/api/v1/clinic")
            let clinicTag = try #require(clinic.headers[.eTag])
            var body = clinic.json
            body["updatedAt"] = nil
            body["updatedBy"] = nil
            body["hours"] = "平日 8:30〜17:30"
            let json = String(decoding: try JSONSerialization.data(withJSONObject: body), as: UTF8.self)
            #expect(try await api.send(.put, "/api/v1/clinic", json: json, headers: [.ifMatch: clinicTag]).status == .ok)
            let stale = try await api.send(.put, "/api/v1/clinic", json: json, headers: [.ifMatch: clinicTag])
            #expect(stale.status == .preconditionFailed)

            let loanTag = try #require(try await api.send(.get, "/api/v1/loans/\(loan.id)").headers[.eTag])
            let moved = try await api.send(.patch, "/api/v1/loans/\(loan.id)", json: #"{"language":"en"}"#,
                                           headers: [.ifMatch: loanTag])
            #expect(moved.status == .ok, "\(moved.text.prefix(200))")
            let again = try await api.send(.patch, "/api/v1/loans/\(loan.id)", json: #"{"language":"ja"}"#,
                                           headers: [.ifMatch: loanTag])
            #expect(again.status == .preconditionFailed)
            #expect(try await api.send(.get, "/api/v1/loans/\(loan.id)").json["language"] as? String == "en")
        }
    }

    @Test func textIsStoredInNFCWhateverTheKeyboardSent() async throws {
        let test = try await TestRegistry()
        try await buildApplication(registry: test.registry, configuration: ServerConfiguration()).test(.router) { client in
            let api = try await client.signedIn(as: "clerk", in: test)
            // か + combining voiced mark (NFD), as some keyboards send it.
            let created = try await api.send(.post, "/api/v1/patients",
                                             json: #"{"patientNumber":"P-NFC","name":"\u304B\u3099\u3063\u3053\u3046"}"#)
            #expect(created.status == .created)
            // A number typed in full-width with a trailing space is stored half-width, and found either way.
            let typed = try await api.send(.post, "/api/v1/patients", json: #"{"patientNumber":"Ｐ－０００１２３　","name":"x"}"#)
            #expect(typed.status == .created && typed.json["patientNumber"] as? String == "P-000123")
            #expect(try await api.send(.get, "/api/v1/patients/%EF%BC%B0%EF%BC%8D000123").json["patientNumber"] as? String
                    == "P-000123")
        }
        let stored = try await test.registry.read { db in
            try String.fetchOne(db, sql: "SELECT name FROM patients WHERE patient_number = 'P-NFC'")
        }
        #expect(stored.map { Array($0.unicodeScalars) } == Array("\u{304C}\u{3063}\u{3053}\u{3046}".unicodeScalars))
        let found = try await test.registry.patients.list(.init(name: "が"), by: test.fixtureActor)
        #expect(found.items.count == 1)
    }

    @Test func aConstraintTheDatabaseEnforcesComesBackAsAProblemNamingTheField() async throws {
        let test = try await TestRegistry()
        // Past validation by hand: the database's own CHECK must still answer with the field.
        await #expect(throws: RegistryError.constraintViolated(field: "name")) {
            try await test.registry.writer.write { db in
                try db.execute(sql: """
                    INSERT INTO patients (id, patient_number, name, language, created_at, updated_at)
                    VALUES ('00000000-0000-4000-8000-000000000001', 'P-C', ?, 'ja', 'x', 'x')
                    """, arguments: [String(repeating: "x", count: 101)])
            }
        }
        #expect(try await test.fixtures.count("patients") == 0)
    }
}

extension EditConflictTests {
    @Test func ifMatchTakesAListWeakTagsAndAStarAndEveryChangeNeedsIt() async throws {
        let test = try await TestRegistry(clock: .fixed(Fixtures.noonInTokyo))
        let loan = try await test.fixtures.draftLoan()
        let patient = try await test.fixtures.patient(number: "P-TAGS")
        try await buildApplication(registry: test.registry, configuration: ServerConfiguration()).test(.router) { client in
            let manager = try await client.signedIn(as: "manager", role: .manager, in: test)
            // Without If-Match every kind of change is refused with 428, and nothing is written.
            #expect(try await manager.send(.patch, "/api/v1/loans/\(loan.id)", json: #"{"language":"en"}"#).status.code == 428)
            let clinic = try await manager.send(.get, "/api/v1/clinic")
            var body = clinic.json
            body["hours"] = "24時間"
            let json = String(decoding: try JSONSerialization.data(withJSONObject: body), as: UTF8.self)
            #expect(try await manager.send(.put, "/api/v1/clinic", json: json).status.code == 428)
            // The whole GET body goes back (updatedAt and updatedBy are read-only and ignored).
            let path = "/api/v1/patients/\(patient.id)"
            let tag = try #require(try await manager.send(.get, path).headers[.eTag])
            let listed = try await manager.send(.patch, path, json: #"{"phone":"03-1111-2222","reason":"moved"}"#,
                                                headers: [.ifMatch: "\"0000\", \(tag)"])
            #expect(listed.status == .ok, "a list of tags, one of them current")
            let weak = try #require(listed.headers[.eTag])
            let weakened = try await manager.send(.patch, path, json: #"{"phone":"03-1111-3333","reason":"typo"}"#,
                                                  headers: [.ifMatch: "W/\(weak)"])
            #expect(weakened.status == .ok, "a weak tag names the same revision")
            let star = try await manager.send(.patch, path, json: #"{"phone":"03-1111-4444","reason":"again"}"#,
                                              headers: [.ifMatch: "*"])
            #expect(star.status == .ok)
            let settings = try await client.signedIn(as: "boss", role: .admin, in: test)
            let current = try await settings.send(.get, "/api/v1/security-settings")
            #expect(try await settings.send(.put, "/api/v1/security-settings", json: current.text).status.code == 428)
            let settingsTag = try #require(current.headers[.eTag])
            #expect(try await settings.send(.put, "/api/v1/security-settings", json: current.text,
                                            headers: [.ifMatch: settingsTag]).status == .ok)
            #expect(try await manager.send(.put, "/api/v1/clinic", json: json,
                                           headers: [.ifMatch: try #require(clinic.headers[.eTag])]).status == .ok)
        }
        #expect(try await test.fixtures.count("patient_corrections") == 3)
    }

    @Test func aCorrectionThatChangesNothingIsAuditedAsARead() async throws {
        let test = try await TestRegistry()
        let patient = try await test.fixtures.patient(number: "P-SAME")
        try await buildApplication(registry: test.registry, configuration: ServerConfiguration()).test(.router) { client in
            let api = try await client.signedIn(as: "clerk", in: test)
            let reads = { try await test.registry.read { db in
                try Int.fetchOne(db, sql: "SELECT count(*) FROM audit_events WHERE action = 'patient.read'") ?? 0
            } }
            let before = try await reads()
            let same = try await api.send(.patch, "/api/v1/patients/\(patient.id)",
                                          json: #"{"phone":"03-1234-5678","reason":"checked"}"#, headers: [.ifMatch: "*"])
            #expect(same.status == .ok && same.json["patientNumber"] as? String == "P-SAME")
            #expect(try await reads() == before + 1)
            #expect(try await test.fixtures.count("patient_corrections") == 0)
        }
    }

    @Test func aControlCharacterFollowedByACombiningMarkIsStoredNotA500() async throws {
        let test = try await TestRegistry()
        try await buildApplication(registry: test.registry, configuration: ServerConfiguration()).test(.router) { client in
            let api = try await client.signedIn(as: "clerk", in: test)
            let created = try await api.send(.post, "/api/v1/patients",
                                             json: #"{"patientNumber":"P-ESC","name":"a\n\u0301b","nameKana":"\u30AB\u3099"}"#)
            #expect(created.status == .created, "\(created.text.prefix(200))")
        }
        let stored = try await test.registry.read { db in
            try Row.fetchOne(db, sql: "SELECT name, name_kana FROM patients WHERE patient_number = 'P-ESC'")
                .map { [$0["name"] as String, $0["name_kana"] as String] }
        }
        #expect(stored.map { $0.map { Array($0.unicodeScalars) } } == [Array("a\n\u{301}b".unicodeScalars), ["\u{30AC}"]])
    }
}
