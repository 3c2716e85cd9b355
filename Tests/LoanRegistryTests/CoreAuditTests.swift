import Foundation
import GRDB
import LoanRegistry
import RegistryTestSupport
import Testing

@Suite struct CoreAuditTests {
    private func actions(_ test: TestRegistry) async throws -> [String] {
        try await test.registry.read { db in try String.fetchAll(db, sql: "SELECT action FROM audit_events WHERE action NOT LIKE 'staff.%' ORDER BY seq") }
    }

    @Test func everyChangeAndEveryPatientReadIsAudited() async throws {
        let test = try await TestRegistry(clock: .fixed(Fixtures.noonInTokyo))
        let actor = try await test.account("tanaka", role: .staff)
        let model = try await test.fixtures.model()
        let device = try await test.fixtures.device(model: model)
        let patient = try await test.fixtures.patient()
        let loan = try await test.registry.loans.register(NewLoan(deviceId: device.id, patientId: patient.id), by: actor)
        let consent = try await test.registry.consents.record(loan: loan.id, test.fixtures.consent(to: loan), by: actor)
        _ = try await test.registry.loans.recordContactSheet(loan.id, ContactSheetGiven(), by: actor)
        _ = try await test.registry.loans.handOver(loan.id, by: actor)
        _ = try await test.registry.patients.patient(patient.id, by: actor)
        _ = try await test.registry.loans.loan(loan.number, by: actor)
        _ = try await test.registry.consents.consent(consent.id, by: actor)
        _ = try await test.registry.loans.receiveReturn(loan.id, LoanReturn(condition: .ok, accessoriesComplete: true), by: actor)
        _ = try await test.registry.loans.list(by: actor)
        #expect(try await actions(test) == [
            "clinic.updated", "device_model.registered", "device.registered", "patient.registered", "loan.created",
            "explanation.snapshotted", "consent.recorded", "contact_sheet.given", "loan.handed_over",
            "patient.read", "loan.read", "consent.read", "loan.returned", "loan.read",
        ])
        let reads = try await test.registry.read { db in
            try Row.fetchAll(db, sql: "SELECT actor, entity_id FROM audit_events WHERE action LIKE '%.read'")
                .map { ($0["actor"] as String, $0["entity_id"] as String) }
        }
        #expect(reads.allSatisfy { $0.0 == "staff:tanaka" })
        #expect(reads.contains { $0.1 == patient.id })
        #expect(try await test.registry.verify().passed)
    }

    @Test func auditDetailsCarryNoPatientData() async throws {
        let test = try await TestRegistry(clock: .fixed(Fixtures.noonInTokyo))
        let patient = try await test.registry.patients.register(
            NewPatient(patientNumber: "P-777", name: "秘密 花子", nameKana: "ヒミツ ハナコ", phone: "090-1111-2222"), by: .system)
        let loan = try await test.fixtures.activeLoan()
        _ = try await test.registry.patients.patient(patient.id, by: .system)
        _ = try await test.registry.loans.overdueReport(asOf: LocalDate("2027-01-01"), by: .system)
        _ = try await test.registry.loans.receiveReturn(loan.id, LoanReturn(condition: .ok, accessoriesComplete: true, notes: "n"), by: .system)
        let everything = try await test.registry.read { db in
            try String.fetchAll(db, sql: "SELECT actor || action || entity_type || entity_id || details FROM audit_events").joined()
        }
        for secret in ["秘密", "ヒミツ", "090-1111-2222", "P-777", "試験", "03-1234-5678"] {
            #expect(!everything.contains(secret), "audit log contains \(secret)")
        }
    }

    @Test func aFailedOperationLeavesNeitherRecordNorEvent() async throws {
        let test = try await TestRegistry()
        _ = try await test.fixtures.patient(number: "P-1")
        let before = try await test.fixtures.count("audit_events")
        await #expect(throws: RegistryError.duplicate(field: "patientNumber")) { try await test.fixtures.patient(number: "P-1") }
        #expect(try await test.fixtures.count("audit_events") == before)
        #expect(try await test.fixtures.count("patients") == 1)
    }
}
