/// What ``Registry/restore(from:to:checkpoints:force:by:clock:)`` did.
public struct RestoreReport: Sendable, Encodable {
    /// The database now holding the backup's contents.
    public let database: String
    /// Where the database it replaced was kept, if there was one.
    public let previousKeptAs: String?
    /// Where the checkpoint log it replaced was kept, if there was one.
    public let previousLogKeptAs: String?
    /// The last audit event the backup held.
    public let auditEvents: Int
    /// Whether the checkpoint folder holds the key that signed the backup's checkpoints; when
    /// it does not, the server starts only with `--reset-checkpoint-anchor "<why>"`.
    public let signingKeyMatches: Bool
    /// The backup's verification.
    public let verification: RegistryVerification
}
