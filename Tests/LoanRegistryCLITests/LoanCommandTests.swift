import Foundation
import GRDB
import LoanRegistry
import RegistryTestSupport
import Testing

@Suite struct LoanCommandTests {
    /// A database with one Holter model (stores data) and one oximeter model (stores nothing).
    private func prepared() async throws -> (TemporaryDirectory, String) {
        let directory = try TemporaryDirectory()
        let path = directory.path("registry.sqlite")
        let registry = try Registry.open(at: path, passwordHasher: PasswordHasher(cost: .testing))
        let fixtures = Fixtures(registry, actor: try await TestRegistry.account("suzuki", role: .manager, in: registry))
        _ = try await fixtures.model(name: "Holter H-24")
        _ = try await fixtures.model(name: "Oximeter O-2", category: .pulseOximeter, profile: SecurityProfile(storesPatientData: false))
        try registry.close()
        return (directory, path)
    }

    /// Runs a command as the manager `suzuki` (unless `--staff` is given), as an operator would.
    private func run(_ arguments: [String], _ directory: TemporaryDirectory, db: String) throws -> BuiltBinary.Outcome {
        let staff = arguments.contains("--staff") || ["verify", "migrate"].contains(arguments.first) ? [] : ["--staff", "suzuki"]
        return try BuiltBinary.run(arguments + staff + ["--db", db, "--texts", TestRegistry.repositoryTexts.path],
                                   in: directory.url)
    }

    private func setClinic(_ directory: TemporaryDirectory, db: String) throws -> BuiltBinary.Outcome {
        try run(["clinic", "set", "--name", "試験クリニック", "--department", "内科", "--phone", "03-1111-2222",
                 "--hours", "平日 9-17", "--after-hours-phone", "03-1111-9999", "--after-hours-reaches", "clinic",
                 "--privacy-desk", "医事課"], directory, db: db)
    }

    @Test func importRegisterHandOverReturnAndOverdueFromTheCommandLine() async throws {
        let (directory, db) = try await prepared()
        let csv = directory.path("devices.csv")
        try "asset_tag,serial_number,model\nHOL-0001,S1,Holter H-24\nSPO-0001,S2,Oximeter O-2\n".write(toFile: csv, atomically: true, encoding: .utf8)

        let dry = try run(["import", "devices", csv, "--dry-run"], directory, db: db)
        #expect(dry.exitCode == 0)
        #expect(dry.standardOutput.contains("dry run: 2 devices would be registered"))
        let imported = try run(["import", "devices", csv], directory, db: db)
        #expect(imported.exitCode == 0, "\(imported.standardError)")
        #expect(imported.standardOutput.contains("registered 2 devices (read as UTF-8)"))

        let patient = try run(["patient", "add", "--number", "P-1", "--name", "山田 太郎", "--phone", "03-1111-2222"], directory, db: db)
        #expect(patient.exitCode == 0)
        let today = LocalDate(Date())
        let noClinic = try run(["loan", "register", "--device", "HOL-0001", "--patient", "P-1"], directory, db: db)
        #expect(noClinic.exitCode == 4)
        #expect(noClinic.standardError.contains("clinic profile is not set"))
        #expect(try setClinic(directory, db: db).exitCode == 0)
        let register = try run(["loan", "register", "--device", "HOL-0001", "--patient", "P-1", "--due", today.description], directory, db: db)
        #expect(register.exitCode == 0, "\(register.standardError)")
        let fields = register.standardOutput.trimmingCharacters(in: .newlines).split(separator: "\t").map(String.init)
        let number = try #require(fields.first)
        #expect(number.hasPrefix("L-\(today.year)-"))
        let sha256 = try #require(fields.last?.replacingOccurrences(of: "explanation ", with: ""))

        let explanation = try run(["loan", "explanation", number], directory, db: db)
        #expect(explanation.exitCode == 0)
        #expect(ContentHash.sha256(explanation.standardOutput) == sha256)
        #expect(explanation.standardOutput.contains("試験クリニック"))

        let gated = try run(["loan", "handover", number], directory, db: db)
        #expect(gated.exitCode == 4)
        #expect(gated.standardError.contains("record the patient's consent"))
        let stale = try run(["loan", "consent", number, "--sha256", String(repeating: "0", count: 64), "--signer-name", "山田 太郎",
                             "--paper-scan", "SCAN-1"], directory, db: db)
        #expect(stale.exitCode == 4)
        #expect(stale.standardError.contains("has changed"))
        let consent = try run(["loan", "consent", number, "--sha256", sha256, "--signer-name", "山田 太郎",
                               "--paper-scan", "SCAN-1"], directory, db: db)
        #expect(consent.exitCode == 0, "\(consent.standardError)")
        #expect(consent.standardOutput.contains("granted"))
        let sheet = try run(["loan", "contact-sheet", number], directory, db: db)
        #expect(sheet.standardOutput.contains("ready to hand over"))
        #expect(try run(["loan", "handover", number], directory, db: db).standardOutput.contains("active"))
        // Every handout speaks the explanation's language: English only after the loan changes language.
        let english = try run(["handout", number, "--kind", "contact-sheet", "--lang", "en", "-o", directory.path("en.pdf")],
                              directory, db: db)
        #expect(english.exitCode == 4 && english.standardError.contains("loan change --language"))
        let pdf = try run(["handout", number, "--kind", "contact-sheet", "-o", directory.path("sheet.pdf")], directory, db: db)
        #expect(pdf.exitCode == 0, "\(pdf.standardError)")
        #expect(pdf.standardOutput.contains("contact-sheet\tja\t"))
        // The check code printed on the page verifies against the loan; a wrong one does not.
        let code = HandoutCheckCode.of(loan: number, sha256: sha256)
        let verified = try run(["handout", "verify", number, code.lowercased()], directory, db: db)
        #expect(verified.exitCode == 0 && verified.standardOutput.contains(sha256) && verified.standardOutput.contains("current"),
                "\(verified.standardError)")
        #expect(try run(["handout", "verify", number, "0000-0000"], directory, db: db).exitCode == 1)
        #expect(FileManager.default.contents(atPath: directory.path("sheet.pdf"))?.prefix(5) == Data("%PDF-".utf8))
        let html = try run(["handout", number, "--kind", "explanation", "-o", directory.path("explanation.html")], directory, db: db)
        #expect(html.exitCode == 0)
        #expect((try String(contentsOfFile: directory.path("explanation.html"), encoding: .utf8)).contains(code))

