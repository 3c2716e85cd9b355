public import Foundation
import GRDB

/// A recorded consent decision on one explanation snapshot (catalogue §6). Never changed; a
/// withdrawal is recorded beside it.
public struct Consent: Sendable, Equatable, Codable, Identifiable {
    /// The evidence as stored: the signature image is kept by its SHA-256 (fetch it separately).
    public struct Evidence: Sendable, Equatable, Codable {
        public let method: NewConsent.Evidence.Method
        public let signatureSha256: String?
        public let scanReference: String?
    }

    /// What the consent covers, as decided.
    public struct Scope: Sendable, Equatable, Codable {
        public let lendingAndUse: Bool
        public let makerCloud: Bool
        public let sharing: Bool
        public let research: Bool
    }

    public let id: String
    public let loanId: String
    public let explanationId: String
    public let explanationSha256: String
    public let decision: NewConsent.Decision
    public let signer: NewConsent.Signer
    public let explainedBy: String
    public let witness: String?
    public let scope: Scope
    public let evidence: Evidence?
    public let copyGiven: Bool
    public let explainedAt: Date
    public let decidedAt: Date
    public let recordedBy: String
    /// Set once the consent is withdrawn.
    public let withdrawal: ConsentWithdrawal?

    /// `true` for a granted consent that was not withdrawn.
    public var isInForce: Bool { decision == .granted && withdrawal == nil }

    init(row: Row) throws {
        guard let decision = NewConsent.Decision(rawValue: row["decision"]),
              let kind = NewConsent.Signer.Kind(rawValue: row["signer_kind"])
        else { throw StorageError.unavailable(reason: "unreadable consent row") }
        id = row["id"]
        loanId = row["loan_id"]
        explanationId = row["explanation_id"]
        explanationSha256 = row["explanation_sha256"]
        self.decision = decision
        signer = NewConsent.Signer(kind: kind, name: row["signer_name"], relationship: row["proxy_relationship"],
                                   reason: row["proxy_reason"])
        explainedBy = row["explained_by"]
        witness = row["witness"]
        scope = Scope(lendingAndUse: decision == .granted, makerCloud: row["scope_maker_cloud"],
                      sharing: row["scope_sharing"], research: row["scope_research"])
        evidence = (row["evidence_method"] as String?).flatMap(NewConsent.Evidence.Method.init(rawValue:)).map {
            Evidence(method: $0, signatureSha256: row["signature_sha256"], scanReference: row["scan_reference"])
        }
        copyGiven = row["copy_given"]
        explainedAt = Timestamp.date(row["explained_at"]) ?? .distantPast
        decidedAt = Timestamp.date(row["decided_at"]) ?? .distantPast
        recordedBy = row["recorded_by"]
        withdrawal = try (row["withdrawal_id"] as String?).map { _ in try ConsentWithdrawal(row: row) }
    }

    static let selectSQL = """
        SELECT c.id, c.loan_id, c.explanation_id, c.explanation_sha256, c.decision, c.signer_kind, c.signer_name,
               c.proxy_relationship, c.proxy_reason, c.explained_by, c.witness, c.scope_maker_cloud, c.scope_sharing,
               c.scope_research, c.evidence_method, c.signature_sha256, c.scan_reference, c.copy_given, c.explained_at,
               c.decided_at, c.recorded_by,
               w.id AS withdrawal_id, w.reason AS withdrawal_reason, w.channel AS withdrawal_channel,
               w.actions_taken AS withdrawal_actions_taken, w.recovery_required AS withdrawal_recovery_required,
               w.withdrawn_at AS withdrawal_withdrawn_at, w.recorded_by AS withdrawal_recorded_by
        FROM consents c LEFT JOIN consent_withdrawals w ON w.consent_id = c.id
        """

    static func fetch(_ db: Database, id: String) throws -> Consent {
        guard let row = try db.cachedRow(sql: selectSQL + " WHERE c.id = ?", arguments: [id]) else {
            throw RegistryError.notFound(entity: "consent", id: id)
        }
        return try Consent(row: row)
    }

    /// The decision on explanation `explanationId`, if any.
    static func fetch(_ db: Database, explanationId: String) throws -> Consent? {
        try db.cachedRow(sql: selectSQL + " WHERE c.explanation_id = ?", arguments: [explanationId]).map(Consent.init(row:))
    }
}
