import ArgumentParser
import Foundation
import LoanRegistry

extension LoanRegistryCommand {
    /// `loan-registry audit checkpoint`: the audit trail's anchors.
    struct AuditCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "audit",
            abstract: "Sign the audit chain's head now.",
            subcommands: [Checkpoint.self])

        struct Checkpoint: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Sign the audit chain's head, append it to the checkpoint log and record it in the chain.",
                discussion: "The server does this every few minutes while changes happen, and when it stops.")
            @OptionGroup var database: DatabaseOptions
            @OptionGroup var audit: AuditOptions

            func run() async throws {
                try await reportingFailures {
                    let registry = try database.open()
                    defer { try? registry.close() }
                    let store = audit.store(forDatabase: database.path)
                    do {
                        _ = try await registry.checkCheckpointKey(store)
                        if let checkpoint = try await registry.writeCheckpoint(to: store, by: OperatorIdentity.actor) {
                            print("checkpoint \(checkpoint.number): event \(checkpoint.seq), head \(checkpoint.headHash), "
                                  + "key \(AuditCheckpoint.fingerprint(of: checkpoint.publicKey))")
                        } else {
                            print("nothing to sign: the chain has not moved since the last checkpoint")
                        }
                    } catch let refusal as CheckpointAnchorRefusal {
                        throw CommandFailure(message: refusal.description, exitCode: 3)
                    } catch let error as CheckpointStoreError {
                        throw CommandFailure(message: error.description, exitCode: 3)
                    }
                }
            }
        }
    }
}