        let asOf = today.adding(days: 3).description
        let table = try run(["overdue", "--as-of", asOf], directory, db: db)
        #expect(table.exitCode == 0)
        #expect(table.standardOutput.contains(number))
        #expect(table.standardOutput.contains("山田 太郎"))
        #expect(table.standardOutput.contains("1 overdue"))
        let csvOut = try run(["overdue", "--as-of", asOf, "--format", "csv"], directory, db: db)
        #expect(csvOut.standardOutput.hasPrefix("\u{FEFF}貸出番号,返却期限,超過日数"))
        let englishCSV = try run(["overdue", "--as-of", asOf, "--format", "csv", "--lang", "en"], directory, db: db)
        #expect(englishCSV.standardOutput.hasPrefix("\u{FEFF}loan_number,due_date,days_overdue"))
        #expect(csvOut.standardOutput.contains("\(number),\(today),3,P-1,山田 太郎"))
        let json = try run(["overdue", "--as-of", asOf, "--format", "json"], directory, db: db)
        let items = try JSONSerialization.jsonObject(with: Data(json.standardOutput.utf8)) as? [[String: Any]]
        #expect(items?.first?["daysOverdue"] as? Int == 3)

        let returned = try run(["loan", "return", number, "--condition", "ok"], directory, db: db)
        #expect(returned.exitCode == 0)
        #expect(returned.standardOutput.contains("device HOL-0001 is awaiting_wipe"))
        let history = try run(["device", "history", "HOL-0001"], directory, db: db)
        #expect(history.standardOutput.split(separator: "\n").count == 3)
        #expect(history.standardOutput.contains("loan_returned\ton_loan -> awaiting_wipe"))
        #expect(try run(["overdue", "--as-of", asOf], directory, db: db).standardOutput.contains("no overdue loans"))
        #expect(try run(["verify"], directory, db: db).exitCode == 0)
    }

    @Test func badImportNamesLinesAndWritesNothing() async throws {
        let (directory, db) = try await prepared()
        let csv = directory.path("bad.csv")
        try "asset_tag,serial_number,model\nA-1,S1,Holter H-24\nA-1,S2,Nope\n".write(toFile: csv, atomically: true, encoding: .utf8)
        let run = try run(["import", "devices", csv], directory, db: db)
        #expect(run.exitCode == 65)
        #expect(run.standardError.contains("line 3, asset_tag: repeats line 2"))
        #expect(run.standardError.contains("line 3, model: no device model with this id or name"))
        let count = try await DatabaseQueue(path: db).read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM devices") }
        #expect(count == 0)
    }

    @Test func refusalsExitNonZeroWithAMessageNamingTheRecord() async throws {
        let (directory, db) = try await prepared()
        #expect(try setClinic(directory, db: db).exitCode == 0)
        let unknown = try run(["loan", "register", "--device", "NOPE-1", "--patient", "P-1"], directory, db: db)
        #expect(unknown.exitCode == 2)
        #expect(unknown.standardError.contains("No device NOPE-1."))
        let badDate = try run(["overdue", "--as-of", "2026-13-01"], directory, db: db)
        #expect(badDate.exitCode == 64)
        let notActive = try run(["loan", "return", "L-2026-000001"], directory, db: db)
        #expect(notActive.exitCode == 2)
    }
}
