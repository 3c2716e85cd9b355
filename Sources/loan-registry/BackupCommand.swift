import ArgumentParser
import Foundation
import LoanRegistry

extension LoanRegistryCommand {
    /// `loan-registry backup --to FILE`: a consistent, verified copy while the server keeps running.
    struct BackupCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "backup",
            abstract: "Copy the database and its checkpoint log to FILE, consistently, while the server keeps taking writes.",
            discussion: """
                Uses SQLite's online backup of one read snapshot. FILE is a single SQLite file; FILE.audit/ beside it \
                holds the checkpoint log and the public key (never the private signing key). The copy is then \
                verified like `verify --deep`; a copy that does not verify is kept as FILE.failed and the command \
                exits 1. Existing files are never overwritten.
                """)

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var audit: AuditOptions
        @Option(name: .customLong("to"), help: "The backup file to write (must not exist).") var destination: String
        @Flag(help: "Print the result as JSON.") var json = false

        func run() async throws {
            try await reportingFailures {
                // A mistyped --db must not produce a "verified" backup of a new, empty database.
                let registry = try database.openExisting()
                defer { try? registry.close() }
                let report: BackupReport
                do {
                    report = try await registry.backup(to: URL(fileURLWithPath: destination),
                                                       checkpoints: audit.store(forDatabase: database.path),
                                                       by: OperatorIdentity.actor)
                } catch let error as BackupError {
                    if case .copyFailedVerification = error { throw CommandFailure(message: error.description, exitCode: 1) }
                    throw CommandFailure(message: error.description, exitCode: 3)
                }
                if json {
                    try printJSON(report)
                } else {
                    print("backup written: \(report.file) (\(report.bytes / 1024) KiB, \(report.auditEvents) audit events, "
                          + "\(report.checkpointsCopied) checkpoint\(report.checkpointsCopied == 1 ? "" : "s") in \(report.auditFolder))")
                    print("verified: integrity, audit chain, triggers, checkpoints and every covered row "
                          + "(copy \(report.copyMilliseconds) ms, verify \(report.verifyMilliseconds) ms)")
                }
            }
        }
    }

    /// `loan-registry restore --from FILE`: put a verified backup in place of the database.
    struct RestoreCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "restore",
            abstract: "Replace the database with a backup, after verifying the backup.",
            discussion: """
                Refuses (exit 1) a backup that fails integrity_check or audit verification, and refuses to replace \
                an existing database without --force. Even with --force it refuses while a server has the database \
                open. The replaced database and checkpoint log are kept beside them as .before-restore copies; \
                the signing key stays. The restore is recorded in the audit log.
                """)

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var audit: AuditOptions
        @Option(name: .customLong("from"), help: "The backup file (with its FILE.audit/ folder beside it).") var source: String
        @Flag(help: "Replace an existing database (kept beside it as a .before-restore copy).") var force = false
        @Option(name: .customLong("trusted-key"),
                help: "The clinic's checkpoint public key (hex, from `loan-registry keys show-public`, or the copy kept off this machine) the backup's checkpoints must be signed by; repeatable. Default: the key in the database's checkpoint folder.")
        var trustedKeys: [String] = []
        @Flag(help: "Print the result as JSON.") var json = false

        func run() async throws {
            try await reportingFailures {
                guard FileManager.default.fileExists(atPath: source) else {
                    throw CommandFailure(message: "there is no backup at \(source); check --from", exitCode: 1)
                }
                let report: RestoreReport
                do {
                    report = try await Registry.restore(from: URL(fileURLWithPath: source), to: database.path,
                                                        checkpoints: audit.store(forDatabase: database.path),
                                                        trustedKeys: trustedKeys, force: force, by: OperatorIdentity.actor,
                                                        texts: ConsentTextLibrary(directory: URL(fileURLWithPath: database.texts)))
                } catch let error as BackupError {
                    switch error {
                    case .cannotWrite: throw CommandFailure(message: error.description, exitCode: 3)
                    default: throw CommandFailure(message: error.description, exitCode: 1)
                    }
                } catch let error as StorageError {
                    throw CommandFailure(message: error.description, exitCode: 3)
                }
                if json {
                    try printJSON(report)
                    return
                }
                print("restored \(report.database) from \(source) (\(report.auditEvents) audit events; verified before restoring)")
                if let kept = report.previousKeptAs { print("the database it replaced is kept as \(kept)") }
                if let kept = report.previousLogKeptAs { print("the checkpoint log it replaced is kept as \(kept)") }
                if !report.signingKeyMatches {
                    print("""
                        The checkpoint folder does not hold the key that signed this backup's checkpoints, so the \
                        server will refuse to start until you reset the anchor, e.g.:
                          loan-registry serve --db \(database.path) --reset-checkpoint-anchor "restored from backup after <what happened>"
                        """)
                }
            }
        }
    }
}
