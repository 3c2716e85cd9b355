import Foundation
import GRDB
import LoanRegistry
import RegistryTestSupport
import Testing

@Suite struct ExplanationSnapshotTests {
    /// Bluetooth, cloud upload, stores data unencrypted (the catalogue's R02/R03/R06 example).
    static let connected = SecurityProfile(storesPatientData: true, bluetooth: true,
                                           cloudUpload: .init(operator: "Maker Cloud", region: "JP"), encryptedInTransit: false)

    @Test(arguments: [Patient.Language.ja, .en])
    func connectedModelExplainsR02R03R06AndStandAloneModelDoesNot(language: Patient.Language) async throws {
        let test = try await TestRegistry(clock: .fixed(Fixtures.noonInTokyo))
        let connected = try await test.fixtures.model(category: .patchECG, profile: Self.connected)
        let loan = try await test.fixtures.draftLoan(device: try await test.fixtures.device(model: connected), language: language)
        let explanation = try #require(loan.explanation)
        let text = try #require(explanation.text)
        #expect(explanation.language == language)
        let texts = try ConsentTextLibrary(directory: TestRegistry.repositoryTexts).explanationTexts(language: language)
        let words = ExplanationRenderer(texts: texts)
        let control = try #require(text.split(separator: "\n").last)
        for id in ["R02", "R03", "R06"] {
            #expect(explanation.items.contains(id))
            // The patient reads the item without its code; staff find the code in the document-control line.
            #expect(text.contains("\n" + words.itemPrefix + words.itemText("risks", id, profile: Self.connected) + "\n"),
                    "\(language) text lacks \(id)")
            #expect(control.contains(id))
        }
        #expect(text.firstMatch(of: #/[RP]\d\d:/#) == nil, "no item codes in the patient's text")
        // The cloud's country by name, without nested brackets.
        #expect(text.contains(language == .ja ? "Maker Cloud（日本）" : "Maker Cloud, Japan"))
        #expect(text.contains(language == .ja ? "サーバは日本にあります。" : "The servers are in Japan."))
        #expect(explanation.notices == [.unencryptedTransit])

