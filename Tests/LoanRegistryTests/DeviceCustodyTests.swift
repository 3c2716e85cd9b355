import Foundation
import GRDB
import LoanRegistry
import RegistryTestSupport
import Testing

/// Issue 12, first part: the lifecycles in one table each, enforced by the database too; the wipe
/// gate (guideline ⑩); extensions of active loans.
@Suite struct DeviceCustodyTests {
    /// A registry with a second staff member to verify wipes.
    static func registry() async throws -> (TestRegistry, checker: AuditActor) {
        let test = try await TestRegistry(clock: .fixed(Fixtures.noonInTokyo))
        let checker = try await TestRegistry.account("checker", role: .staff, in: test.registry)
        return (test, checker)
    }

    @Test func theDatabaseHoldsExactlyTheTransitionTables() async throws {
        let (test, _) = try await Self.registry()
        let rows = try await test.independentConnection().read { db in
            try Row.fetchAll(db, sql: "SELECT entity, from_status, to_status FROM lifecycle_transitions")
                .map { "\($0["entity"] as String) \($0["from_status"] as String)→\($0["to_status"] as String)" }
        }
        let loans = LoanLifecycle.transitions.filter { $0.from != $0.to }.map { "loan \($0.from.rawValue)→\($0.to.rawValue)" }
        let devices = DeviceLifecycle.transitions.filter { $0.from != $0.to }.map { "device \($0.from.rawValue)→\($0.to.rawValue)" }
        #expect(Set(rows) == Set(loans + devices))
        // Every transition names an operation some clinical role may perform.
        for operation in LoanLifecycle.transitions.map(\.operation) + DeviceLifecycle.transitions.map(\.operation) {
            #expect(!AccessPolicy.roles(for: operation).isEmpty)
        }
    }

