import ArgumentParser
import Foundation
import LoanRegistry

extension LoanRegistryCommand {
    /// Lists loans past their due date, oldest first.
    struct Overdue: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List loans past their due date.")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var staff: StaffOptions
        @Option(help: "Reference date (YYYY-MM-DD); default today in Asia/Tokyo.") var asOf: String?
        @Option(help: "table, csv (UTF-8 with BOM, for Excel) or json.") var format: OutputFormat = .table
        @Option(help: "CSV headings: ja (default) or en.") var lang: String = "ja"

        func validate() throws {
            if let asOf, LocalDate(asOf) == nil { throw ValidationError("--as-of must be a date YYYY-MM-DD.") }
            if Patient.Language(rawValue: lang) == nil { throw ValidationError("--lang must be ja, ja-easy or en.") }
        }

        func run() async throws {
            try await reportingFailures {
                try await database.withRegistry { registry in
                    let loans = try await registry.loans.overdueReport(asOf: asOf.flatMap(LocalDate.init), by: try await staff.actor(in: registry))
                    switch format {
                    case .table: print(OverdueReport.table(loans), terminator: "")
                    case .csv:
                        FileHandle.standardOutput.write(Data(OverdueReport.csv(loans, language: Patient.Language(rawValue: lang) ?? .ja)))
                    case .json: try printJSON(loans)
                    }
                }
            }
        }
    }
}
