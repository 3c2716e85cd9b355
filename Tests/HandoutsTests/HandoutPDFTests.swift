import Foundation
import Handouts
import LoanRegistry
import RegistryTestSupport
import Testing

@Suite struct HandoutPDFTests {
    /// A demo-clinic loan (Bluetooth + cloud patch ECG) with a granted consent, in `language`.
    static func facts(_ language: Patient.Language) async throws -> (TestRegistry, HandoutFacts) {
        let test = try await TestRegistry(clock: .fixed(Fixtures.noonInTokyo))
        let model = try await test.fixtures.model(category: .patchECG, profile: SecurityProfile(
            storesPatientData: true, bluetooth: true, cloudUpload: .init(operator: "Maker Cloud", region: "JP"),
            encryptedInTransit: false))
        let device = try await test.fixtures.device(model: model, assetTag: "PECG-0042")
        let patient = try await test.registry.patients.register(
            NewPatient(patientNumber: "P-004200", name: "山田 太郎", nameKana: "ヤマダ タロウ", phone: "03-1234-5678",
                       language: language), by: .system)
        let loan = try await test.registry.loans.register(
            NewLoan(deviceId: device.id, patientId: patient.id, dueDate: LocalDate("2026-12-03")), by: .system)
        try await test.fixtures.passGate(loan)
        return (test, try await test.registry.loans.handoutFacts(loan.id, language: nil, by: .system))
    }

