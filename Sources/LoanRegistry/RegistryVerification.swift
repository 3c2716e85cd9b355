import GRDB

/// What ``Registry/verify(deep:checkpoints:trustedKeys:)`` found: database integrity, the audit
/// chain, the released triggers, the signed checkpoints and (deep) every covered row.
public struct RegistryVerification: Sendable, Equatable, Encodable {
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

    private enum CodingKeys: String, CodingKey {
        case passed, integrity, foreignKeyViolations, auditChain, triggers, checkpoints, rows
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(passed, forKey: .passed)
        try container.encode(integrity, forKey: .integrity)
        try container.encode(foreignKeyViolations, forKey: .foreignKeyViolations)
        try container.encode(auditChain, forKey: .auditChain)
        try container.encode(triggers, forKey: .triggers)
        try container.encodeIfPresent(checkpoints, forKey: .checkpoints)
        try container.encodeIfPresent(rows, forKey: .rows)
    }
}

extension RegistryVerification {
    /// Every check on `db`, inside the read transaction the caller began; `log` and `currentKey`
    /// were read after it began.
    static func check(_ db: Database, migrator: Migrator, log: CheckpointStore.LogContents?, currentKey: String?,
                      trustedKeys: [String], deep: Bool) throws -> RegistryVerification {
        let problems = try String.fetchAll(db, sql: "PRAGMA integrity_check")
        let foreignKeys = try Row.fetchAll(db, sql: "PRAGMA foreign_key_check").count
        return RegistryVerification(
            integrity: problems == ["ok"] ? [] : problems,
            foreignKeyViolations: foreignKeys,
            auditChain: try AuditChainVerification.verify(db),
            triggers: try TriggerVerification.verify(db, migrator: migrator),
            checkpoints: try log.map { try CheckpointVerification.verify(db, log: $0, currentKey: currentKey,
                                                                        trustedKeys: trustedKeys) },
            rows: deep ? try RowCoverageVerification.verify(db) : nil)
    }
}
