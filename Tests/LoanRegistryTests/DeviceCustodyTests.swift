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
        let free = try await test.fixtures.device()
        let started = #expect(throws: DatabaseError.self) {
            try queue.write { db in
                try db.execute(sql: """
                    INSERT INTO loans (id, number, device_id, patient_id, status, start_date, due_date, created_at, created_by, handed_over_at)
                    SELECT '\(UUID().uuidString.lowercased())', 'L-2026-999999', '\(free.id)', patient_id, 'active', start_date, due_date,
                           created_at, created_by, created_at FROM loans WHERE id = '\(draft.id)'
                    """)
            }
        }
        #expect(started?.message?.contains("a loan starts as a draft") == true, "\(String(describing: started))")
        // A Holter back from a patient cannot be made available in SQL without its wipe, nor found, nor repaired.
        let back = #expect(throws: DatabaseError.self) {
            try queue.write { db in
                try db.execute(sql: "UPDATE devices SET status = 'available' WHERE id = ?", arguments: [active.device.id])
            }
        }
        #expect(back?.message?.contains("no wipe recorded") == true, "\(String(describing: back))")
        let out = try await test.fixtures.activeLoan()
        let skipped = #expect(throws: DatabaseError.self) {
            try queue.write { db in
                try db.execute(sql: "UPDATE devices SET status = 'available' WHERE id = ?", arguments: [out.device.id])
            }
        }
        #expect(skipped?.message?.contains("waits for a wipe first") == true, "\(String(describing: skipped))")
        // One open stocktake at a time, in SQL too.
        _ = try await test.registry.stocktakes.open(by: test.fixtureActor)
        #expect(throws: DatabaseError.self) {
            try queue.write { db in
                try db.execute(sql: "INSERT INTO stocktakes (id, number, opened_at, opened_by) VALUES (?, 'S-2026-099', 'x', 'y')",
                               arguments: [UUID().uuidString.lowercased()])
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
        let wipeEvents = try test.independentConnection().read { db in
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

extension DeviceCustodyTests {
    @Test func aLossOpensAnIncidentWithTheReportClockAndAFoundDeviceWaitsForAWipe() async throws {
        let (test, _) = try await Self.registry()
        let today = LocalDate(Fixtures.noonInTokyo)  // 2026-11-21
        let loan = try await test.fixtures.activeLoan()
        // Bad input changes nothing.
        await #expect(throws: RegistryError.self) {
            try await test.registry.loans.reportLoss(loan.id, NewLoss(kind: .lost, occurredOn: today, discoveredOn: today.adding(days: -1)),
                                                     by: test.fixtureActor)
        }
        await #expect(throws: RegistryError.self) {
            try await test.registry.loans.reportLoss(loan.id, NewLoss(kind: .lost, occurredOn: today, discoveredOn: today.adding(days: 1)),
                                                     by: test.fixtureActor)
        }
        #expect(try await test.fixtures.count("incidents") == 0)
        #expect(try await test.registry.loans.loan(loan.id, by: .system).status == .active)

        let incident = try await test.registry.loans.reportLoss(
            loan.id, NewLoss(kind: .stolen, occurredOn: today.adding(days: -2), discoveredOn: today.adding(days: -1),
                             place: "駅", policeReport: "R-123"), by: test.fixtureActor)
        #expect(incident.number == "I-2026-0001" && incident.kind == .stolen)
        #expect(incident.unencryptedPatientData && incident.reportable, "the fixture model stores data unencrypted")
        #expect(incident.preliminaryReport.dueOn == today.adding(days: 4) && incident.finalReport.dueOn == today.adding(days: 29))
        #expect(!incident.preliminaryReport.overdue && incident.open)
        #expect(try await test.registry.loans.loan(loan.id, by: .system).status == .lost)
        let lost = try await test.registry.ledger.device(loan.device.id, by: .system)
        #expect(lost.status == .lost && lost.whereabouts.contains("盗難") && lost.whereabouts.contains(incident.number))
        // A second loss on the same loan is refused: it is no longer active.
        await #expect(throws: RegistryError.loanNotActive(number: loan.number, status: .lost)) {
            try await test.registry.loans.reportLoss(loan.id, NewLoss(kind: .lost, occurredOn: today, discoveredOn: today),
                                                     by: test.fixtureActor)
        }

        // Reports: final before preliminary refused, staff may not record them, each once.
        await #expect(throws: RegistryError.self) {
            try await test.registry.incidents.recordReport(incident.number, .init(stage: .final, submittedOn: today), by: test.fixtureActor)
        }
        let staff = try await TestRegistry.account("counter", role: .staff, in: test.registry)
        await #expect(throws: RegistryError.forbidden(.recordIncidentReport)) {
            try await test.registry.incidents.recordReport(incident.number, .init(stage: .preliminary, submittedOn: today), by: staff)
        }
        let reported = try await test.registry.incidents.recordReport(
            incident.number, .init(stage: .preliminary, submittedOn: today, reference: "PPC-1"), by: test.fixtureActor)
        #expect(reported.preliminaryReport.submittedOn == today && reported.preliminaryReport.reference == "PPC-1")
        await #expect(throws: RegistryError.incidentReportRecorded(number: incident.number, stage: "preliminary")) {
            try await test.registry.incidents.recordReport(incident.number, .init(stage: .preliminary, submittedOn: today), by: test.fixtureActor)
        }

        // Found again: the device waits for a wipe; the incident stays on record.
        let found = try await test.registry.incidents.deviceFound(incident.number, by: staff)
        #expect(found.foundAt != nil && found.open, "still open: the final report is due")
        #expect(try await test.registry.ledger.device(loan.device.id, by: .system).status == .awaitingWipe)
        await #expect(throws: RegistryError.invalidDeviceTransition(assetTag: loan.device.assetTag, status: .awaitingWipe,
                                                                      event: DeviceEvent.foundWithData.rawValue)) {
            try await test.registry.incidents.deviceFound(incident.number, by: staff)
        }
        let closed = try await test.registry.incidents.recordReport(
            incident.number, .init(stage: .final, submittedOn: today), by: test.fixtureActor)
        #expect(!closed.open)
        // Wiped, lent and lost again: the new incident is open, the old one stays closed and cannot move the device.
        _ = try await test.registry.ledger.recordWipe(loan.device.id, NewSanitization(
            method: .documentedErase, performedBy: "fixture", verifiedBy: "checker", dataExportedFirst: false), by: staff)
        let again = try await test.fixtures.activeLoan(device: try await test.registry.ledger.device(loan.device.id, by: .system))
        let second = try await test.registry.loans.reportLoss(again.id, NewLoss(kind: .lost, occurredOn: today, discoveredOn: today),
                                                              by: staff)
        #expect(second.number == "I-2026-0002" && second.open)
        #expect(try await test.registry.incidents.incident(incident.number, by: staff).open == false)
        await #expect(throws: RegistryError.self) { try await test.registry.incidents.deviceFound(incident.number, by: staff) }
        #expect(try await test.registry.ledger.device(loan.device.id, by: .system).status == .lost)
        #expect(try await test.registry.verify().auditChain.isIntact)
    }

    @Test func overdueReportDeadlinesAreFlaggedAndOpenIncidentsComeFirst() async throws {
        let test = try await TestRegistry(clock: .fixed(Fixtures.noonInTokyo))
        let today = LocalDate(Fixtures.noonInTokyo)
        let encrypted = try await test.fixtures.model(profile: SecurityProfile(storesPatientData: true, encryptedAtRest: true,
                                                                               wipeMethod: .documentedErase))
        let first = try await test.fixtures.activeLoan(device: try await test.fixtures.device(model: encrypted))
        let second = try await test.fixtures.activeLoan()
        let notReportable = try await test.registry.loans.reportLoss(
            first.id, NewLoss(kind: .lost, occurredOn: today, discoveredOn: today), by: test.fixtureActor)
        #expect(!notReportable.reportable && !notReportable.preliminaryReport.required && !notReportable.preliminaryReport.overdue)
        let late = try await test.registry.loans.reportLoss(
            second.id, NewLoss(kind: .lost, occurredOn: today.adding(days: -10), discoveredOn: today.adding(days: -9)),
            by: test.fixtureActor)
        #expect(late.preliminaryReport.overdue && !late.finalReport.overdue)
        let open = try await test.registry.incidents.list(openOnly: true, by: test.fixtureActor)
        #expect(open.map(\.number) == [late.number, notReportable.number], "oldest discovery first")
    }

    @Test func aRetiredDeviceIsDisposedOfOnlyWithEvidenceThatNoPatientDataLeft() async throws {
        let (test, checker) = try await Self.registry()
        let returned = try await test.fixtures.activeLoan()
        _ = try await test.registry.loans.receiveReturn(returned.id, LoanReturn(condition: .faulty, accessoriesComplete: true), by: .system)
        let tag = returned.device.assetTag
        let disposal = NewDisposal(method: .vendorDestruction, performedBy: "Recycle Co.", vendor: "Recycle Co.", noReadableDataConfirmed: true)
        // Disposal before retirement, and retirement by staff, are refused.
        await #expect(throws: RegistryError.invalidDeviceTransition(assetTag: tag, status: .awaitingWipe, event: "disposed")) {
            try await test.registry.ledger.dispose(tag, disposal, by: test.fixtureActor)
        }
        await #expect(throws: RegistryError.forbidden(.retireDevice)) {
            try await test.registry.ledger.retire(tag, reason: "broken", by: checker)
        }
        #expect(try await test.registry.ledger.retire(tag, reason: "broken", by: test.fixtureActor).status == .retired)
        // Held patient data, never wiped: a certificate is needed; the confirmation must be given.
        await #expect(throws: RegistryError.disposalEvidenceRequired(assetTag: tag)) {
            try await test.registry.ledger.dispose(tag, disposal, by: test.fixtureActor)
        }
        var unconfirmed = disposal
        unconfirmed.noReadableDataConfirmed = false
        unconfirmed.certificateNumber = "C-1"
        await #expect(throws: RegistryError.self) { try await test.registry.ledger.dispose(tag, unconfirmed, by: test.fixtureActor) }
        #expect(try await test.fixtures.count("disposals") == 0)
        var certified = disposal
        certified.certificateNumber = "C-1"
        let done = try await test.registry.ledger.dispose(tag, certified, by: test.fixtureActor)
        #expect(done.evidence == .vendorCertificate)
        #expect(try await test.registry.ledger.device(tag, by: .system).status == .disposed)

        // Wiped after its last loan: the wipe is the evidence.
        let wipedLoan = try await test.fixtures.activeLoan()
        _ = try await test.registry.loans.receiveReturn(wipedLoan.id, LoanReturn(condition: .ok, accessoriesComplete: true), by: .system)
        _ = try await test.registry.ledger.recordWipe(wipedLoan.device.id, NewSanitization(
            method: .documentedErase, performedBy: "fixture", verifiedBy: "checker", dataExportedFirst: false), by: checker)
        _ = try await test.registry.ledger.retire(wipedLoan.device.id, reason: "old", by: test.fixtureActor)
        #expect(try await test.registry.ledger.dispose(wipedLoan.device.id, NewDisposal(
            method: .physicalDestruction, performedBy: "suzuki", noReadableDataConfirmed: true), by: test.fixtureActor).evidence == .wipe)
        // Never lent: it never held patient data.
        let unused = try await test.fixtures.device()
        _ = try await test.registry.ledger.retire(unused.id, reason: "surplus", by: test.fixtureActor)
        #expect(try await test.registry.ledger.dispose(unused.id, NewDisposal(
            method: .returnedToLessor, performedBy: "suzuki", vendor: "Lessor K.K.", noReadableDataConfirmed: true),
            by: test.fixtureActor).evidence == .noPatientData)
        #expect(try await test.registry.ledger.disposals(by: test.fixtureActor).count == 3)
        #expect(try await test.registry.verify().auditChain.isIntact)
    }
}

