import ArgumentParser
import Foundation
import LoanRegistry

/// The `--audit-dir` option: where the checkpoint key and log live.
struct AuditOptions: ParsableArguments {
    @Option(name: .customLong("audit-dir"),
            help: "The folder holding the checkpoint signing key and the checkpoint log (default: the database path with .audit added). Put it on another disk or a removable medium to keep it apart from the database.")
    var directory: String?

    /// The store for the database at `databasePath`.
    func store(forDatabase databasePath: String) -> CheckpointStore {
        CheckpointStore(directory: directory.map { URL(fileURLWithPath: $0) }
            ?? CheckpointStore.defaultDirectory(forDatabase: databasePath))
    }
}
