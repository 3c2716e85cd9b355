import ArgumentParser
import Foundation
import LoanRegistry

extension LoanRegistryCommand {
    /// `loan-registry review access`: the access-log review (auditors and managers).
    struct ReviewCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "review", abstract: "Review the access log: who read which patients' data, and when.",
            subcommands: [Access.self])

        struct Access: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "A period's reads of patient data per account, and every flag with its decision.",
                discussion: """
                    Flags: reads outside the clinic's working hours (weekly hours, Japanese public holidays, the clinic's \
                    closed days), more reads in a day than 3× the account's own median of the 30 days before, reads of a \
                    patient the account never had a part in, failed sign-ins, lockouts and sign-ins from new addresses. \
                    Auditors and managers only; reading a review is audited.
                    """)
            @OptionGroup var database: DatabaseOptions
            @OptionGroup var staff: StaffOptions
            @Option(help: "The first day (YYYY-MM-DD, Japan).") var from: String
            @Option(help: "The last day (YYYY-MM-DD, Japan).") var to: String
            @Option(help: "table, csv (UTF-8 with BOM, for Excel) or json.") var format: OutputFormat = .table

            func validate() throws {
                guard let from = LocalDate(from), let to = LocalDate(to) else {
                    throw ValidationError("--from and --to must be dates YYYY-MM-DD.")
                }
                guard AccessReviewPeriod(from: from, to: to) != nil else {
                    throw ValidationError("--to must be on or after --from, at most a year later.")
                }
            }

            func run() async throws {
                try await reportingFailures {
                    try await database.withRegistry { registry in
                        guard let from = LocalDate(from), let to = LocalDate(to), let period = AccessReviewPeriod(from: from, to: to) else {
                            throw CommandFailure(message: "--from and --to must be dates YYYY-MM-DD", exitCode: 65)
                        }
                        let review = try await registry.reviews.review(period, by: try await staff.actor(in: registry))
                        switch format {
                        case .table: print(review.table(), terminator: "")
                        case .csv: FileHandle.standardOutput.write(review.csv())
                        case .json: try printJSON(review)
                        }
                    }
                }
            }
        }
    }
}
