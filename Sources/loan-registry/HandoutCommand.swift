import ArgumentParser
import Foundation
import Handouts
import LoanRegistry

extension LoanRegistryCommand {
    /// A loan's handouts: write one to a file (the default), or verify a printed page's check code.
    struct HandoutCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "handout", abstract: "Write a loan's handouts, or verify the check code printed on one.",
            subcommands: [Write.self, Verify.self], defaultSubcommand: Write.self)
    }
}

extension LoanRegistryCommand.HandoutCommand {
    /// Prints a loan's handout to a PDF or HTML file.
    struct Write: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "write", abstract: "Write a loan's explanation sheet, consent form or contact sheet as PDF or HTML.",
            discussion: "The format follows the file name (.pdf or .html). The read is audited.")
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var staff: StaffOptions
        @Argument(help: "Loan number or id.") var loan: String
        @Option(help: "explanation, consent-form, contact-sheet or reminder-letter (an overdue loan only).") var kind: String
        @Option(help: "ja, ja-easy or en: only the language of the loan's explanation (the default) is accepted.") var lang: String?
        @Option(help: "normal or large (large print: body text 14 pt).") var size: String = "normal"
        @Option(name: .shortAndLong, help: "Output file, ending .pdf or .html.") var output: String

        func run() async throws {
            try await reportingFailures {
                let kind: HandoutKind = try ArgumentValue.parse(kind, "--kind")
                let language: Patient.Language? = try lang.map { try ArgumentValue.parse($0, "--lang") }
                let printSize: Document.PrintSize = try ArgumentValue.parse(size, "--size")
                let html = output.lowercased().hasSuffix(".html")
                guard html || output.lowercased().hasSuffix(".pdf") else {
                    throw CommandFailure(message: "-o must end in .pdf or .html", exitCode: 64)
                }
                try await database.withRegistry { registry in
                    let facts: HandoutFacts
                    do {
                        facts = try await registry.loans.handoutFacts(loan, language: language, by: try await staff.actor(in: registry))
                    } catch let mismatch as RegistryError {
                        guard case .explanationLanguageMismatch = mismatch else { throw mismatch }
                        throw CommandFailure(message: mismatch.description + " (loan change --language)", exitCode: 4)
                    }
                    let document: Document
                    do {
                        document = try Handout.document(kind, facts, size: printSize)
                    } catch let mismatch as Handout.LanguageMismatch {
                        throw CommandFailure(message: mismatch.description + " (loan change --language)", exitCode: 4)
                    } catch let notOverdue as Handout.NotOverdue {
                        throw CommandFailure(message: notOverdue.description, exitCode: 4)
                    }
                    let printer = HandoutPrinter()
                    let data: Data
                    var pages = 1
                    if html {
                        data = Data(printer.html(document).utf8)
                    } else {
                        do {
                            let pdf = try await printer.pdf(document)
                            data = pdf.data
                            pages = pdf.pageCount
                        } catch let error as PDFRenderer.RenderError {
                            throw CommandFailure(message: error.message, exitCode: 3)
                        }
                    }
                    do {
                        try data.write(to: URL(fileURLWithPath: output), options: .atomic)
                    } catch {
                        throw CommandFailure(message: "cannot write \(output)", exitCode: 73)
                    }
                    print("\(output)\t\(kind.rawValue)\t\(facts.language.rawValue)\t\(pages) page\(pages == 1 ? "" : "s")\t\(data.count) bytes")
                }
            }
        }
    }
}

extension LoanRegistryCommand.HandoutCommand {
    /// Whether the check code printed on a handout page belongs to the loan it names.
    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check the code printed on a handout page (or in its QR code) against the loan it names.",
            discussion: "Prints the explanation the page was printed from and whether it is still current; exit 1 when the code does not match.")
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var staff: StaffOptions
        @Argument(help: "The loan number printed on the page.") var loan: String
        @Argument(help: "The check code printed on the page, e.g. 1A2B-3C4D.") var code: String

        func run() async throws {
            try await reportingFailures {
                try await database.withRegistry { registry in
                    let result = try await registry.loans.verifyHandout(loan: loan, code: code, by: try await staff.actor(in: registry))
                    guard result.matches, let sequence = result.explanationSequence, let version = result.textVersion,
                          let language = result.language, let sha = result.explanationSha256 else {
                        throw CommandFailure(message: "the code does not belong to loan \(result.loanNumber)", exitCode: 1)
                    }
                    print("\(result.loanNumber)\texplanation #\(sequence)\tv\(version) (\(language.rawValue))\t\(sha)\t"
                          + (result.current ? "current" : "superseded: print the handouts again"))
                }
            }
        }
    }
}
