import ArgumentParser
import Foundation
import Handouts
import LoanRegistry

extension LoanRegistryCommand {
    /// Stocktake (guideline ⑦).
    struct StocktakeCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "stocktake", abstract: "Stocktake: open a session, scan what you find, close, sign off, print the report.",
            subcommands: [Open.self, Scan.self, Close.self, SignOff.self, Report.self])

        struct Open: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Open a session; the expected list is frozen (manager).")
            @OptionGroup var database: DatabaseOptions
            @OptionGroup var staff: StaffOptions

            func run() async throws {
                try await reportingFailures {
                    try await database.withRegistry { registry in
                        let stocktake = try await registry.stocktakes.open(by: try await staff.actor(in: registry))
                        print("\(stocktake.number)\topen\t\(stocktake.expectedCount) devices expected")
                    }
                }
            }
        }

        struct Scan: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Record asset tags found.",
                discussion: "Give the tags as arguments, or none and scan them one per line (a USB barcode scanner types a line); end with Ctrl-D.")
            @OptionGroup var database: DatabaseOptions
            @OptionGroup var staff: StaffOptions
            @Argument(help: "Stocktake number or id.") var stocktake: String
            @Argument(help: "Asset tags (default: read from standard input, one per line).") var tags: [String] = []

            func run() async throws {
                try await reportingFailures {
                    try await database.withRegistry { registry in
                        let actor = try await staff.actor(in: registry)
                        let source = tags.isEmpty ? AnyIterator { readLine() } : AnyIterator(tags.makeIterator())
                        for tag in source where !tag.trimmingCharacters(in: .whitespaces).isEmpty {
                            let scan = try await registry.stocktakes.scan(stocktake, assetTag: tag, by: actor)
                            let note = scan.duplicate ? "already scanned" : !scan.known ? "UNKNOWN tag (kept as unexpected)"
                                : scan.expectedOnShelf ? "ok" : "not expected on the shelf"
                            print("\(scan.assetTag)\t\(note)")
                        }
                    }
                }
            }
        }

        struct Close: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Close the session and print its report.")
            @OptionGroup var database: DatabaseOptions
            @OptionGroup var staff: StaffOptions
            @Argument(help: "Stocktake number or id.") var stocktake: String

            func run() async throws {
                try await reportingFailures {
                    try await database.withRegistry { registry in
                        print(Report.table(try await registry.stocktakes.close(stocktake, by: try await staff.actor(in: registry))),
                              terminator: "")
                    }
                }
            }
        }

        struct SignOff: AsyncParsableCommand {
            static let configuration = CommandConfiguration(commandName: "sign-off", abstract: "Sign off a closed session (manager).")
            @OptionGroup var database: DatabaseOptions
            @OptionGroup var staff: StaffOptions
            @Argument(help: "Stocktake number or id.") var stocktake: String

            func run() async throws {
                try await reportingFailures {
                    try await database.withRegistry { registry in
                        let signed = try await registry.stocktakes.signOff(stocktake, by: try await staff.actor(in: registry))
                        print("\(signed.number)\tsigned off by \(signed.signedOffBy ?? "")")
                    }
                }
            }
        }

        struct Report: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Print a session's report.")
            @OptionGroup var database: DatabaseOptions
            @OptionGroup var staff: StaffOptions
            @Argument(help: "Stocktake number or id.") var stocktake: String
            @Option(help: "table, csv, json or pdf (棚卸報告書; needs -o).") var format: String = "table"
            @Option(help: "CSV headings: ja or en.") var lang: String = "ja"
            @Option(name: .shortAndLong, help: "Output file for --format pdf.") var output: String?

            func run() async throws {
                try await reportingFailures {
                    guard ["table", "csv", "json", "pdf"].contains(format) else {
                        throw CommandFailure(message: "--format must be table, csv, json or pdf", exitCode: 64)
                    }
                    if format == "pdf", output == nil { throw CommandFailure(message: "--format pdf needs -o FILE.pdf", exitCode: 64) }
                    let language: Patient.Language = try ArgumentValue.parse(lang, "--lang")
                    try await database.withRegistry { registry in
                        let report = try await registry.stocktakes.report(stocktake, by: try await staff.actor(in: registry))
                        switch format {
                        case "pdf":
                            let clinic = try await registry.clinic.profile(by: try await staff.actor(in: registry))?.name ?? ""
                            let pdf = try await HandoutPrinter().pdf(StocktakeSheet.document(report, clinicName: clinic))
                            do {
                                try pdf.data.write(to: URL(fileURLWithPath: output ?? ""), options: .atomic)
                            } catch {
                                throw CommandFailure(message: "cannot write \(output ?? "")", exitCode: 73)
                            }
                            print("\(output ?? "")\t\(pdf.pageCount) page\(pdf.pageCount == 1 ? "" : "s")")
                        case "csv": FileHandle.standardOutput.write(Data(report.csv(language: language)))
                        case "json": try printJSON(report)
                        default: print(Self.table(report), terminator: "")
                        }
                    }
                }
            }

            static func table(_ report: StocktakeReport) -> String {
                var lines = ["\(report.stocktake.number)\t\(report.stocktake.closedAt == nil ? "open" : "closed")"
                             + (report.stocktake.signedOffBy.map { "\tsigned off by \($0)" } ?? "")]
                lines.append("expected on the shelf: \(report.expectedOnShelf.count)\tfound: \(report.found.count)"
                             + "\tmissing: \(report.missing.count)\tunexpected: \(report.unexpected.count)")
                lines += report.missing.map { "MISSING\t\($0.assetTag)\t\($0.status.rawValue)\t\($0.whereabouts)" }
                lines += report.unexpected.map { "UNEXPECTED\t\($0.assetTag)\t\($0.ledgerStatus?.rawValue ?? "not in the ledger")" }
                lines.append("on loan: \(report.onLoanNotYetDue.count) not yet due, \(report.onLoanOverdue.count) overdue, "
                             + "\(report.onLoanConfirmedByContact.count) confirmed by the patient")
                lines += report.onLoanOverdue.map { "OVERDUE\t\($0.assetTag)\t\($0.loanNumber)\tdue \($0.dueDate)" }
                lines += report.elsewhere.map { "ELSEWHERE\t\($0.assetTag)\t\($0.status.rawValue)\t\($0.whereabouts)" }
                return lines.joined(separator: "\n") + "\n"
            }
        }
    }
}
