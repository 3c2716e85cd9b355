import Foundation
import GRDB

extension Loans {
    /// Whether the check code printed on a handout page (and in its QR code) belongs to loan
    /// `number`, from which of its explanations the page was printed, and whether that is still
    /// the loan's current explanation. Reads no patient data.
    ///
    /// - Throws: ``RegistryError/validationFailed(_:)`` for a code that cannot be one,
    ///   ``RegistryError/notFound(entity:id:)`` for an unknown loan.
    public func verifyHandout(loan number: String, code: String, by actor: AuditActor) async throws -> HandoutVerification {
        try actor.authorize(.verifyHandout)
        guard let code = HandoutCheckCode.normalized(code) else {
            throw RegistryError.validationFailed([FieldError("code", "must be the 8-character check code, e.g. 1A2B-3C4D")])
        }
        let number = Identifier.folded(number)
        return try await registry.read { db in
            guard let loan = try Row.fetchOne(db, sql: "SELECT id, number, current_explanation_id FROM loans WHERE number = ?",
                                              arguments: [number]) else {
                throw RegistryError.notFound(entity: "loan", id: number)
            }
            let loanNumber: String = loan["number"]
            let current: String? = loan["current_explanation_id"]
            let explanations = try Row.fetchAll(
                db, sql: "SELECT id, sequence, text_version, language, sha256 FROM explanations WHERE loan_id = ? ORDER BY sequence",
                arguments: [loan["id"] as String])
            // The same text may come back (a date changed and changed back): the current one first.
            let candidates = explanations.filter { ($0["id"] as String) == current } + explanations.reversed()
            guard let match = candidates.first(where: { HandoutCheckCode.of(loan: loanNumber, sha256: $0["sha256"]) == code })
            else {
                return HandoutVerification(loanNumber: loanNumber, matches: false, explanationSequence: nil, textVersion: nil,
                                           language: nil, explanationSha256: nil, current: false)
            }
            return HandoutVerification(
                loanNumber: loanNumber, matches: true, explanationSequence: match["sequence"], textVersion: match["text_version"],
                language: Patient.Language(rawValue: match["language"]), explanationSha256: match["sha256"],
                current: (match["id"] as String) == current)
        }
    }
}