    @Test(arguments: [Patient.Language.ja, .en], HandoutKind.allCases.filter { $0 != .reminderLetter })
    func everyHandoutIsAnA4PDFWithEmbeddedFontsAndTheLoansFacts(language: Patient.Language, kind: HandoutKind) async throws {
        let (test, facts) = try await Self.facts(language)
        let output = try await HandoutPrinter().pdf(try Handout.document(kind, facts))
        #expect(output.unknownGlyphs == 0)
        #expect(output.data.prefix(5) == Data("%PDF-".utf8))
        let pdf = try Poppler(output.data)
        defer { pdf.remove() }

        let text = try pdf.text()
        let squeezed = Poppler.squeezed(text)
        let explanation = try #require(facts.loan.explanation)
        let firstRisk = facts.texts.item("risks", try #require(explanation.risks.first))
        var expected = ["山田太郎", "PECG-0042", language == .ja ? "2026年12月3日" : "December3,2026",
                        facts.loan.number, Handout.checkCode(number: facts.loan.number, sha256: explanation.sha256)]
        switch kind {
        case .explanation: expected.append(Poppler.squeezed(firstRisk))
        // The clinic keeps the signed form: it names the explanation by its full hash.
        case .consentForm: expected += [Poppler.squeezed(firstRisk), explanation.sha256]
        // The contact sheet does not list the risks again; it says what to do.
        case .contactSheet: expected.append(language == .ja ? "【なくしたとき・盗まれたとき】" : "Ifitislostorstolen:")
        case .reminderLetter: Issue.record("the reminder letter is for overdue loans (its own test)")
        }
        for fact in expected {
            #expect(squeezed.contains(fact), "\(kind) \(language) lacks \(fact)")
        }
        // Japanese line breaking: no line starts with a closing mark
        for line in text.split(separator: "\n") {
            #expect(!["、", "。", "）", "」"].contains(line.first.map(String.init) ?? ""), "line starts with \(line.prefix(3))")
        }
        let fonts = try pdf.run("pdffonts").output.split(separator: "\n").dropFirst(2)
        #expect(!fonts.isEmpty)
        for font in fonts {
            let columns = font.split(separator: " ", omittingEmptySubsequences: true)
            #expect(columns.count >= 7 && columns[columns.count - 5] == "yes", "font not embedded: \(font)")
        }
        #expect(try pdf.run("qpdf", ["--check"]).status == 0)
        let info = try pdf.run("pdfinfo").output
        #expect(info.contains("(A4)"))
        let pages = try #require(info.split(separator: "\n").first { $0.hasPrefix("Pages:") }?.split(separator: " ").last.flatMap { Int($0) })
        #expect(pages == output.pageCount)
        #expect(squeezed.contains("1/\(pages)") && squeezed.contains("\(pages)/\(pages)"))
        _ = test
    }

    @Test func theExplanationSheetPrintsTheSnapshotExactlyAsHashed() async throws {
        let (test, facts) = try await Self.facts(.ja)
        let snapshot = try #require(facts.loan.explanation?.text)
        #expect(ContentHash.sha256(snapshot) == facts.loan.explanation?.sha256)
        let document = try Handout.document(.explanation, facts)
        let output = try await HandoutPrinter().pdf(document)
        let pdf = try Poppler(output.data)
        defer { pdf.remove() }
        // Take out each page's header and footer (a line may run over a page break), and hyphens
        // (pdftotext joins a word hyphenated at a line end).
        var printed = Poppler.squeezed(try pdf.text()).replacingOccurrences(of: Poppler.squeezed(document.header), with: "")
        for page in 1...output.pageCount {
            printed = printed.replacingOccurrences(of: Poppler.squeezed(document.footer) + "\(page)/\(output.pageCount)", with: "")
        }
        printed = printed.replacingOccurrences(of: "-", with: "")
        var position = printed.startIndex
        for line in snapshot.split(separator: "\n") {
            // A heading is printed with the heading's bar in place of the ■ that marks it in the text.
            let needle = Poppler.squeezed(line.hasPrefix("■") ? String(line.dropFirst()) : String(line))
                .replacingOccurrences(of: "-", with: "")
            let found = try #require(printed.range(of: needle, range: position..<printed.endIndex), "missing or out of order: \(line)")
            position = found.upperBound
        }
        _ = test
    }

    @Test func aLongDocumentRunsOverPagesWithNumbers() async throws {
        let paragraphs = (1...120).map { Document.Block.paragraph("段落\($0)：機器をなくしたり盗まれたりすると、記録された測定データを他人に見られるおそれがあります。") }
        let document = Document(language: "ja", title: "長い説明書", header: "試験クリニック", footer: "L-2026-000001", blocks: paragraphs)
        let output = try PDFRenderer().render(document)
        #expect(output.pageCount >= 4)
        let pdf = try Poppler(output.data)
        defer { pdf.remove() }
        let text = Poppler.squeezed(try pdf.text())
        for page in 1...output.pageCount { #expect(text.contains("\(page)/\(output.pageCount)")) }
        #expect(text.contains("段落1：") && text.contains("段落120："))
        #expect(output.unknownGlyphs == 0)
    }

    @Test func aFontThatCannotDrawJapaneseIsRefused() throws {
        // A family that does not exist falls back to whatever fontconfig has; DejaVu (if that is
        // what it finds) has no kana. The check must pass for the shipped font either way.
        try PDFRenderer().checkFont()
        let latinOnly = PDFRenderer(fontFamily: "DejaVu Sans")
        if (try? latinOnly.render(Document(language: "ja", title: "説明書")).unknownGlyphs) ?? 0 > 0 {
            #expect(throws: PDFRenderer.RenderError.self) { try latinOnly.checkFont() }
        }
    }

    @Test func characterNoFontHasIsRefusedInsteadOfPrintedAsABox() async throws {
        let document = Document(language: "ja", title: "説明書", blocks: [.paragraph("記号 \u{10FFFD}")])
        #expect(try PDFRenderer().render(document).unknownGlyphs > 0)
        await #expect(throws: PDFRenderer.RenderError.self) { try await HandoutPrinter().pdf(document) }
    }

    @Test func everyHandoutSpeaksTheLanguageAndTextVersionOfTheExplanation() async throws {
        let (test, japanese) = try await Self.facts(.ja)
        // Consent form and contact sheet too: what is signed is what was shown.
        await #expect(throws: RegistryError.explanationLanguageMismatch(number: japanese.loan.number, explained: .ja,
                                                                          requested: .en)) {
            try await test.registry.loans.handoutFacts(japanese.loan.id, language: .en, by: .system)
        }
        let explanation = try #require(japanese.loan.explanation)
        #expect(japanese.language == .ja && japanese.texts.version == explanation.textVersion)
        for kind in HandoutKind.allCases where kind != .reminderLetter {
            let document = try Handout.document(kind, japanese)
            #expect(document.footer.contains("説明書 第\(explanation.textVersion)版"), "\(kind): \(document.footer)")
            #expect(document.language == "ja")
        }
        let (englishTest, english) = try await Self.facts(.en)
        await #expect(throws: RegistryError.self) {
            try await englishTest.registry.loans.handoutFacts(english.loan.id, language: .ja, by: .system)
        }
        #expect(english.language == .en && english.texts.language == .en)
    }

    @Test(arguments: [Patient.Language.ja, .en])
    func theHTMLCarriesTheSameFacts(language: Patient.Language) async throws {
        let (test, facts) = try await Self.facts(language)
        for kind in HandoutKind.allCases where kind != .reminderLetter {
            let html = HTMLRenderer().render(try Handout.document(kind, facts))
            #expect(html.hasPrefix("<!DOCTYPE html>"))
            #expect(html.contains("<html lang=\"\(language.rawValue)\">"))
            #expect(html.contains("@page { size: A4"))
            let code = Handout.checkCode(number: facts.loan.number, sha256: facts.loan.explanation?.sha256 ?? "")
            for fact in ["山田 太郎", "PECG-0042", language == .ja ? "2026年12月3日" : "December 3, 2026", code, "<svg"] {
                #expect(html.contains(fact), "\(kind) html lacks \(fact)")
            }
        }
        _ = test
    }

    @Test func htmlEscapesWhatItPrints() {
        let html = HTMLRenderer().render(Document(language: "ja", title: "<script>alert(1)</script>",
                                                  blocks: [.paragraph("a & b \"c\"")]))
        #expect(!html.contains("<script>alert"))
        #expect(html.contains("&lt;script&gt;") && html.contains("a &amp; b &quot;c&quot;"))
    }

    @Test func theQRCodeIsARealCode() throws {
        let code = try QRCode("loan-registry:L-2026-000001:ABCD-1234")
        #expect(code.size >= 21 && (code.size - 17) % 4 == 0, "a QR code is 17 + 4k modules wide")
        // the three finder patterns: dark 7×7 corners
        for (row, column) in [(0, 0), (0, code.size - 7), (code.size - 7, 0)] {
            #expect(code.isDark(row: row, column: column) && code.isDark(row: row + 6, column: column + 6))
            #expect(!code.isDark(row: row + 1, column: column + 1))
        }
    }
}

