/// What ``Registry/verify(deep:checkpoints:trustedKeys:)`` found: database integrity, the audit
/// chain, the released triggers, the signed checkpoints and (deep) every covered row.
public struct RegistryVerification: Sendable, Equatable, Codable {
    /// Problems `PRAGMA integrity_check` reported; empty when the file is sound.
    public let integrity: [String]
    /// Rows `PRAGMA foreign_key_check` reported.
    public let foreignKeyViolations: Int
    /// The audit chain walk.
    public let auditChain: AuditChainVerification
    /// The triggers compared with the released ones.
    public let triggers: TriggerVerification
    /// The signed checkpoints, when a checkpoint folder was given.
    public let checkpoints: CheckpointVerification?
    /// Every covered row against its latest event, when a deep check was asked for.
    public let rows: RowCoverageVerification?

    /// `true` only when everything that was checked verifies.
    public var passed: Bool {
        integrity.isEmpty && foreignKeyViolations == 0 && auditChain.isIntact && triggers.isIntact
            && (checkpoints?.isIntact ?? true) && (rows?.isIntact ?? true)
    }
}
