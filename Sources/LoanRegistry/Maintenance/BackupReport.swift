public import Foundation

/// A backup written by ``Registry/backup(to:checkpoints:by:)``: one consistent copy of the
/// database with its checkpoint log, verified after writing.
public struct BackupReport: Sendable, Encodable {
    /// The backup database file.
    public let file: String
    /// The folder beside it holding the checkpoint log and the public key (never the private key).
    public let auditFolder: String
    /// When the copy's snapshot was taken.
    public let takenAt: Date
    /// Size of the file in bytes.
    public let bytes: Int64
    /// The last audit event the copy holds.
    public let auditEvents: Int
    /// That event's hash: the copy's head.
    public let headHash: String
    /// Signed checkpoints copied with it.
    public let checkpointsCopied: Int
    /// Milliseconds to copy and to verify.
    public let copyMilliseconds: Int
    /// Milliseconds the verification of the copy took.
    public let verifyMilliseconds: Int
    /// The deep verification of the copy (integrity, chain, triggers, checkpoints, rows).
    public let verification: RegistryVerification
}

/// The last backup a process wrote, as `/health` reports it.
public struct BackupOutcome: Sendable, Equatable, Codable {
    /// When it was taken (or failed).
    public let at: Date
    /// The backup file's name (no folder).
    public let file: String
    /// Why it failed; `nil` when it was written and verified.
    public let problem: String?
}

/// Why a backup or a restore was refused or failed. Messages name files, never stored values.
public enum BackupError: Error, Sendable, CustomStringConvertible {
    /// The backup file already exists.
    case destinationExists(path: String)
    /// The copy could not be written.
    case cannotWrite(path: String, reason: String)
    /// The copy was written but did not verify; it was kept as `path`.
    case copyFailedVerification(path: String, verification: RegistryVerification)
    /// The backup to restore from does not exist or is not a database.
    case backupUnreadable(path: String, reason: String)
    /// The backup to restore from fails integrity or audit verification.
    case backupFailedVerification(path: String, verification: RegistryVerification)
    /// A database already exists where the backup would go.
    case targetExists(path: String)
    /// A running process (a server) has the database open.
    case targetInUse(path: String)
    /// The backup and the database to restore into are the same file.
    case sameFile(path: String)
    /// No key to trust the backup's checkpoints by: the target's folder has no signing key and
    /// none was given.
    case noTrustedKey(folder: String)

    /// What happened and what to do, naming files only.
    public var description: String {
        switch self {
        case .sameFile(let path):
            "\(path) is both the backup and the database to restore into"
        case .noTrustedKey(let folder):
            "\(folder) holds no checkpoint signing key to check the backup's checkpoints with; pass the clinic's "
                + "public key kept off this machine with --trusted-key HEX"
        case .destinationExists(let path):
            "\(path) already exists; choose a new file name (backups are never overwritten)"
        case .cannotWrite(let path, let reason):
            "cannot write the backup \(path): \(reason)"
        case .copyFailedVerification(let path, let verification):
            "the backup copy did not verify (kept as \(path) for inspection): \(verification.firstProblem)"
        case .backupUnreadable(let path, let reason):
            "cannot restore from \(path): \(reason)"
        case .backupFailedVerification(let path, let verification):
            "refusing to restore from \(path): it does not verify: \(verification.firstProblem)"
        case .targetExists(let path):
            "a database already exists at \(path); stop the server, then add --force to replace it "
                + "(the current file is kept beside it as a .before-restore copy)"
        case .targetInUse(let path):
            "\(path) is open in another process (is the server running?); stop it first"
        }
    }
}

extension RegistryVerification {
    /// The first failed check, in words, for messages.
    public var firstProblem: String {
        if let problem = integrity.first { return "integrity_check: \(problem)" }
        if foreignKeyViolations > 0 { return "\(foreignKeyViolations) foreign key violations" }
        if let broken = auditChain.firstBreak { return "audit chain broken at event \(broken.seq): \(broken.reason)" }
        if let finding = triggers.findings.first { return "trigger \(finding.name) \(finding.problem)" }
        if let problem = checkpoints?.problems.first { return "checkpoints: \(problem)" }
        if let rows, !rows.isIntact {
            if let problem = rows.baselineProblem { return "rows: \(problem)" }
            if let finding = rows.findings.first { return "rows: \(finding.table) \(finding.id) does not match the audit chain" }
        }
        return "none"
    }
}