    @Test func aTransitionTheTableForbidsIsRefusedInSQLToo() async throws {
        let (test, _) = try await Self.registry()
        let draft = try await test.fixtures.draftLoan()
        let active = try await test.fixtures.activeLoan()
        _ = try await test.registry.loans.receiveReturn(active.id, LoanReturn(condition: .ok, accessoriesComplete: true), by: .system)
        let queue = try test.independentConnection()
        for sql in ["UPDATE loans SET status = 'returned', returned_at = 'x', return_condition = 'ok' WHERE id = '\(draft.id)'",
                    "UPDATE loans SET status = 'active' WHERE id = '\(active.id)'",
                    "UPDATE devices SET status = 'available' WHERE id = '\(active.device.id)'",
                    "UPDATE devices SET status = 'lost' WHERE id = '\(draft.device.id)'"] {
            #expect(throws: DatabaseError.self, "\(sql)") { try queue.write { db in try db.execute(sql: sql) } }
        }
        #expect(throws: DatabaseError.self) {
            try queue.write { db in
                try db.execute(sql: """
                    INSERT INTO loans (id, number, device_id, patient_id, status, start_date, due_date, created_at, created_by, handed_over_at)
                    SELECT '\(UUID().uuidString.lowercased())', 'L-2026-999999', device_id, patient_id, 'active', start_date, due_date,
                           created_at, created_by, created_at FROM loans WHERE id = '\(draft.id)'
                    """)
            }
        }
        #expect(try await test.registry.ledger.device(active.device.id, by: .system).status == .awaitingWipe)
        #expect(try await test.registry.loans.loan(draft.id, by: .system).status == .draft)
        // Every move through the registry is in the loan's history.
        let events = try await queue.read { db in
            try String.fetchAll(db, sql: "SELECT event FROM loan_events WHERE loan_id = ? ORDER BY seq", arguments: [active.id])
        }
        #expect(events == ["consent_granted", "hand_over", "return"])
    }

    @Test func aReturnedDeviceIsLentAgainOnlyAfterAWipeVerifiedBySomeoneElse() async throws {
        let (test, checker) = try await Self.registry()
        let device = try await test.fixtures.device()
        let loan = try await test.fixtures.activeLoan(device: device)
        #expect(try await test.registry.ledger.device(device.id, by: .system).whereabouts == "患者宅（\(loan.number)）")
        let returned = try await test.registry.loans.receiveReturn(loan.id, LoanReturn(condition: .ok, accessoriesComplete: true),
                                                                   by: test.fixtureActor)
        #expect(returned.dataDeletion?.state == .pending && returned.dataDeletion?.summary == "data deletion: pending")
        #expect(try await test.registry.ledger.device(device.id, by: .system).dataDeletion?.state == .pending)
        let patient = try await test.fixtures.patient()
        await #expect(throws: RegistryError.wipeRequired(assetTag: device.assetTag)) {
            try await test.registry.loans.register(NewLoan(deviceId: device.id, patientId: patient.id), by: test.fixtureActor)
        }
        #expect(RegistryError.wipeRequired(assetTag: "x").code == "wipe_required")

        // Refused, with nothing written: the same person twice, a method the model does not list, an unknown account.
        let bad: [(NewSanitization, String)] = [
            (NewSanitization(method: .documentedErase, performedBy: "fixture", verifiedBy: "staff:fixture", dataExportedFirst: false),
             "verifiedBy"),
            (NewSanitization(method: .factoryReset, performedBy: "fixture", verifiedBy: "checker", dataExportedFirst: false), "method"),
            (NewSanitization(method: .documentedErase, performedBy: "nobody", verifiedBy: "checker", dataExportedFirst: false),
             "performedBy"),
            (NewSanitization(method: .documentedErase, performedBy: "fixture", verifiedBy: "checker", dataExportedFirst: true),
             "exportReference"),
        ]
        for (input, field) in bad {
            do {
                _ = try await test.registry.ledger.recordWipe(device.assetTag, input, by: test.fixtureActor)
                Issue.record("accepted a wipe with a bad \(field)")
            } catch let RegistryError.validationFailed(errors) {
                #expect(errors.map(\.field).contains(field), "\(errors)")
            }
        }
        #expect(try await test.fixtures.count("sanitizations") == 0)
        #expect(try await test.registry.ledger.device(device.id, by: .system).status == .awaitingWipe)

        let wiped = try await test.registry.ledger.recordWipe(
            device.assetTag, NewSanitization(method: .documentedErase, performedBy: "fixture", verifiedBy: "checker",
                                              dataExportedFirst: true, exportReference: "EHR import 2026-11-21"),
            by: checker)
        #expect(wiped.status == .available)
        #expect(wiped.dataDeletion?.summary == "data deletion: confirmed by staff:fixture, verified by staff:checker")
        #expect(wiped.whereabouts == device.whereabouts, "back on its shelf")
        let after = try await test.registry.loans.loan(loan.id, by: .system)
        #expect(after.dataDeletion?.state == .confirmed && after.dataDeletion?.verifiedBy == "staff:checker")
        await #expect(throws: RegistryError.wipeNotPending(assetTag: device.assetTag, status: .available)) {
            try await test.registry.ledger.recordWipe(
                device.assetTag, NewSanitization(method: .documentedErase, performedBy: "fixture", verifiedBy: "checker",
                                                  dataExportedFirst: false), by: checker)
        }
        // Lent again; the wipe is on record, tied to the loan, and the chain holds.
        #expect(try await test.registry.loans.register(NewLoan(deviceId: device.id, patientId: patient.id), by: test.fixtureActor)
            .status == .draft)
        let wipeEvents = try await test.independentConnection().read { db in
            try Row.fetchAll(db, sql: "SELECT action, details FROM audit_events WHERE action = 'device.wiped'")
        }
        #expect(wipeEvents.count == 1)
        #expect((wipeEvents.first?["details"] as String?)?.contains(loan.id) == true)
        #expect(try await test.registry.verify().auditChain.isIntact)
        // An auditor may not record a wipe.
        let auditor = try await TestRegistry.account("auditor", role: .auditor, in: test.registry)
        await #expect(throws: RegistryError.forbidden(.recordWipe)) {
            try await test.registry.ledger.recordWipe(device.assetTag, NewSanitization(
                method: .documentedErase, performedBy: "fixture", verifiedBy: "checker", dataExportedFirst: false), by: auditor)
        }
    }

    @Test func anActiveLoanIsExtendedWithItsHistoryAndOverdueFollowsTheNewDate() async throws {
        let test = try await TestRegistry(clock: .fixed(Fixtures.noonInTokyo))
        let today = LocalDate(Fixtures.noonInTokyo)
        let loan = try await test.fixtures.activeLoan(due: today.adding(days: 1))
        for (date, reason) in [(today.adding(days: -1), "before today"), (today.adding(days: 400), "over a year ahead"),
                               (today.adding(days: 1), "the current due date")] {
            await #expect(throws: RegistryError.self, "\(reason)") {
                try await test.registry.loans.extend(loan.id, to: date, reason: "r", by: test.fixtureActor)
            }
        }
        await #expect(throws: RegistryError.self) {
            try await test.registry.loans.extend(loan.id, to: today.adding(days: 8), reason: "  ", by: test.fixtureActor)
        }
        #expect(try await test.fixtures.count("loan_extensions") == 0)
        let extended = try await test.registry.loans.extend(loan.id, to: today.adding(days: 8), reason: "Holter test repeated",
                                                            by: test.fixtureActor)
        #expect(extended.dueDate == today.adding(days: 8) && extended.status == .active)
        #expect(extended.extensions.map(\.previousDueDate) == [today.adding(days: 1)])
        #expect(extended.extensions.first?.reason == "Holter test repeated")
        // Overdue follows the new date: on the old due date + 3 it is not overdue.
        let later = try await test.registry.loans.overdue(asOf: today.adding(days: 4), try PageRequest(limit: 50, cursor: nil), by: .system)
        #expect(!later.items.map(\.id).contains(loan.id))
        let muchLater = try await test.registry.loans.overdue(asOf: today.adding(days: 10), try PageRequest(limit: 50, cursor: nil), by: .system)
        #expect(muchLater.items.first { $0.id == loan.id }?.daysOverdue == 2)
        // Only an active loan: a returned one is refused.
        _ = try await test.registry.loans.receiveReturn(loan.id, LoanReturn(condition: .ok, accessoriesComplete: true), by: .system)
        await #expect(throws: RegistryError.loanNotActive(number: loan.number, status: .returned)) {
            try await test.registry.loans.extend(loan.id, to: today.adding(days: 20), reason: "r", by: test.fixtureActor)
        }
        #expect(try await test.registry.verify().auditChain.isIntact)
    }
}