extension DeviceCustodyTests {
    @Test func aRepairedDeviceThatHoldsDataComesBackToAWipeAndItsDataHandlingMustBeTrue() async throws {
        let (test, checker) = try await Self.registry()
        let loan = try await test.fixtures.activeLoan()
        _ = try await test.registry.loans.receiveReturn(loan.id, LoanReturn(condition: .faulty, accessoriesComplete: true), by: .system)
        let tag = loan.device.assetTag
        // Not wiped yet: "wiped before" is not true; it holds data: "not data-bearing" is not true.
        for handling in [NewRepair.DataHandling.wipedBefore, .notDataBearing] {
            do {
                _ = try await test.registry.ledger.sendToRepair(tag, NewRepair(vendor: "Svc", reference: "RMA-1", dataHandling: handling),
                                                                by: checker)
                Issue.record("accepted \(handling)")
            } catch let RegistryError.validationFailed(errors) {
                #expect(errors.map(\.field) == ["dataHandling"])
            }
        }
        #expect(try await test.fixtures.count("repairs") == 0)
        let away = try await test.registry.ledger.sendToRepair(
            tag, NewRepair(vendor: "Demo Service", reference: "RMA-1", dataHandling: .vendorCertificate), by: checker)
        #expect(away.status == .inRepair && away.whereabouts == "修理中（Demo Service・RMA-1）")
        let patient = try await test.fixtures.patient()
        await #expect(throws: RegistryError.deviceUnavailable(assetTag: tag, status: .inRepair)) {
            try await test.registry.loans.register(NewLoan(deviceId: tag, patientId: patient.id), by: checker)
        }
        let back = try await test.registry.ledger.receiveFromRepair(tag, notes: "board replaced", by: checker)
        #expect(back.status == .awaitingWipe && back.dataDeletion?.state == .pending)
        await #expect(throws: RegistryError.invalidDeviceTransition(assetTag: tag, status: .awaitingWipe,
                                                                      event: DeviceEvent.repairedWithData.rawValue)) {
            try await test.registry.ledger.receiveFromRepair(tag, notes: nil, by: checker)
        }
        // A device without patient data goes back to its shelf.
        let plain = try await test.fixtures.device(model: try await test.fixtures.model(
            category: .pulseOximeter, profile: SecurityProfile(storesPatientData: false)))
        _ = try await test.registry.ledger.sendToRepair(plain.id, NewRepair(vendor: "Svc", reference: "R-2", dataHandling: .notDataBearing),
                                                        by: checker)
        let shelf = try await test.registry.ledger.receiveFromRepair(plain.id, notes: nil, by: checker)
        #expect(shelf.status == .available && shelf.whereabouts == plain.whereabouts)
        #expect(try await test.registry.verify().auditChain.isIntact)
    }

    @Test func contactAttemptsFollowAnOverdueLoanAndLongOverdueOnesAreListedToDecide() async throws {
        let test = try await TestRegistry(clock: .fixed(Fixtures.noonInTokyo))
        let today = LocalDate(Fixtures.noonInTokyo)
        let loan = try await test.fixtures.activeLoan(due: today)
        let draft = try await test.fixtures.draftLoan()
        await #expect(throws: RegistryError.loanNotActive(number: draft.number, status: .draft)) {
            try await test.registry.loans.recordContact(draft.id, .init(channel: .phone, outcome: .noAnswer), by: test.fixtureActor)
        }
        await #expect(throws: RegistryError.self) {
            try await test.registry.loans.recordContact(loan.id, .init(channel: .phone, outcome: .noAnswer, nextActionOn: today.adding(days: -1)),
                                                        by: test.fixtureActor)
        }
        _ = try await test.registry.loans.recordContact(loan.id, .init(channel: .phone, outcome: .noAnswer), by: test.fixtureActor)
        let after = try await test.registry.loans.recordContact(
            loan.id, .init(channel: .letter, outcome: .willReturn, nextActionOn: today.adding(days: 7)), by: test.fixtureActor)
        #expect(after.lastContact?.channel == .letter && after.lastContact?.nextActionOn == today.adding(days: 7))
        let overdue = try await test.registry.loans.overdueReport(asOf: today.adding(days: 5), by: test.fixtureActor)
        #expect(overdue.first?.lastContact?.outcome == .willReturn)
        let csv = String(decoding: OverdueReport.csv(overdue), as: UTF8.self)
        #expect(csv.contains("最終連絡日,連絡結果,次の対応日") && csv.contains("返却予定,\(today.adding(days: 7))"))
        #expect(try await test.registry.loans.presumedLost(asOf: today.adding(days: 30), by: test.fixtureActor).isEmpty)
        #expect(try await test.registry.loans.presumedLost(asOf: today.adding(days: 31), by: test.fixtureActor).map(\.id) == [loan.id])
        #expect(try await test.registry.loans.presumedLost(afterDays: 10, asOf: today.adding(days: 11), by: test.fixtureActor).count == 1)
        // The clinic's own setting.
        var clinic = try #require(try await test.registry.clinic.profile(by: test.fixtureActor))
        clinic.presumedLostAfterDays = 14
        try await test.registry.clinic.update(clinic, by: test.fixtureActor)
        #expect(try await test.registry.loans.presumedLost(asOf: today.adding(days: 15), by: test.fixtureActor).map(\.id) == [loan.id])
        clinic.presumedLostAfterDays = 0
        await #expect(throws: RegistryError.self) { try await test.registry.clinic.update(clinic, by: test.fixtureActor) }
    }
}

