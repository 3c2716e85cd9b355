import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LoanRegistry
import RegistryServer
import RegistryTestSupport
import Testing

/// The list filters staff need, and that they filter: each returns exactly the matching records.
@Suite struct ListFilterTests {
    private func numbers(_ response: APIResponse, _ key: String = "patientNumber") -> Set<String> {
        Set((response.json["items"] as? [[String: Any]] ?? []).compactMap { $0[key] as? String })
    }

    @Test func patientsByNumberAndByNameOrKanaPrefixWhateverTheWidthOrKana() async throws {
        let test = try await TestRegistry()
        for (number, name, kana) in [("P-1", "山田 太郎", "ヤマダ タロウ"), ("P-2", "山本 花子", "ヤマモト ハナコ"),
                                     ("P-3", "田中 一郎", "タナカ イチロウ"), ("P-4", "Smith Alex", "スミス アレックス")] {
            _ = try await test.registry.patients.register(NewPatient(patientNumber: number, name: name, nameKana: kana),
                                                          by: test.fixtureActor)
        }
        try await buildApplication(registry: test.registry, configuration: ServerConfiguration()).test(.router) { client in
            let api = try await client.signedIn(as: "clerk", in: test)
            func find(_ query: String) async throws -> Set<String> {
                let response = try await api.send(.get, "/api/v1/patients?" + query)
                #expect(response.status == .ok, "\(query): \(response.text.prefix(200))")
                return numbers(response)
            }
            #expect(try await find("patientNumber=P-2") == ["P-2"])
            #expect(try await find("patientNumber=%EF%BC%B0%EF%BC%8D%EF%BC%92") == ["P-2"], "full-width Ｐ－２ is folded")
            #expect(try await find("name=%E5%B1%B1") == ["P-1", "P-2"], "山 starts two names")
            #expect(try await find("name=%E5%B1%B1%E7%94%B0") == ["P-1"], "山田")
            #expect(try await find("name=%E3%82%84%E3%81%BE") == ["P-1", "P-2"], "hiragana やま finds katakana ヤマ")
            #expect(try await find("name=%EF%BE%94%EF%BE%8F%EF%BE%80%EF%BE%9E") == ["P-1"], "half-width ﾔﾏﾀﾞ")
            #expect(try await find("name=%E3%83%A4%E3%83%9E%E3%83%80%20%E3%82%BF") == ["P-1"], "spaces ignored: ヤマダ タ")
            #expect(try await find("name=smith") == ["P-4"], "case ignored")
            #expect(try await find("name=%E3%81%9F%E3%81%AA%E3%81%8B") == ["P-3"], "たなか")
            // Every patient a search returns is audited as read, and only those.
            let reads = { try await test.registry.read { db in
                try Int.fetchOne(db, sql: "SELECT count(*) FROM audit_events WHERE action = 'patient.read'") ?? 0
            } }
            let before = try await reads()
            #expect(try await find("name=%E9%88%B4%E6%9C%A8").isEmpty, "鈴木: no one")
            #expect(try await reads() == before, "nothing found, nothing read")
            #expect(try await find("name=%E3%82%84%E3%81%BE") == ["P-1", "P-2"])
            #expect(try await reads() == before + 2)
            // A space sent as `+` (HTML forms, URLSearchParams) is a space.
            #expect(try await find("name=%E3%83%A4%E3%83%9E+%E3%83%80") == ["P-1"])
            // A search for nothing but separators is refused, not a list of everyone.
            let blank = try await api.send(.get, "/api/v1/patients?name=%E2%80%A8")
            #expect(blank.status == .unprocessableContent && blank.fields == ["name"])
            // A page of a filtered list never holds more than asked, and pages on.
            let first = try await api.send(.get, "/api/v1/patients?name=%E3%82%84%E3%81%BE&limit=1")
            #expect(numbers(first).count == 1)
            let cursor = try #require(first.json["nextCursor"] as? String)
            let second = try await api.send(.get, "/api/v1/patients?name=%E3%82%84%E3%81%BE&limit=1&cursor=\(cursor)")
            #expect(numbers(first).union(numbers(second)) == ["P-1", "P-2"])
        }
    }