extension HandoutPDFTests {
    /// The stocktake report on paper: the counts, the missing device and the sign-off line.
    @Test func theStocktakeReportPrintsItsCountsAndItsMissingDevice() async throws {
        let test = try await TestRegistry(clock: .fixed(Fixtures.noonInTokyo))
        _ = try await test.fixtures.device(assetTag: "SHELF-1")
        _ = try await test.fixtures.device(assetTag: "SHELF-2")
        let session = try await test.registry.stocktakes.open(by: test.fixtureActor)
        _ = try await test.registry.stocktakes.scan(session.id, assetTag: "SHELF-1", by: test.fixtureActor)
        let report = try await test.registry.stocktakes.close(session.id, by: test.fixtureActor)
        let output = try await HandoutPrinter().pdf(StocktakeSheet.document(report, clinicName: TestRegistry.clinic.name))
        let pdf = try Poppler(output.data)
        defer { pdf.remove() }
        let text = Poppler.squeezed(try pdf.text())
        for fact in ["棚卸報告書", session.number, "SHELF-2", "企画管理者", "試験クリニック", "2026-11-2112:00"] {
            #expect(text.contains(Poppler.squeezed(fact)), "the report lacks \(fact)")
        }
        // Each count on the line of its category.
        let lines = try pdf.run("pdftotext", ["-layout", "-"], fileFirst: true).output.split(separator: "\n")
        for (category, count) in [("棚にあるはずの機器", 2), ("確認できた", 1), ("所在不明", 1), ("台帳外・想定外", 0)] {
            let line = lines.first { $0.contains(category) }
            #expect(line?.split(separator: " ").last.map(String.init) == String(count), "\(category): '\(line ?? "")'")
        }
        #expect(output.unknownGlyphs == 0)
    }
}

