import Foundation
import GRDB

extension Loans {
    /// What a handout for the loan prints. The read is audited.
    ///
    /// Every handout — explanation sheet, consent form, contact sheet — speaks the language and
    /// the text version of the loan's current explanation, so what the patient signs is what they
    /// were shown. Asking for another `language` is refused before anything is read; to print in
    /// another language, change the loan's language (a new explanation, needing a new consent).
    ///
    /// - Throws: ``RegistryError/notFound(entity:id:)``, ``RegistryError/textsUnavailable(reason:)``,
    ///   ``RegistryError/explanationLanguageMismatch(number:explained:requested:)``.
    public func handoutFacts(_ reference: String, language requested: Patient.Language?,
                             by actor: AuditActor) async throws -> HandoutFacts {
        try actor.authorize(.printHandouts)
        let now = registry.clock.now()
        // The snapshot's language and text version only (no patient data): the texts are read
        // from disk before the write.
        let (number, snapshot, loanLanguage) = try await registry.read { db in
            guard let row = try Row.fetchOne(db, sql: """
                SELECT l.number, e.id AS e_id, e.language AS e_language, e.text_version, coalesce(l.language, p.language) AS language
                FROM loans l JOIN patients p ON p.id = l.patient_id
                LEFT JOIN explanations e ON e.id = l.current_explanation_id
                WHERE l.id = ? OR l.number = ?
                """, arguments: [reference, reference]) else {
                throw RegistryError.notFound(entity: "loan", id: reference)
            }
            let snapshot = (row["e_id"] as String?).map { id in
                (id, Patient.Language(rawValue: row["e_language"]) ?? .ja, row["text_version"] as Int)
            }
            return (row["number"] as String, snapshot, Patient.Language(rawValue: row["language"]) ?? .ja)
        }
        if let requested, let snapshot, requested != snapshot.1 {
            throw RegistryError.explanationLanguageMismatch(number: number, explained: snapshot.1, requested: requested)
        }
        let language = snapshot?.1 ?? requested ?? loanLanguage
        let texts = try registry.texts.explanationTexts(language: language, version: snapshot?.2)
        return try await writer.write { db in
            let loan = try Loan.fetch(db, reference: reference, asOf: LocalDate(now))
            guard loan.explanation?.id == snapshot?.0 else {
                // A new explanation was made in between: print nothing from the old one.
                throw RegistryError.explanationChanged(number: loan.number)
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
