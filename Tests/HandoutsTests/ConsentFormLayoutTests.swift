import Foundation
import Handouts
import LoanRegistry
import RegistryTestSupport
import Testing

/// Layout rules of the PDF renderer the consent form relies on (the form itself, for every demo
/// model, language and size, is checked in ``HandoutMatrixTests``).
@Suite struct ConsentFormLayoutTests {}

extension ConsentFormLayoutTests {
    @Test func aTableContinuedOnAnotherPageRepeatsItsHeaderRow() async throws {
        let rows = (1...120).map { ["R\($0)", "行 \($0) の内容"] }
        let document = Document(language: "ja", title: "表", blocks: [
            .table(Document.Table(header: ["番号", "見出しの列"], rows: rows)),
        ])
        let output = try PDFRenderer().render(document)
        #expect(output.pageCount >= 3)
        let pdf = try Poppler(output.data)
        defer { pdf.remove() }
        for page in 1...output.pageCount {
            let text = try pdf.run("pdftotext", ["-f", "\(page)", "-l", "\(page)", "-"], fileFirst: true).output
            #expect(text.contains("見出しの列"), "page \(page) of \(output.pageCount) has the header row")
        }
    }
}
