import ArgumentParser
import Foundation
import Handouts
import LoanRegistry

extension LoanRegistryCommand {
    /// Prints a loan's handout to a PDF or HTML file.
    struct HandoutCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "handout", abstract: "Write a loan's explanation sheet, consent form or contact sheet as PDF or HTML.",
            discussion: "The format follows the file name (.pdf or .html). The read is audited.")
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var staff: StaffOptions
        @Argument(help: "Loan number or id.") var loan: String
        @Option(help: "explanation, consent-form or contact-sheet.") var kind: String
        @Option(help: "ja or en (default: the loan's language).") var lang: String?
        @Option(name: .shortAndLong, help: "Output file, ending .pdf or .html.") var output: String

        func run() async throws {
            try await reportingFailures {
                let kind: HandoutKind = try ArgumentValue.parse(kind, "--kind")
                let language: Patient.Language? = try lang.map { try ArgumentValue.parse($0, "--lang") }
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
                        document = try Handout.document(kind, facts)
                    } catch let mismatch as Handout.LanguageMismatch {
                        throw CommandFailure(message: mismatch.description + " (loan change --language)", exitCode: 4)
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
