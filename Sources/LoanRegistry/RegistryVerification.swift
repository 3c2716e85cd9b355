/// What ``Registry/verify()`` found: database integrity and the audit chain.
public struct RegistryVerification: Sendable, Equatable, Codable {
    /// Problems `PRAGMA integrity_check` reported; empty when the file is sound.
    public let integrity: [String]
    /// Rows `PRAGMA foreign_key_check` reported.
    public let foreignKeyViolations: Int
    /// The audit chain walk.
    public let auditChain: AuditChainVerification

    /// `true` only when the file, its references and the audit chain all verify.
    public var passed: Bool {
        integrity.isEmpty && foreignKeyViolations == 0 && auditChain.isIntact
    }
}
