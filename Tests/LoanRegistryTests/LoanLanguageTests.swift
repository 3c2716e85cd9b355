import Foundation
import LoanRegistry
import RegistryTestSupport
import Testing

/// A loan's explanation is in its patient's language, however the patient was named.
@Suite struct LoanLanguageTests {
    @Test(arguments: Patient.Language.allCases, [true, false])
    func theExplanationIsInThePatientsLanguageWhetherNamedByIdOrByNumber(language: Patient.Language,
                                                                         byNumber: Bool) async throws {
        let test = try await TestRegistry(clock: .fixed(Fixtures.noonInTokyo))
        let patient = try await test.registry.patients.register(
            NewPatient(patientNumber: "P-\(language.rawValue)", name: "Sample", language: language), by: test.fixtureActor)
        let device = try await test.fixtures.device()
        let loan = try await test.registry.loans.register(
            NewLoan(deviceId: device.id, patientId: byNumber ? patient.patientNumber : patient.id), by: test.fixtureActor)
        #expect(loan.language == language)
        #expect(loan.explanation?.language == language, "the snapshot is in the patient's language")
        let text = try #require(loan.explanation?.text)
        let marker = switch language {
        case .ja: "貸出番号"
        case .jaEasy: "貸し出しの番号"
        case .en: "Loan number"
        }
        #expect(text.contains(marker))
        // The variant read is named in the hashed text, so the consent names exactly what was read.
        #expect(text.split(separator: "\n").last?.contains(language == .jaEasy ? "やさしい日本語" : language == .ja ? "日本語" : "English") == true)
        // An explicit language still wins.
        let other: Patient.Language = language == .ja ? .en : .ja
        let asked = try await test.registry.loans.register(
            NewLoan(deviceId: try await test.fixtures.device().id, patientId: patient.patientNumber, language: other),
            by: test.fixtureActor)
        #expect(asked.language == other && asked.explanation?.language == other)
    }
}