    @Test func loansByPatientDeviceStatusAndDueRange() async throws {
        let test = try await TestRegistry(clock: .fixed(Fixtures.noonInTokyo))
        let fixtures = test.fixtures
        let alice = try await fixtures.patient(number: "P-A")
        let bob = try await fixtures.patient(number: "P-B")
        let early = try await test.registry.loans.register(
            NewLoan(deviceId: try await fixtures.device(assetTag: "D-1").id, patientId: alice.id, dueDate: LocalDate("2026-11-25")),
            by: test.fixtureActor)
        let late = try await test.registry.loans.register(
            NewLoan(deviceId: try await fixtures.device(assetTag: "D-2").id, patientId: alice.id, dueDate: LocalDate("2026-12-20")),
            by: test.fixtureActor)
        let other = try await test.registry.loans.register(
            NewLoan(deviceId: try await fixtures.device(assetTag: "D-3").id, patientId: bob.id, dueDate: LocalDate("2026-12-01")),
            by: test.fixtureActor)
        _ = try await test.registry.loans.cancel(other.id, reason: "postponed", by: test.fixtureActor)
        try await buildApplication(registry: test.registry, configuration: ServerConfiguration()).test(.router) { client in
            let api = try await client.signedIn(as: "clerk", in: test)
            func find(_ query: String) async throws -> Set<String> {
                let response = try await api.send(.get, "/api/v1/loans?" + query)
                #expect(response.status == .ok, "\(query): \(response.text.prefix(200))")
                return numbers(response, "number")
            }
            #expect(try await find("patientId=\(alice.id)") == [early.number, late.number])
            #expect(try await find("patientId=P-B") == [other.number], "by patient number too")
            #expect(try await find("deviceId=D-2") == [late.number], "by asset tag")
            #expect(try await find("status=cancelled") == [other.number])
            #expect(try await find("patientId=P-A&status=cancelled").isEmpty)
            #expect(try await find("dueFrom=2026-11-30&dueTo=2026-12-31") == [late.number, other.number])
            #expect(try await find("dueTo=2026-11-30") == [early.number])
            #expect(try await find("patientId=P-NOBODY").isEmpty, "an unknown patient has no loans")
            #expect(try await find("patientId=%EF%BC%B0%EF%BC%8D%EF%BC%A1") == [early.number, late.number], "Ｐ－Ａ folded")
        }
    }

    @Test func devicesByStatusCategoryAndModel() async throws {
        let test = try await TestRegistry()
        let holter = try await test.fixtures.model(category: .holterECG)
        let oximeter = try await test.fixtures.model(category: .pulseOximeter)
        let first = try await test.fixtures.device(model: holter, assetTag: "H-1")
        _ = try await test.fixtures.device(model: holter, assetTag: "H-2")
        _ = try await test.fixtures.device(model: oximeter, assetTag: "O-1")
        _ = try await test.fixtures.activeLoan(device: first)
        try await buildApplication(registry: test.registry, configuration: ServerConfiguration()).test(.router) { client in
            let api = try await client.signedIn(as: "clerk", in: test)
            func find(_ query: String) async throws -> Set<String> {
                let response = try await api.send(.get, "/api/v1/devices?" + query)
                #expect(response.status == .ok, "\(query): \(response.text.prefix(200))")
                return numbers(response, "assetTag")
            }
            #expect(try await find("category=holter_ecg") == ["H-1", "H-2"])
            #expect(try await find("category=pulse_oximeter") == ["O-1"])
            #expect(try await find("modelId=\(holter.id)") == ["H-1", "H-2"])
            #expect(try await find("status=on_loan") == ["H-1"])
            #expect(try await find("status=available&category=holter_ecg") == ["H-2"])
        }
    }
}

extension ListFilterTests {
    @Test func overdueLoansFilterByPatientDeviceAndDueRangeToo() async throws {
        let test = try await TestRegistry(clock: .fixed(Fixtures.noonInTokyo))
        let alice = try await test.fixtures.patient(number: "P-A")
        let bob = try await test.fixtures.patient(number: "P-B")
        var numbers: [String: String] = [:]
        for (tag, patient, due) in [("D-1", alice, "2026-11-22"), ("D-2", alice, "2026-11-25"), ("D-3", bob, "2026-11-23")] {
            let loan = try await test.fixtures.activeLoan(device: try await test.fixtures.device(assetTag: tag),
                                                         due: LocalDate(due))
            // activeLoan registers for a fixture patient: re-point it at ours for the filter
            // (a fixture shortcut on a separate connection, outside the registry and its audit).
            try await test.independentConnection().write { db in
                try db.execute(sql: "UPDATE loans SET patient_id = ? WHERE id = ?", arguments: [patient.id, loan.id])
            }
            numbers[tag] = loan.number
        }
        let d1 = try #require(numbers["D-1"]), d2 = try #require(numbers["D-2"]), d3 = try #require(numbers["D-3"])
        try await buildApplication(registry: test.registry, configuration: ServerConfiguration()).test(.router) { client in
            let api = try await client.signedIn(as: "clerk", in: test)
            func overdue(_ query: String) async throws -> Set<String> {
                let response = try await api.send(.get, "/api/v1/loans?status=overdue&asOf=2026-12-01&" + query)
                #expect(response.status == .ok, "\(query): \(response.text.prefix(200))")
                return Set((response.json["items"] as? [[String: Any]] ?? []).compactMap { $0["number"] as? String })
            }
            #expect(try await overdue("patientId=P-A") == [d1, d2])
            #expect(try await overdue("deviceId=D-3") == [d3])
            #expect(try await overdue("dueFrom=2026-11-23&dueTo=2026-11-30") == [d2, d3])
            let backwards = try await api.send(.get, "/api/v1/loans?dueFrom=2026-12-10&dueTo=2026-12-01")
            #expect(backwards.status == .unprocessableContent && backwards.fields == ["dueTo"])
        }
    }
}
