import Foundation
import Handouts
import LoanRegistry
import RegistryTestSupport
import Testing

/// The consent form for every demo model, in Japanese and English: the statement, the choice,
/// how to withdraw and every signature line share one page; the QR code is never alone.
@Suite struct ConsentFormLayoutTests {
    @Test(arguments: [Patient.Language.ja, .en])
    func theStatementAndEverySignatureLineShareOnePageForEveryDemoModel(language: Patient.Language) async throws {
        let test = try await TestRegistry(clock: .fixed(Fixtures.noonInTokyo))
        #expect(try await DemoClinic.seed(test.registry))
        let patient = try await test.registry.patients.list(.init(patientNumber: language == .ja ? "P-000001" : "P-000002"),
                                                            by: .system).items[0]
        let devices = try await test.registry.ledger.devices(try PageRequest(limit: 500, cursor: nil), by: .system).items
        var seen = Set<String>()
        let printer = HandoutPrinter()
        let markers = language == .ja
            ? (statement: "私は、上記の機器", labels: ["院長", "撤回", "ご本人署名", "代諾者署名", "続柄・代諾の理由", "日付", "年月日", "説明者（職員）", "立会人"])
            : (statement: "I have been told", labels: ["To the Director", "withdraw", "Patient's signature",
                                                      "Proxy's signature", "Relationship and reason", "Date", "Explained by (staff)", "Witness"])
        for device in devices where seen.insert(device.modelId).inserted {
            let loan = try await test.registry.loans.register(NewLoan(deviceId: device.id, patientId: patient.id), by: .system)
            let facts = try await test.registry.loans.handoutFacts(loan.id, language: nil, by: .system)
            let output = try await printer.pdf(try Handout.document(.consentForm, facts))
            #expect(output.unknownGlyphs == 0)
            let pdf = try Poppler(output.data)
            defer { pdf.remove() }
            let pages = (1...output.pageCount).map { page in
                Poppler.squeezed((try? pdf.run("pdftotext", ["-f", "\(page)", "-l", "\(page)", "-"], fileFirst: true).output) ?? "")
            }
            let statementPage = pages.firstIndex { $0.contains(Poppler.squeezed(markers.statement)) }
            #expect(statementPage != nil, "\(device.model.name) (\(language)): the statement is printed")
            guard let statementPage else { continue }
            for label in markers.labels {
                #expect(pages[statementPage].contains(Poppler.squeezed(label)),
                        "\(device.model.name) (\(language)): '\(label)' is on the statement's page \(statementPage + 1) of \(pages.count)")
            }
            // Every scope question the model raises has a yes and a no, all on one page.
            let scope = language == .ja ? ("同意の範囲", "研究に利用", "いいえ（この機器は") : ("Whatyouagreeto", "research", "No(thisdevice")
            let scopePage = pages.firstIndex { $0.contains(Poppler.squeezed(scope.0)) }
            #expect(scopePage.map { pages[$0].contains(scope.1) } == true, "\(device.model.name): the scope questions share a page")
            let uploads = try await test.registry.ledger.model(device.modelId, by: .system).securityProfile.asksAboutMakerCloud
            #expect(pages.contains { $0.contains(Poppler.squeezed(scope.2)) } == uploads,
                    "\(device.model.name): the maker's-cloud question only where the model uploads")
            // The QR code (its caption) is on a page with other content, never alone.
            let caption = Poppler.squeezed(language == .ja ? "説明書の内容が変わっていないことの確認" : "confirms the explanation has not changed")
            let qrPage = pages.firstIndex { $0.contains(caption) }
            #expect(qrPage == statementPage, "\(device.model.name) (\(language)): the QR code goes with the signatures")
        }
        #expect(seen.count >= 10, "every demo model")
    }
}

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