extension HandoutPDFTests {
    /// The reminder letter: refused for a loan that is not overdue, addressed to the patient once it is.
    @Test func theReminderLetterIsForAnOverdueLoanOnly() async throws {
        let time = MovableClock(Fixtures.noonInTokyo)
        let test = try await TestRegistry(clock: time.clock)
        let loan = try await test.fixtures.activeLoan(due: LocalDate(Fixtures.noonInTokyo).adding(days: 2))
        let early = try await test.registry.loans.handoutFacts(loan.id, language: nil, by: .system)
        #expect(throws: Handout.NotOverdue.self) { try Handout.document(.reminderLetter, early) }
        time.advance(days: 5)
        let late = try await test.registry.loans.handoutFacts(loan.id, language: nil, by: .system)
        let output = try await HandoutPrinter().pdf(try Handout.document(.reminderLetter, late))
        let pdf = try Poppler(output.data)
        defer { pdf.remove() }
        let text = Poppler.squeezed(try pdf.text())
        for fact in [loan.patient.name + "様", loan.device.assetTag, "まだ返却されていません", "3日"] {
            #expect(text.contains(Poppler.squeezed(fact)), "the letter lacks \(fact)")
        }
    }
}

extension HandoutPDFTests {
    /// The evidence report on paper: each obligation's counts, the exceptions, and the signed
    /// checkpoint with its head hash whole on one line (never hyphenated), so paper anchors the chain.
    @Test func theEvidenceReportPrintsItsExceptionsAndItsCheckpoint() async throws {
        let test = try await TestRegistry(clock: .fixed(Fixtures.noonInTokyo))
        let loan = try await test.fixtures.activeLoan()
        _ = try await test.registry.loans.receiveReturn(loan.id, LoanReturn(condition: .ok, accessoriesComplete: true), by: test.fixtureActor)
        let store = CheckpointStore(directory: URL(fileURLWithPath: test.directory.path("audit")))
        _ = try await test.registry.checkCheckpointKey(store)
        let checkpoint = try #require(try await test.registry.writeCheckpoint(to: store, by: .system))
        let day = LocalDate(Fixtures.noonInTokyo)
        let period = try #require(AccessReviewPeriod(from: day, to: day))
        let report = try await test.registry.evidence.report(period, checkpoints: store, by: test.fixtureActor)
        #expect(report.auditVerified && report.latestCheckpoint == checkpoint && report.dailyCheckpoints == [checkpoint])
        let output = try await HandoutPrinter().pdf(EvidenceSheet.document(report))
        let pdf = try Poppler(output.data)
        defer { pdf.remove() }
        let layout = try pdf.run("pdftotext", ["-layout", "-"], fileFirst: true).output
        let text = Poppler.squeezed(try pdf.text())
        for fact in ["証跡報告書", "⑧貸出前の説明・同意・連絡先", "データ消去待ち1台", "例外（要確認）", "アクセスログの点検が未", "合格", "企画管理者"] {
            #expect(text.contains(Poppler.squeezed(fact)), "the report lacks \(fact)")
        }
        let handedOverLine = layout.split(separator: "\n").first { $0.contains("貸し出した件数") }
        #expect(handedOverLine?.split(separator: " ").last == "1")
        // The head hash: in full, in two halves at most, and no hyphen inside it.
        #expect(text.contains(checkpoint.headHash), "the head hash is not printed whole")
        #expect(output.unknownGlyphs == 0)
    }
}
