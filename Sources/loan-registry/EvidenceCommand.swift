import ArgumentParser
import Foundation
import Handouts
import LoanRegistry

extension LoanRegistryCommand {
    /// `loan-registry evidence`: the evidence report for the 企画管理者.
    struct EvidenceCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "evidence",
            abstract: "The evidence report for the planning manager (③ ⑦ ⑧ ⑨⑩⑪ and the access logs), as PDF or JSON.",
            discussion: """
                Counts and every exception with its record, the audit verification (chain, triggers, signed \
                checkpoints) and the checkpoints themselves. Without -o, prints the exceptions. Managers and auditors; \
                producing a report is audited. Exits 1 when the audit verification fails.
                """)
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var audit: AuditOptions
        @OptionGroup var staff: StaffOptions
        @Option(help: "The first day (YYYY-MM-DD, Japan).") var from: String
        @Option(help: "The last day (YYYY-MM-DD, Japan).") var to: String
        @Option(name: .shortAndLong, help: "Write the report to FILE.pdf or FILE.json.") var output: String?

        func validate() throws {
            guard let from = LocalDate(from), let to = LocalDate(to) else {
                throw ValidationError("--from and --to must be dates YYYY-MM-DD.")
            }
            guard AccessReviewPeriod(from: from, to: to) != nil else {
                throw ValidationError("--to must be on or after --from, at most a year later.")
            }
            if let output, !(output.hasSuffix(".pdf") || output.hasSuffix(".json")) {
                throw ValidationError("-o must name a .pdf or .json file.")
            }
        }

        func run() async throws {
            try await reportingFailures {
                var verified = true
                try await database.withRegistry { registry in
                    guard let from = LocalDate(from), let to = LocalDate(to), let period = AccessReviewPeriod(from: from, to: to) else {
                        return
                    }
                    let report = try await registry.evidence.report(period, checkpoints: audit.store(forDatabase: database.path),
                                                                    by: try await staff.actor(in: registry))
                    verified = report.auditVerified
                    if let output {
                        let data: Data
                        if output.hasSuffix(".pdf") {
                            let printer = HandoutPrinter()
                            do { try printer.checkFont() } catch let error as PDFRenderer.RenderError {
                                throw CommandFailure(message: "cannot print: \(error.message)", exitCode: 3)
                            }
                            data = try await printer.pdf(EvidenceSheet.document(report)).data
                        } else {
                            let encoder = JSONEncoder()
                            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
                            data = try encoder.encode(report)
                        }
                        do {
                            try data.write(to: URL(fileURLWithPath: output), options: .atomic)
                        } catch {
                            throw CommandFailure(message: "cannot write \(output)", exitCode: 73)
                        }
                        print("wrote \(output)")
                    }
                    print("evidence \(period.id): audit verification \(report.auditVerified ? "passed" : "FAILED"), "
                          + "\(report.exceptions.count) exception\(report.exceptions.count == 1 ? "" : "s")")
                    for exception in report.exceptions {
                        print("  \(exception.clause)  \(exception.code)  \(exception.reference)")
                    }
                }
                guard verified else { throw CommandFailure(message: "the audit verification failed", exitCode: 1) }
            }
        }
    }
}
