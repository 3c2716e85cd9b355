import ArgumentParser
import Foundation
import LoanRegistry

extension LoanRegistryCommand {
    /// `loan-registry keys init|show-public`: the checkpoint signing key.
    struct KeysCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "keys",
            abstract: "The Ed25519 key that signs audit checkpoints (kept outside the database).",
            subcommands: [Init.self, ShowPublic.self])

        struct Init: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Create the checkpoint signing key if there is none, and print its public key.")
            @OptionGroup var database: DatabaseOptions
            @OptionGroup var audit: AuditOptions

            func run() async throws {
                try await reportingFailures {
                    let store = audit.store(forDatabase: database.path)
                    do {
                        let created = try store.createKeyIfMissing()
                        let key = try store.readPublicKey()
                        print(created ? "created the checkpoint signing key \(store.keyFile.path) (mode 600)"
                                      : "the checkpoint signing key \(store.keyFile.path) already exists; left as it is")
                        print("public key: \(key)")
                        print("fingerprint: \(AuditCheckpoint.fingerprint(of: key))")
                        print("Keep a copy of the public key (\(store.publicKeyFile.path)) off this machine.")
                    } catch let error as CheckpointStoreError {
                        throw CommandFailure(message: error.description, exitCode: 3)
                    }
                }
            }
        }

        struct ShowPublic: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "show-public", abstract: "Print the checkpoint signing key's public key (hex).")
            @OptionGroup var database: DatabaseOptions
            @OptionGroup var audit: AuditOptions

            func run() async throws {
                try await reportingFailures {
                    do {
                        let store = audit.store(forDatabase: database.path)
                        // A backup's folder holds only the public key file.
                        if !store.hasKey, let key = store.recordedPublicKey() {
                            print(key)
                            return
                        }
                        print(try store.readPublicKey())
                    } catch let error as CheckpointStoreError {
                        throw CommandFailure(message: error.description, exitCode: 3)
                    }
                }
            }
        }
    }
}
