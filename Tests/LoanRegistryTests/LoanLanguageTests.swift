import Foundation
import LoanRegistry
import RegistryTestSupport
import Testing

/// A loan's explanation is in its patient's language, however the patient was named.
@Suite struct LoanLanguageTests {
    @Test(arguments: [Patient.Language.ja, .en], [true, false])
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
        #expect(text.contains(language == .ja ? "貸出番号" : "Loan number"))
        // An explicit language still wins.
        let other: Patient.Language = language == .ja ? .en : .ja
        let asked = try await test.registry.loans.register(
            NewLoan(deviceId: try await test.fixtures.device().id, patientId: patient.patientNumber, language: other),
            by: test.fixtureActor)
        #expect(asked.language == other && asked.explanation?.language == other)
    }
}
