import Foundation
import Handouts
import LoanRegistry
import RegistryTestSupport
import Testing

/// Every handout kind for every demo model, in ja, ja-easy and en, at normal and large size,
/// rendered to PDF and read back with pdftotext (issue 11's "done when").
@Suite struct HandoutMatrixTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let language: Patient.Language
        let size: Document.PrintSize
        var testDescription: String { "\(language.rawValue), \(size.rawValue)" }
    }

    static let cases = [Patient.Language.ja, .jaEasy, .en].flatMap { language in
        Document.PrintSize.allCases.map { Case(language: language, size: $0) }
    }

    /// What the checks look for, per language.
    struct Markers {
        let patient: String
        let statement: String
        let signatureLabels: [String]
        let qrCaption: String
        let scope: (heading: String, research: String, cloud: String, sharing: String)

        static func of(_ language: Patient.Language) -> Markers {
            switch language {
            case .ja: Markers(patient: "P-000001", statement: "私は、この機器の貸出しについて",
                              signatureLabels: ["院長", "同意します", "同意しません", "撤回", "ご本人署名", "代諾者署名",
                                                "続柄・代諾の理由", "日付", "年月日", "説明者（職員）", "立会人"],
                              qrCaption: "説明書の内容が変わっていないことの確認",
                              scope: ("同意の範囲", "研究に利用", "いいえ（この機器は", "共有機能を使うこと"))
            case .jaEasy: Markers(patient: "P-000003", statement: "わたしは、この機械を借りることについて",
                                  signatureLabels: ["院長", "はい。借りて使います", "いいえ。借りません", "やめることができます",
                                                    "あなたのサイン", "代わりの人のサイン", "日付", "年月日",
                                                    "説明した病院の人", "立ち会った人"],
                                  qrCaption: "病院がたしかめるときに使います",
                                  scope: ("それぞれ「はい」か「いいえ」", "研究に使って", "いいえ（この機械は", "共有）を使って"))
            case .en: Markers(patient: "P-000002", statement: "I was told about the information-security risks",
                              signatureLabels: ["To the Director", "I agree", "I do not agree", "withdraw", "Patient's signature",
                                                "Proxy's signature", "Relationship and reason", "Date", "Explained by (staff)", "Witness"],
                              qrCaption: "confirms the explanation has not changed",
                              scope: ("What you agree to", "used for research", "No (this device", "sharing feature"))
            }
        }
    }

    @Test(arguments: cases)
    func everyHandoutOfEveryDemoModelReadsRight(_ testCase: Case) async throws {
        // Every loan goes out and is ten days overdue when printed, so every kind applies (the reminder letter too).
        let time = MovableClock(Fixtures.noonInTokyo)
        let test = try await TestRegistry(clock: time.clock)
        #expect(try await DemoClinic.seed(test.registry))
        // The clinic's details in English too, so an English handout has no Japanese left in it.
        var clinic = try #require(try await test.registry.clinic.profile(by: .system))
        clinic.english = .init(name: "Test Clinic", department: "Cardiology", hours: "Weekdays 9:00-17:00",
                               afterHoursNote: "The doctor on call answers.", privacyDesk: "Privacy desk 03-1111-3333")
        try await test.registry.clinic.update(clinic, by: .system)
        let markers = Markers.of(testCase.language)
        let patient = try await test.registry.patients.list(.init(patientNumber: markers.patient), by: .system).items[0]
        #expect(patient.language == testCase.language)
        let devices = try await test.registry.ledger.devices(try PageRequest(limit: 500, cursor: nil), by: .system).items
        let printer = HandoutPrinter()
        var models = Set<String>()
        var lent: [(Device, Loan)] = []
        for device in devices where models.insert(device.modelId).inserted {
            let loan = try await test.registry.loans.register(NewLoan(deviceId: device.id, patientId: patient.id,
                                                                      dueDate: LocalDate(Fixtures.noonInTokyo).adding(days: 1)), by: .system)
            try await test.fixtures.passGate(loan)
            lent.append((device, try await test.registry.loans.handOver(loan.id, by: .system)))
        }
        time.advance(days: 10)
        for (device, loan) in lent {
            let name = "\(device.model.name) (\(testCase.testDescription))"
            let facts = try await test.registry.loans.handoutFacts(loan.id, language: nil, by: .system)
            #expect(facts.loan.daysOverdue == 9)
            #expect(facts.language == testCase.language && facts.texts.version >= 3, "\(name): patient-grade texts")
            for kind in HandoutKind.allCases {
                let document = try Handout.document(kind, facts, size: testCase.size)
                let output = try await printer.pdf(document)
                #expect(output.unknownGlyphs == 0)
                let pdf = try Poppler(output.data)
                defer { pdf.remove() }
                // One pdftotext per document: it ends every page with a form feed.
                var pages = try pdf.run("pdftotext", ["-"], fileFirst: true).output.components(separatedBy: "\u{0C}")
                if pages.last?.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty == true { pages.removeLast() }
                #expect(pages.count == output.pageCount)
                let all = pages.joined(separator: "\n")
                let label = "\(name) \(kind.rawValue)"
                // No item codes in what the patient reads (they stay in the document-control line as "R01 R02 …").
                #expect(all.firstMatch(of: #/[RP]\d\d:/#) == nil, "\(label): no item codes like R01:")
                // No nested brackets and no space left by a template before a Japanese particle.
                #expect(all.firstMatch(of: #/（[^）\n]*（/#) == nil, "\(label): nested brackets")
                #expect(all.firstMatch(of: #/\p{Han} [のをにへがで]/#) == nil, "\(label): a stray space before a particle")
                // English handouts are English: the demo clinic gave every field in English.
                if testCase.language == .en {
                    let cjk = all.unicodeScalars.filter { (0x3000...0x9FFF).contains($0.value) || (0xFF00...0xFFEF).contains($0.value) }
                    #expect(cjk.isEmpty, "\(label): CJK in an English handout: \(String(String.UnicodeScalarView(cjk.prefix(20))))")
                }
                // One footer line a patient can read: loan number, explanation version, check code, page.
                let code = Handout.checkCode(number: loan.number, sha256: facts.loan.explanation?.sha256 ?? "")
                for (index, page) in pages.enumerated() {
                    #expect(page.split(separator: "\n").contains { $0.contains(loan.number) && $0.contains(code) },
                            "\(label): page \(index + 1) has the footer on one line")
                    #expect(Poppler.squeezed(page).contains("\(index + 1)/\(pages.count)"), "\(label): page \(index + 1) is numbered")
                }
                switch kind {
                case .consentForm:
                    let squeezed = pages.map(Poppler.squeezed)
                    let statementPage = squeezed.firstIndex { $0.contains(Poppler.squeezed(markers.statement)) }
                    #expect(statementPage != nil, "\(label): the statement is printed")
                    guard let statementPage else { continue }
                    for marker in markers.signatureLabels {
                        #expect(squeezed[statementPage].contains(Poppler.squeezed(marker)),
                                "\(label): '\(marker)' is on the statement's page \(statementPage + 1) of \(pages.count)")
                    }
                    #expect(squeezed[statementPage].contains(Poppler.squeezed(markers.qrCaption)),
                            "\(label): the QR code goes with the signatures")
                    #expect(pages.count <= (testCase.size == .large ? 6 : 4), "\(label): \(pages.count) pages")
                    // Every scope question the model raises, each with its yes and no, on one page.
                    let scope = markers.scope
                    let scopePage = squeezed.firstIndex { $0.contains(Poppler.squeezed(scope.heading)) }
                    #expect(scopePage.map { squeezed[$0].contains(Poppler.squeezed(scope.research)) } == true,
                            "\(label): the scope questions share a page")
                    let profile = facts.model.securityProfile
                    #expect(squeezed.contains { $0.contains(Poppler.squeezed(scope.cloud)) } == profile.asksAboutMakerCloud,
                            "\(label): the maker's-cloud question only where the model uploads")
                    #expect(squeezed.contains { $0.contains(Poppler.squeezed(scope.sharing)) } == profile.asksAboutSharing,
                            "\(label): the sharing question only where the model shares")
                case .reminderLetter:
                    #expect(pages.count == 1, "\(label): the reminder fits one page, not \(pages.count)")
                    #expect(Poppler.squeezed(all).contains(Poppler.squeezed(device.serialNumber)), "\(label): names the device")
                case .contactSheet:
                    #expect(pages.count <= 2, "\(label): the contact sheet is at most 2 pages, not \(pages.count)")
                    // Contacts first, and each phone number on one line with its hours.
                    let clinic = facts.clinic.printed(in: testCase.language)
                    let lines = all.split(separator: "\n")
                    let phoneLine = lines.first { $0.contains(clinic.phone) && $0 != facts.clinic.phone && !$0.hasPrefix(clinic.name) }
                    #expect(phoneLine?.contains(clinic.hours) == true, "\(label): '\(phoneLine ?? "")' has the hours")
                    let supportLine = lines.first { $0.contains(facts.model.support.phone) }
                    #expect(supportLine?.contains("(") == true || supportLine?.contains("（") == true,
                            "\(label): '\(supportLine ?? "")' has the maker's hours")
                    let contactsAt = all.range(of: clinic.phone)?.lowerBound
                    let deviceAt = all.range(of: device.serialNumber)?.lowerBound
                    #expect(contactsAt != nil && deviceAt != nil && contactsAt! < deviceAt!, "\(label): contacts come first")
                case .explanation:
                    // Device-true wording: 送信機 only for a transmitter; a device that does not send
                    // data is not said to send someone else's data as yours.
                    let text = facts.loan.explanation?.text ?? ""
                    if testCase.language.isJapanese {
                        #expect(text.contains("送信機") == (facts.model.category == .implantTransmitter), "\(label): 送信機")
                    }
                    if !facts.model.securityProfile.transmits {
                        // No item of a device that sends nothing says that its data is sent.
                        let items = text.split(separator: "\n").filter { $0.hasPrefix("・") || $0.hasPrefix("•") }
                        for item in items {
                            #expect(item.firstMatch(of: #/送信|送られ|データを送|送り先|sends (its|your|their)|measurements are sent|servers run by/#) == nil,
                                    "\(label): '\(item)'")
                        }
                    }
                    #expect(pages.count <= (testCase.size == .large ? 5 : 3), "\(label): \(pages.count) pages")
                    // Every line of the snapshot is on the sheet (its heading marker is the bar, not ■).
                    // Each page without its header and footer (a line may run over a page break), and
                    // without hyphens (pdftotext joins a word hyphenated at a line end).
                    let sheet = pages.enumerated().map { index, page in
                        Poppler.squeezed(page).replacingOccurrences(of: Poppler.squeezed(document.header), with: "")
                            .replacingOccurrences(of: Poppler.squeezed(document.footer) + "\(index + 1)/\(pages.count)", with: "")
                    }.joined().replacingOccurrences(of: "-", with: "")
                    for line in (facts.loan.explanation?.text ?? "").split(separator: "\n") {
                        var expected = String(line)
                        if expected.hasPrefix("■") { expected.removeFirst() }
                        #expect(sheet.contains(Poppler.squeezed(expected).replacingOccurrences(of: "-", with: "")),
                                "\(label): '\(line)' is on the sheet")
                    }
                    #expect(!all.contains("■"), "\(label): headings have one marker")
                }
            }
        }
        #expect(models.count >= 10, "every demo model")
    }
}