        let standAlone = try await test.fixtures.model(category: .pulseOximeter, profile: SecurityProfile(storesPatientData: false))
        let other = try await test.fixtures.draftLoan(device: try await test.fixtures.device(model: standAlone), language: language)
        let otherText = try #require(other.explanation?.text)
        for id in ["R02", "R03", "R06"] {
            #expect(other.explanation?.items.contains(id) == false)
            #expect(!otherText.contains(words.itemText("risks", id, profile: Self.connected)), "\(language) stand-alone text mentions \(id)")
            #expect(otherText.split(separator: "\n").last?.contains(id) == false)
        }
    }

    /// Released versions render exactly as released: an old snapshot can be reproduced byte for byte.
    @Test func version2StillRendersWithItsCodesAndItsExactBytes() throws {
        let texts = try ConsentTextLibrary(directory: TestRegistry.repositoryTexts).explanationTexts(language: .ja, version: 2)
        let output = ExplanationRenderer(texts: texts).render(.init(
            loanNumber: "L-2026-000001", manufacturer: "Maker", modelName: "M-1", assetTag: "A-1", serialNumber: "S-1",
            category: .patchECG, profile: Self.connected, support: .init(phone: "0120-000-000", hours: "9-17", twentyFourHours: false),
            startDate: LocalDate("2026-11-21")!, dueDate: LocalDate("2026-12-03")!, clinic: TestRegistry.clinic,
            today: LocalDate("2026-11-21")!))
        #expect(output.textVersion == 2)
        for line in ["R02: この機器は記録したデータを暗号化せずに保存します。", "■ 情報セキュリティ上のリスク",
                     "貸出期間: 2026-11-21 から 2026-12-03 まで", "測定データの送信先: Maker Cloud（JP）", "文書管理: 説明文 第2版（ja）"] {
            #expect(output.text.contains(line), "v2 has '\(line)'")
        }
        #expect(output.sha256 == "\(Self.version2Golden)", "the v2 text changed: \(output.sha256)")
    }

    /// SHA-256 of the text above as version 2 was released (a change to the coded renderer breaks it).
    static let version2Golden = "c58efff183f49b70208ba26c74cebe8876240a349deb8251a707db3d0bc2accc"

    @Test func theHashIsTheSHA256OfTheCanonicalTextAndEverySourceIsRecorded() async throws {
        let test = try await TestRegistry(clock: .fixed(Fixtures.noonInTokyo))
        let loan = try await test.fixtures.draftLoan()
        let explanation = try #require(loan.explanation)
        let text = try #require(explanation.text)
        #expect(explanation.sha256 == ContentHash.sha256(text))
        #expect(text == text.precomposedStringWithCanonicalMapping)
        #expect(!text.contains("\r") && text.hasSuffix("\n") && !text.hasSuffix("\n\n"))
        #expect(text.contains(loan.number) && text.contains(loan.device.assetTag))
        #expect(text.contains("\(loan.dueDate.year)年\(loan.dueDate.month)月\(loan.dueDate.day)日までにご返却ください"), "the due date in words")
        #expect(text.contains(TestRegistry.clinic.phone) && text.contains(TestRegistry.clinic.afterHoursPhone))
        #expect(text.contains("機器メーカーにつながります"), "after-hours line says who answers")
        #expect(!text.contains(loan.patient.name) && !text.contains(loan.patient.patientNumber))
        #expect(explanation.textVersion == 3)
        #expect(Set(explanation.textFiles.keys) == Set(ExplanationTexts.requiredTexts.map { "v3/ja/\($0).md" }))
        let library = ConsentTextLibrary(directory: TestRegistry.repositoryTexts)
        for (path, hash) in explanation.textFiles { #expect(try library.sha256(of: path) == hash) }
        // the stored snapshot is exactly what was returned
        let stored = try await test.registry.read { db in
            try String.fetchOne(db, sql: "SELECT body FROM explanations WHERE sha256 = ?", arguments: [explanation.sha256])
        }
        #expect(stored == text)
    }

    @Test func changingDeviceLanguageOrDatesMakesANewSnapshotAndKeepsTheOld() async throws {
        let test = try await TestRegistry(clock: .fixed(Fixtures.noonInTokyo))
        let actor = test.fixtures.actor
        let loan = try await test.fixtures.draftLoan()
        let first = try #require(loan.explanation)

        let sameAgain = try await test.registry.loans.refreshExplanation(loan.id, by: actor)
        #expect(sameAgain.explanation?.id == first.id, "rendering the same inputs gives the same text: no new snapshot")

        let later = try await test.registry.loans.change(loan.id, LoanChanges(dueDate: LocalDate("2026-12-05")), by: actor)
        #expect(later.explanation?.sequence == 2)
        #expect(later.explanation?.text?.contains("2026年12月5日") == true)
        let english = try await test.registry.loans.change(loan.id, LoanChanges(language: .en), by: actor)
        #expect(english.explanation?.sequence == 3)
        #expect(english.explanation?.language == .en)
        #expect(english.language == .en)
        let swapped = try await test.registry.loans.change(
            loan.id, LoanChanges(deviceId: try await test.fixtures.device().assetTag), by: actor)
        #expect(swapped.explanation?.sequence == 4)
        #expect(swapped.explanation?.deviceId == swapped.device.id)
        #expect(swapped.device.id != loan.device.id)

        let history = try await test.registry.loans.explanations(of: loan.number, by: actor)
        #expect(history.map(\.sequence) == [1, 2, 3, 4])
        #expect(Set(history.map(\.sha256)).count == 4)
        #expect(history.first?.text == first.text, "the first snapshot is kept exactly")
        // the first device is free again
        let patient = try await test.fixtures.patient()
        #expect(try await test.registry.loans.register(NewLoan(deviceId: loan.device.id, patientId: patient.id), by: actor).status == .draft)
    }

    @Test func aChangeAfterConsentNeedsANewConsent() async throws {
        let test = try await TestRegistry(clock: .fixed(Fixtures.noonInTokyo))
        let actor = test.fixtures.actor
        let loan = try await test.fixtures.draftLoan()
        let consent = try await test.fixtures.passGate(loan)
        let changed = try await test.registry.loans.change(loan.id, LoanChanges(dueDate: LocalDate("2026-11-30")), by: actor)
        #expect(changed.status == .draft)
        #expect(changed.consent == nil && changed.contactSheet == nil)
        #expect(changed.handoverRequirements == [.consent, .contactSheet])
        await #expect(throws: RegistryError.handoverBlocked(number: loan.number, missing: [.consent, .contactSheet])) {
            try await test.registry.loans.handOver(loan.id, by: actor)
        }
        // the old consent stays on record, tied to the old snapshot
        let kept = try await test.registry.consents.consent(consent.id, by: actor)
        #expect(kept.explanationSha256 == loan.explanation?.sha256)
        try await test.fixtures.passGate(changed)
        #expect(try await test.registry.loans.handOver(loan.id, by: actor).status == .active)
    }

    @Test func snapshotsCannotBeChangedOrDeleted() async throws {
        let test = try await TestRegistry()
        let loan = try await test.fixtures.draftLoan()
        let queue = try test.independentConnection()
        #expect(throws: DatabaseError.self) {
            try queue.write { db in try db.execute(sql: "UPDATE explanations SET body = 'edited'") }
        }
        #expect(throws: DatabaseError.self) {
            try queue.write { db in try db.execute(sql: "DELETE FROM explanations") }
        }
        #expect(try await test.registry.loans.loan(loan.id, by: .system).explanation?.text == loan.explanation?.text)
    }

    @Test func noClinicProfileNoExplanation() async throws {
        let test = try await TestRegistry(withClinic: false)
        await #expect(throws: RegistryError.clinicProfileMissing) { try await test.fixtures.draftLoan() }
        #expect(try await test.fixtures.count("loans") == 0)
    }

    @Test func aNewlyReleasedVersionIsUsedWithoutRestartAndAnEditedReleasedFileIsRefused() async throws {
        let copy = try TemporaryDirectory()
        let texts = copy.url.appendingPathComponent("ConsentTexts")
        try FileManager.default.copyItem(at: TestRegistry.repositoryTexts, to: texts)
        let test = try await TestRegistry(clock: .fixed(Fixtures.noonInTokyo), texts: texts)
        let loan = try await test.fixtures.draftLoan()
        #expect(loan.explanation?.textVersion == 3)

        // The clinic writes v4 (ja) with new common wording and releases it.
        let v4 = texts.appendingPathComponent("v4/ja")
        try FileManager.default.createDirectory(at: v4, withIntermediateDirectories: true)
        for name in ExplanationTexts.requiredTexts {
            var text = try String(contentsOf: texts.appendingPathComponent("v3/ja/\(name).md"), encoding: .utf8)
                .replacingOccurrences(of: "version: 3", with: "version: 4")
            if name == "common" { text += "当院からの追加のお知らせです。\n" }
            try text.write(to: v4.appendingPathComponent("\(name).md"), atomically: true, encoding: .utf8)
        }
        let library = ConsentTextLibrary(directory: texts)
        #expect(try library.release(version: 4).count == ExplanationTexts.requiredTexts.count)
        let refreshed = try await test.registry.loans.refreshExplanation(loan.id, by: .system)
        #expect(refreshed.explanation?.textVersion == 4)
        #expect(refreshed.explanation?.text?.contains("当院からの追加のお知らせです。") == true)

        // Someone edits a released file in place: explanations stop rather than show unreleased words.
        let common = v4.appendingPathComponent("common.md")
        try (String(contentsOf: common, encoding: .utf8) + "こっそり追加\n").write(to: common, atomically: true, encoding: .utf8)
        await #expect(throws: RegistryError.textsUnavailable(reason: "released text v4/ja/common.md was changed after release")) {
            try await test.fixtures.draftLoan()
        }
        // English has no v4: it still renders from v3.
        #expect(try await test.fixtures.draftLoan(language: .en).explanation?.textVersion == 3)
    }
}
