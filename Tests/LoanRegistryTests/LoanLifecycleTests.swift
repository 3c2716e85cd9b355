import Foundation
import GRDB
import LoanRegistry
import RegistryTestSupport
import Testing

@Suite struct LoanLifecycleTests {
    private let today = LocalDate("2026-11-21")

    private func registry() async throws -> (TestRegistry, ManualClock) {
        let clock = ManualClock(Fixtures.noonInTokyo)
        return (try await TestRegistry(clock: clock.clock), clock)
    }

    @Test func registerHandOverReturnMovesLoanAndDevice() async throws {
        let (test, _) = try await registry()
        let device = try await test.fixtures.device()
        let patient = try await test.fixtures.patient()
        let loan = try await test.registry.loans.register(
            NewLoan(deviceId: device.id, patientId: patient.id, dueDate: LocalDate("2026-11-23")), by: test.fixtures.actor)
        #expect(loan.status == .draft)
        #expect(loan.number == "L-2026-000001")
        #expect(loan.startDate == today)
        #expect(try await test.registry.ledger.device(device.id, by: test.fixtureActor).status == .available)
        _ = try await test.registry.consents.record(loan: loan.id, test.fixtures.consent(to: loan), by: test.fixtures.actor)
        _ = try await test.registry.loans.recordContactSheet(loan.id, ContactSheetGiven(), by: test.fixtures.actor)

        let active = try await test.registry.loans.handOver(loan.number, by: test.fixtures.actor)
        #expect(active.status == .active)
        #expect(try await test.registry.ledger.device(device.id, by: test.fixtureActor).status == .onLoan)

        let returned = try await test.registry.loans.receiveReturn(
            loan.id, LoanReturn(condition: .damaged, accessoriesComplete: false, notes: "strap torn"), by: test.fixtures.actor)
        #expect(returned.status == .returned)
        #expect(returned.returnRecord?.condition == .damaged)
        #expect(returned.returnRecord?.accessoriesComplete == false)
        #expect(try await test.registry.ledger.device(device.id, by: test.fixtureActor).status == .awaitingWipe)
    }

    @Test func aModelThatStoresNoDataGoesStraightBackToAvailable() async throws {
        let (test, _) = try await registry()
        let model = try await test.fixtures.model(category: .pulseOximeter, profile: SecurityProfile(storesPatientData: false))
        let loan = try await test.fixtures.activeLoan(device: try await test.fixtures.device(model: model))
        _ = try await test.registry.loans.receiveReturn(loan.id, LoanReturn(condition: .ok, accessoriesComplete: true), by: .system)
        #expect(try await test.registry.ledger.device(loan.device.id, by: test.fixtureActor).status == .available)
    }