extension DeviceCustodyTests {
    @Test func aStocktakeFindsMissingAndUnexpectedDevicesAndSplitsTheLoans() async throws {
        let (test, staff) = try await Self.registry()
        let today = LocalDate(Fixtures.noonInTokyo)
        let shelfA = try await test.fixtures.device(assetTag: "ST-A")
        _ = try await test.fixtures.device(assetTag: "ST-B")
        let notDue = try await test.fixtures.activeLoan(due: today.adding(days: 3))
        let confirmed = try await test.fixtures.activeLoan(due: today.adding(days: 3))
        let repair = try await test.fixtures.device(model: try await test.fixtures.model(
            category: .pulseOximeter, profile: SecurityProfile(storesPatientData: false)), assetTag: "ST-R")
        _ = try await test.registry.ledger.sendToRepair(repair.id, NewRepair(vendor: "V", reference: "R", dataHandling: .notDataBearing),
                                                        by: staff)
        // Staff may not open one; a manager does, and only one at a time.
        await #expect(throws: RegistryError.forbidden(.openStocktake)) { try await test.registry.stocktakes.open(by: staff) }
        let session = try await test.registry.stocktakes.open(by: test.fixtureActor)
        await #expect(throws: RegistryError.stocktakeState(number: session.number, problem: .alreadyOpen)) {
            try await test.registry.stocktakes.open(by: test.fixtureActor)
        }
        #expect(session.number == "S-2026-001" && session.expectedCount == 5)
        // The patient confirms on the phone during the session.
        _ = try await test.registry.loans.recordContact(confirmed.id, .init(channel: .phone, outcome: .deviceConfirmed), by: staff)
        #expect(try await test.registry.stocktakes.scan(session.number, assetTag: "ST-A", by: staff).expectedOnShelf)
        #expect(try await test.registry.stocktakes.scan(session.number, assetTag: "ＳＴ-Ａ ", by: staff).duplicate, "scanned twice (full-width, as an IME types it) counts once")
        let unknown = try await test.registry.stocktakes.scan(session.number, assetTag: "ZZ-9999", by: staff)
        #expect(!unknown.known && !unknown.expectedOnShelf)
        _ = try await test.registry.stocktakes.scan(session.number, assetTag: notDue.device.assetTag, by: staff)  // on loan, yet here
        await #expect(throws: RegistryError.forbidden(.signOffStocktake)) { try await test.registry.stocktakes.signOff(session.id, by: staff) }
        await #expect(throws: RegistryError.stocktakeState(number: session.number, problem: .notClosed)) {
            try await test.registry.stocktakes.signOff(session.id, by: test.fixtureActor)
        }
        let report = try await test.registry.stocktakes.close(session.number, by: staff)
        #expect(report.expectedOnShelf.map(\.assetTag).sorted() == ["ST-A", "ST-B"])
        #expect(report.found.map(\.assetTag) == ["ST-A"] && report.missing.map(\.assetTag) == ["ST-B"])
        #expect(Set(report.unexpected.map(\.assetTag)) == ["ZZ-9999", notDue.device.assetTag])
        #expect(report.unexpected.first { $0.assetTag == "ZZ-9999" }?.known == false)
        #expect(report.onLoanNotYetDue.map(\.loanNumber) == [notDue.number])
        #expect(report.onLoanConfirmedByContact.map(\.loanNumber) == [confirmed.number])
        #expect(report.elsewhere.map(\.assetTag) == ["ST-R"])
        // Closed: no more scans (in SQL either), and it is signed off once.
        await #expect(throws: RegistryError.stocktakeState(number: session.number, problem: .closed)) {
            try await test.registry.stocktakes.scan(session.number, assetTag: "ST-B", by: staff)
        }
        #expect(throws: DatabaseError.self) {
            try test.independentConnection().write { db in
                try db.execute(sql: "INSERT INTO stocktake_scans VALUES (?, 'ST-B', NULL, 'x', 'y')", arguments: [session.id])
            }
        }
        let signed = try await test.registry.stocktakes.signOff(session.number, by: test.fixtureActor)
        #expect(signed.signedOffBy == test.fixtureActor.id)
        let csv = String(decoding: try await test.registry.stocktakes.report(session.id, by: staff).csv(), as: UTF8.self)
        #expect(csv.hasPrefix("\u{FEFF}区分,資産番号") && csv.contains("所在不明,ST-B") && csv.contains("台帳外・想定外,ZZ-9999"))
        _ = shelfA
        #expect(try await test.registry.verify().auditChain.isIntact)
    }
}
