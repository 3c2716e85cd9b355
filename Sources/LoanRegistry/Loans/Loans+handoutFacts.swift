import Foundation
import GRDB

extension Loans {
    /// What a handout for the loan prints, in `language` (default: the loan's). The read is audited.
    ///
    /// - Throws: ``RegistryError/notFound(entity:id:)``, ``RegistryError/textsUnavailable(reason:)``.
    ///
    /// For the explanation sheet (`explanationSheet`), which prints the snapshot exactly as
    /// hashed, a language other than the snapshot's is refused before anything is read.
    public func handoutFacts(_ reference: String, language: Patient.Language?, explanationSheet: Bool = false,
                             by actor: AuditActor) async throws -> HandoutFacts {
        try actor.authorize(.printHandouts)
        let now = registry.clock.now()
        let language = try await currentLanguage(reference, language)
        let texts = try registry.texts.explanationTexts(language: language)
        return try await writer.write { db in
            let loan = try Loan.fetch(db, reference: reference, asOf: LocalDate(now))
            if explanationSheet, let snapshot = loan.explanation, snapshot.language != language {
                throw RegistryError.explanationLanguageMismatch(number: loan.number, explained: snapshot.language,
                                                                requested: language)
            }
            let device = try Device.fetch(db, reference: loan.device.id)
            let consent = try loan.explanation.flatMap { try Consent.fetch(db, explanationId: $0.id) }
            try AuditLog.append(.loanRead, entityType: "loan", entityId: loan.id,
                                details: ["patientId": loan.patient.id, "via": "handout"], by: actor, at: now, in: db)
            return HandoutFacts(loan: loan, clinic: try ClinicProfile.require(db), model: try DeviceModel.fetch(db, id: device.modelId),
                                consent: consent, texts: texts, language: language)
        }
    }
}
