import Foundation
import LoanRegistry
import RegistryTestSupport
import Testing

/// Issue 12's "done when": a small clinic's month with a clock the test moves — 20 devices, 30
/// loans, returns with wipes, an extension, overdue contacts, a loss with its report deadlines, a
/// repair, a stocktake with a missing and an unexpected device, a retirement and a disposal —
/// then every device's final state and whereabouts and every report's numbers.
@Suite struct ClinicMonthScenarioTests {
    @Test func aMonthAtTheClinic() async throws {
        let first = LocalDate("2026-11-02")!
        func day(_ n: Int) -> LocalDate { first.adding(days: n - 1) }
        let calendar = MovableClock(MovableClock.noon(first))
        let test = try await TestRegistry(clock: calendar.clock)
        let registry = test.registry
        let manager = test.fixtureActor
        let sato = try await TestRegistry.account("sato", role: .staff, in: registry)
        _ = try await TestRegistry.account("tanaka", role: .staff, in: registry)

        // 12 Holters (store patient data) and 8 pulse oximeters (none), on shelf A and shelf B.
        let holter = try await test.fixtures.model(category: .holterECG, loanDays: 3)
        let oximeter = try await test.fixtures.model(category: .pulseOximeter, profile: SecurityProfile(storesPatientData: false), loanDays: 5)
        var devices: [Device] = []
        for n in 1...20 {
            devices.append(try await registry.ledger.registerDevice(NewDevice(
                modelId: n <= 12 ? holter.id : oximeter.id, assetTag: String(format: n <= 12 ? "MH-%02d" : "MP-%02d", n),
                serialNumber: "SN-\(n)", whereabouts: n <= 12 ? "棚A" : "棚B"), by: manager))
        }
        let tag = { (n: Int) in devices[n - 1].assetTag }
        var patients: [Patient] = []
        for n in 1...30 { patients.append(try await test.fixtures.patient(number: String(format: "P-M%03d", n), name: "患者 \(n)")) }
        func lend(_ device: Int, to patient: Int, due: LocalDate? = nil) async throws -> Loan {
            let loan = try await registry.loans.register(NewLoan(deviceId: tag(device), patientId: patients[patient - 1].id, dueDate: due), by: sato)
            try await test.fixtures.passGate(loan)
            return try await registry.loans.handOver(loan.id, by: sato)
        }
        func wipe(_ device: Int) async throws {
            _ = try await registry.ledger.recordWipe(tag(device), NewSanitization(
                method: .documentedErase, performedBy: "sato", verifiedBy: "tanaka", dataExportedFirst: true,
                exportReference: "EHR \(tag(device))"), by: sato)
        }

        // Day 1: all 20 go out.
        var loans: [Int: Loan] = [:]
        for n in 1...20 { loans[n] = try await lend(n, to: n) }
        // Day 4–6: everything comes back except MH-05 (will be lost), MH-06 (extended) and MP-20 (overdue).
        var wipes = 0
        calendar.go(to: day(5))
        for n in 1...20 where ![5, 6, 20].contains(n) {
            _ = try await registry.loans.receiveReturn(loans[n]!.id, LoanReturn(condition: n == 19 ? .faulty : .ok, accessoriesComplete: true), by: sato)
            if n <= 12 {
                try await wipe(n)
                wipes += 1
            }
        }
        _ = try await registry.loans.extend(loans[6]!.id, to: day(12), reason: "検査延長", by: sato)
        // Day 6: ten more loans on returned devices (MH-01…04, MH-07…09, MP-13…15).
        calendar.go(to: day(6))
        let second = [1, 2, 3, 4, 7, 8, 9, 13, 14, 15]
        for (index, n) in second.enumerated() { loans[100 + n] = try await lend(n, to: 21 + index) }
        #expect(loans.count == 30)
        // MP-19 came back faulty: off to repair.
        _ = try await registry.ledger.sendToRepair(tag(19), NewRepair(vendor: "Demo Service", reference: "RMA-19",
                                                                       dataHandling: .notDataBearing), by: sato)
        // Day 8: MH-05 stolen (discovered the same day); MP-20 is overdue and chased.
        calendar.go(to: day(8))
        let incident = try await registry.loans.reportLoss(loans[5]!.id, NewLoss(kind: .stolen, occurredOn: day(7), discoveredOn: day(8),
                                                                               policeReport: "R-5"), by: sato)
        #expect(incident.reportable && incident.preliminaryReport.dueOn == day(13) && incident.finalReport.dueOn == day(38))
        _ = try await registry.loans.recordContact(loans[20]!.id, .init(channel: .phone, outcome: .noAnswer, nextActionOn: day(9)), by: sato)
        calendar.go(to: day(9))
        _ = try await registry.loans.recordContact(loans[20]!.id, .init(channel: .phone, outcome: .willReturn, nextActionOn: day(12)), by: sato)
        // Day 10: the second round comes back except MH-01 and MP-13; wipes for the Holters.
        calendar.go(to: day(10))
        for n in second where ![1, 13].contains(n) {
            _ = try await registry.loans.receiveReturn(loans[100 + n]!.id, LoanReturn(condition: .ok, accessoriesComplete: true), by: sato)
            if n <= 12 {
                try await wipe(n)
                wipes += 1
            }
        }
        // Day 12: MH-06 returned on its extended date, wiped.
        calendar.go(to: day(12))
        _ = try await registry.loans.receiveReturn(loans[6]!.id, LoanReturn(condition: .ok, accessoriesComplete: true), by: sato)
        try await wipe(6)
        wipes += 1
        // Day 14: the preliminary report is late (due day 13): flagged.
        calendar.go(to: day(14))
        #expect(try await registry.incidents.incident(incident.number, by: sato).preliminaryReport.overdue)
        _ = try await registry.incidents.recordReport(incident.number, .init(stage: .preliminary, submittedOn: day(14)), by: manager)
        // Day 25: stocktake. MH-12 is not found on the shelf; a tag not in the ledger turns up; MP-20's
        // patient confirms on the phone, during the session, that they still have it.
        calendar.go(to: day(25))
        let session = try await registry.stocktakes.open(by: manager)
        _ = try await registry.loans.recordContact(loans[20]!.id, .init(channel: .phone, outcome: .deviceConfirmed), by: sato)
        let onShelf = devices.indices.map { $0 + 1 }.filter { ![1, 5, 13, 19, 20].contains($0) }
        for n in onShelf where n != 12 { _ = try await registry.stocktakes.scan(session.number, assetTag: tag(n), by: sato) }
        _ = try await registry.stocktakes.scan(session.number, assetTag: "OLD-0001", by: sato)
        let report = try await registry.stocktakes.close(session.number, by: sato)
        #expect(report.expectedOnShelf.count == 15 && report.found.count == 14)
        #expect(report.missing.map(\.assetTag) == ["MH-12"] && report.unexpected.map(\.assetTag) == ["OLD-0001"])
        #expect(report.onLoanNotYetDue.isEmpty)
        #expect(Set(report.onLoanOverdue.map(\.assetTag)) == ["MH-01", "MP-13"])
        #expect(report.onLoanConfirmedByContact.map(\.assetTag) == ["MP-20"])
        #expect(Set(report.elsewhere.map(\.assetTag)) == ["MH-05", "MP-19"])
        _ = try await registry.stocktakes.signOff(session.number, by: manager)
        // Day 28: MH-12 (missing, old) is retired and disposed of with the vendor's certificate.
        calendar.go(to: day(28))
        _ = try await registry.ledger.retire(tag(12), reason: "棚卸で所在不明、後日発見・故障", by: manager)
        let disposal = try await registry.ledger.dispose(tag(12), NewDisposal(method: .physicalDestruction, performedBy: "suzuki",
                                                                               noReadableDataConfirmed: true), by: manager)
        #expect(disposal.evidence == .wipe, "wiped after its last loan")

        // Final states and whereabouts.
        var expected: [String: (DeviceStatus, String)] = [:]
        for n in 1...20 { expected[tag(n)] = (.available, n <= 12 ? "棚A" : "棚B") }
        expected[tag(1)] = (.onLoan, "患者宅（\(loans[101]!.number)）")
        expected[tag(13)] = (.onLoan, "患者宅（\(loans[113]!.number)）")
        expected[tag(20)] = (.onLoan, "患者宅（\(loans[20]!.number)）")
        expected[tag(5)] = (.lost, "盗難（\(loans[5]!.number)・\(incident.number)）")
        expected[tag(19)] = (.inRepair, "修理中（Demo Service・RMA-19）")
        expected[tag(12)] = (.disposed, "廃棄済み")
        for device in try await registry.ledger.devices(try PageRequest(limit: 100, cursor: nil), by: sato).items {
            let (status, whereabouts) = try #require(expected[device.assetTag])
            #expect(device.status == status && device.whereabouts == whereabouts, "\(device.assetTag): \(device.status) \(device.whereabouts)")
        }
        // Reports.
        #expect(wipes == 17)
        #expect(try await test.fixtures.count("sanitizations") == 17)
        let overdue = try await registry.loans.overdueReport(asOf: day(28), by: manager)
        #expect(Set(overdue.map(\.device.assetTag)) == ["MH-01", "MP-13", "MP-20"])
        #expect(overdue.first { $0.device.assetTag == "MP-20" }?.lastContact?.outcome == .deviceConfirmed)
        #expect(try await registry.loans.presumedLost(asOf: day(28), by: manager).isEmpty)
        // On day 40, MP-20 (due day 6) and MH-01 (due day 9) are more than 30 days overdue; MP-13 (due day 11) is not.
        #expect(Set(try await registry.loans.presumedLost(asOf: day(40), by: manager).map(\.device.assetTag)) == ["MP-20", "MH-01"])
        let open = try await registry.incidents.list(openOnly: true, by: manager)
        #expect(open.map(\.number) == [incident.number] && !open[0].finalReport.overdue)
        #expect(try await registry.ledger.disposals(by: manager).map(\.assetTag) == ["MH-12"])
        #expect(try await registry.loans.loan(loans[6]!.id, by: manager).extensions.map(\.newDueDate) == [day(12)])
        // The evidence report for November: its numbers, and exactly the exceptions the month had.
        let november = try #require(AccessReviewPeriod(id: "2026-11-01..2026-11-30"))
        let evidence = try await registry.evidence.report(november, checkpoints: nil, by: manager)
        #expect(evidence.consent.loansHandedOver == 30 && evidence.consent.contactSheetsGiven == 30)
        #expect(evidence.consent.handedOverWithoutConsentOrContactSheet == 0 && evidence.consent.refusedConsents == 0)
        #expect(evidence.consent.consents.map(\.count).reduce(0, +) == 30 && evidence.consent.consents.allSatisfy { $0.decision == "granted" })
        #expect(evidence.ledger.stocktakes.map(\.number) == [session.number])
        #expect(evidence.ledger.stocktakes.first?.expected == 15 && evidence.ledger.stocktakes.first?.missing == ["MH-12"]
                && evidence.ledger.stocktakes.first?.unexpected == ["OLD-0001"] && evidence.ledger.stocktakes.first?.signedOffBy != nil)
        #expect(evidence.ledger.devicesByStatus == ["available": 14, "on_loan": 3, "lost": 1, "in_repair": 1, "disposed": 1])
        #expect(evidence.incidents.incidents.map(\.number) == [incident.number] && evidence.incidents.incidents.first?.deadlines == "missed")
        #expect(evidence.deletion.wipes.count == 17 && evidence.deletion.disposals.map(\.assetTag) == ["MH-12"]
                && evidence.deletion.disposedWithoutEvidence == 0)
        let clauses = evidence.exceptions.filter { $0.clause != "access" }.map { "\($0.clause) \($0.code) \($0.reference)" }
        #expect(clauses == ["⑦ stocktake_device_missing \(session.number) MH-12", "⑦ stocktake_device_unexpected \(session.number) OLD-0001",
                            "③ breach_report_late \(incident.number) preliminary"])
        #expect(evidence.exceptions.contains { $0.code == "access_review_not_signed_off" && $0.reference == november.id })
        #expect(evidence.auditVerified && evidence.latestCheckpoint == nil)

        // Every row the month wrote is covered by the digest of its latest event.
        let deep = try await registry.verify(deep: true)
        #expect(deep.passed, "\(deep.rows?.findings ?? [])")
        #expect((deep.rows?.rowsChecked ?? 0) > 100)
    }
}