    @Test func deviceAwaitingWipeCannotBeLentAgain() async throws {
        let (test, _) = try await registry()
        let loan = try await test.fixtures.activeLoan()
        _ = try await test.registry.loans.receiveReturn(loan.id, LoanReturn(condition: .ok, accessoriesComplete: true), by: .system)
        let patient = try await test.fixtures.patient()
        await #expect(throws: RegistryError.wipeRequired(assetTag: loan.device.assetTag)) {
            try await test.registry.loans.register(NewLoan(deviceId: loan.device.id, patientId: patient.id), by: .system)
        }
    }

    @Test func numbersAreSequentialPerYearAndDueDateDefaultsToModelDays() async throws {
        let (test, clock) = try await registry()
        let model = try await test.fixtures.model(loanDays: 7)
        let patient = try await test.fixtures.patient()
        var numbers: [String] = []
        for i in 1...3 {
            let device = try await test.fixtures.device(model: model, assetTag: "N-\(i)")
            let loan = try await test.registry.loans.register(NewLoan(deviceId: device.id, patientId: patient.patientNumber), by: .system)
            #expect(loan.dueDate == today?.adding(days: 7))
            numbers.append(loan.number)
        }
        #expect(numbers == ["L-2026-000001", "L-2026-000002", "L-2026-000003"])
        clock.advance(by: 41 * 86_400)  // into 2027
        let device = try await test.fixtures.device(model: model, assetTag: "N-4")
        let next = try await test.registry.loans.register(NewLoan(deviceId: device.id, patientId: patient.id), by: .system)
        #expect(next.number == "L-2027-000001")
    }

    @Test func aDeviceIsOnAtMostOneOpenLoan() async throws {
        let (test, _) = try await registry()
        let device = try await test.fixtures.device()
        let first = try await test.fixtures.patient()
        let second = try await test.fixtures.patient()
        _ = try await test.registry.loans.register(NewLoan(deviceId: device.id, patientId: first.id), by: .system)
        await #expect(throws: RegistryError.deviceUnavailable(assetTag: device.assetTag, status: .available)) {
            try await test.registry.loans.register(NewLoan(deviceId: device.id, patientId: second.id), by: .system)
        }
        #expect(try await test.fixtures.count("loans") == 1)
    }

    @Test func theDatabaseItselfRefusesASecondOpenLoanForADevice() async throws {
        let (test, _) = try await registry()
        let loan = try await test.fixtures.activeLoan()
        await #expect(throws: RegistryError.duplicate(field: "deviceId")) {
            try await test.registry.writer.write { db in
                try db.execute(sql: """
                    INSERT INTO loans (id, number, device_id, patient_id, status, start_date, due_date, created_at, created_by)
                    SELECT ?, 'L-2026-999999', device_id, patient_id, 'draft', start_date, due_date, created_at, created_by
                    FROM loans WHERE id = ?
                    """, arguments: [UUID().uuidString.lowercased(), loan.id])
            }
        }
    }

    @Test(arguments: ["2026-11-20", "2027-11-23"])
    func dueDateOutsideTodayToAYearIsRefused(due: String) async throws {
        let (test, _) = try await registry()
        let device = try await test.fixtures.device()
        let patient = try await test.fixtures.patient()
        let dueDate = try #require(LocalDate(due))
        await #expect {
            try await test.registry.loans.register(NewLoan(deviceId: device.id, patientId: patient.id, dueDate: dueDate), by: .system)
        } throws: { error in
            guard case RegistryError.validationFailed(let errors) = error else { return false }
            return errors.map(\.field) == ["dueDate"]
        }
        #expect(try await test.fixtures.count("loans") == 0)
        // the last day still accepted
        let last = try await test.registry.loans.register(
            NewLoan(deviceId: device.id, patientId: patient.id, dueDate: today?.adding(days: Loans.maximumLoanDays)), by: .system)
        #expect(last.dueDate == LocalDate("2027-11-22"))
    }

    @Test func calendarDatesOutsideTheRegistrysRangeOrCalendarDoNotParse() {
        #expect(LocalDate("9999-01-01") == nil)
        #expect(LocalDate("1999-12-31") == nil)
        #expect(LocalDate("2026-02-30") == nil)
        #expect(LocalDate("2026-2-3") == nil)
        #expect(LocalDate("2028-02-29")?.description == "2028-02-29")
        #expect(LocalDate("2026-11-21")?.adding(days: 41).description == "2027-01-01")
    }

    @Test func unknownDeviceOrPatientIsNotFound() async throws {
        let (test, _) = try await registry()
        let device = try await test.fixtures.device()
        let patient = try await test.fixtures.patient()
        await #expect(throws: RegistryError.notFound(entity: "device", id: "ghost")) {
            try await test.registry.loans.register(NewLoan(deviceId: "ghost", patientId: patient.id), by: .system)
        }
        await #expect(throws: RegistryError.notFound(entity: "patient", id: "ghost")) {
            try await test.registry.loans.register(NewLoan(deviceId: device.id, patientId: "ghost"), by: .system)
        }
        // a patient reference may be a patient number: the message never repeats it
        #expect(RegistryError.notFound(entity: "patient", id: "P-123").description == "No such patient.")
        #expect(RegistryError.notFound(entity: "device", id: "HOL-9").description == "No device HOL-9.")
    }

    @Test func returnNeedsAnActiveLoanAndCancelNeedsAnUnhandedOne() async throws {
        let (test, _) = try await registry()
        let device = try await test.fixtures.device()
        let patient = try await test.fixtures.patient()
        let draft = try await test.registry.loans.register(NewLoan(deviceId: device.id, patientId: patient.id), by: .system)
        await #expect(throws: RegistryError.loanNotActive(number: draft.number, status: .draft)) {
            try await test.registry.loans.receiveReturn(draft.id, LoanReturn(condition: .ok, accessoriesComplete: true), by: .system)
        }
        let cancelled = try await test.registry.loans.cancel(draft.id, reason: "patient postponed", by: .system)
        #expect(cancelled.status == .cancelled)
        await #expect(throws: RegistryError.invalidLoanTransition(number: draft.number, from: .cancelled, to: .active)) {
            try await test.registry.loans.handOver(draft.id, by: .system)
        }
        let active = try await test.fixtures.activeLoan()
        await #expect(throws: RegistryError.invalidLoanTransition(number: active.number, from: .active, to: .cancelled)) {
            try await test.registry.loans.cancel(active.id, reason: "x", by: .system)
        }
        // the cancelled loan freed its device
        let again = try await test.registry.loans.register(NewLoan(deviceId: device.id, patientId: patient.id), by: .system)
        #expect(again.status == .draft)
    }
}
