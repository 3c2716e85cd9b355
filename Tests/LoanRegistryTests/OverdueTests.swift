import Foundation
import GRDB
import LoanRegistry
import RegistryTestSupport
import Testing

@Suite struct OverdueTests {
    @Test func overdueListsActiveLoansPastDueOldestFirstWithDays() async throws {
        let test = try await TestRegistry(clock: .fixed(Fixtures.noonInTokyo))
        let late = try await test.fixtures.activeLoan(due: LocalDate("2026-11-25"))
        let later = try await test.fixtures.activeLoan(due: LocalDate("2026-12-01"))
        _ = try await test.fixtures.activeLoan(due: LocalDate("2026-12-10"))  // due on asOf: not yet overdue
        let returned = try await test.fixtures.activeLoan(due: LocalDate("2026-11-22"))
        _ = try await test.registry.loans.receiveReturn(returned.id, LoanReturn(condition: .ok, accessoriesComplete: true), by: .system)

        let page = try await test.registry.loans.overdue(asOf: LocalDate("2026-12-10"), by: .system)
        #expect(page.items.map(\.number) == [late.number, later.number])
        #expect(page.items.map(\.daysOverdue) == [15, 9])
        #expect(page.items.first?.patient.phone == "03-1234-5678")
        #expect(page.items.first?.device.assetTag == late.device.assetTag)
        #expect(try await test.registry.loans.overdue(by: .system).items.isEmpty)  // today: nothing is late
    }

    @Test func overduePagesWithACursor() async throws {
        let test = try await TestRegistry(clock: .fixed(Fixtures.noonInTokyo))
        var numbers: [String] = []
        for day in [3, 1, 2, 1, 5] {
            numbers.append((try await test.fixtures.activeLoan(due: LocalDate("2026-11-2\(day)"))).number)
        }
        var seen: [String] = []
        var cursor: String?
        repeat {
            let page = try await test.registry.loans.overdue(asOf: LocalDate("2026-12-31"), try PageRequest(limit: 2, cursor: cursor), by: .system)
            seen += page.items.map(\.number)
            cursor = page.nextCursor
        } while cursor != nil
        #expect(seen == [numbers[1], numbers[3], numbers[2], numbers[0], numbers[4]])
    }

    @Test func overdueQueryUsesThePartialIndex() async throws {
        let test = try await TestRegistry()
        let plan = try await test.registry.read { db in
            try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + Loans.overdueSQL,
                             arguments: ["2026-12-10", nil, nil, nil, 50]).map { $0["detail"] as String }
        }
        #expect(plan.contains { $0.contains("USING INDEX loans_active_by_due_date") }, "\(plan)")
        #expect(!plan.contains { $0.contains("TEMP B-TREE") }, "the index should also give the order: \(plan)")
    }

    @Test func csvOpensInExcelAndNeutralisesFormulas() async throws {
        let test = try await TestRegistry(clock: .fixed(Fixtures.noonInTokyo))
        let patient = try await test.registry.patients.register(
            NewPatient(patientNumber: "=cmd|x", name: "山田, \"太郎\"", phone: "+81 3 1234"), by: .system)
        let device = try await test.fixtures.device()
        let loan = try await test.registry.loans.register(NewLoan(deviceId: device.id, patientId: patient.id, dueDate: LocalDate("2026-11-22")), by: .system)
        try await test.fixtures.passGate(loan)
        _ = try await test.registry.loans.handOver(loan.id, by: .system)
        let loans = try await test.registry.loans.overdueReport(asOf: LocalDate("2026-11-30"), by: .system)
        let bytes = OverdueReport.csv(loans)
        #expect(Array(bytes.prefix(3)) == [0xEF, 0xBB, 0xBF])
        let text = String(decoding: bytes.dropFirst(3), as: UTF8.self)
        let lines = text.components(separatedBy: "\r\n")
        #expect(lines[0] == OverdueReport.japaneseColumns.joined(separator: ","), "Japanese headings by default")
        let english = String(decoding: OverdueReport.csv(loans, language: .en).dropFirst(3), as: UTF8.self)
        #expect(english.hasPrefix(OverdueReport.columns.joined(separator: ",") + "\r\n"))
        #expect(OverdueReport.japaneseColumns.count == OverdueReport.columns.count)
        #expect(lines[1].contains("'=cmd|x"))
        #expect(lines[1].contains("\"山田, \"\"太郎\"\"\""))
        #expect(lines[1].contains("'+81 3 1234"))
        #expect(lines[1].hasPrefix("\(loan.number),2026-11-22,8,"))
    }

    @Test(arguments: ["=1+1", " =1+1", "\u{3000}=1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1", "＝1+1", "＋1", "－1", "＠A1",
                      "=\u{301}1"])
    func formulaLikeCellsAreNeutralised(_ cell: String) {
        #expect(OverdueReport.isFormulaLike(cell), "\(cell.unicodeScalars.map { String($0.value, radix: 16) })")
    }

    @Test(arguments: ["P-000001", "03-1234-5678", "山田 太郎", "a=b", ""])
    func ordinaryCellsAreLeftAlone(_ cell: String) {
        #expect(!OverdueReport.isFormulaLike(cell))
    }
}
