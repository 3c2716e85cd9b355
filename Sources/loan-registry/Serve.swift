import ArgumentParser
import Foundation
import Handouts
import Hummingbird
import LoanRegistry
import Logging
import RegistryServer

extension LoanRegistryCommand {
    /// Runs the REST service until SIGINT or SIGTERM, then shuts down gracefully.
    struct Serve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Serve the REST API.")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var audit: AuditOptions
        @Option(help: "Minutes between signed audit checkpoints while changes happen (one is also written at shutdown).")
        var checkpointMinutes = 10
        @Option(name: .customLong("reset-checkpoint-anchor"),
                help: "Why the checkpoint key or log was lost or replaced: starts anyway with a new key, recording this reason in the audit log.")
        var resetCheckpointAnchor: String?
        @Option(help: "Address to bind.") var host = "127.0.0.1"
        @Option(help: "Port to listen on.") var port = 8080
        @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.")
        var logLevel = "info"
        @Flag(help: "Add the demo clinic (one model per category, devices, three fictional patients, demo staff accounts) to an empty database.")
        var demo = false
        @Flag(help: "Mark the session cookie Secure: set this when serving behind a TLS proxy.")
        var secureCookies = false
        @Option(name: .customLong("allowed-host"),
                help: "A further host name clients may use (repeatable); the bind address and localhost always work.")
        var allowedHosts: [String] = []
        @Option(help: "Seconds an idle connection stays open between requests.") var idleTimeout = 30
        @Option(help: "Seconds a new connection has to send a complete request head (trickling bytes does not extend it).")
        var headerTimeout = 10
        @Option(help: "Seconds a request body may take to arrive after its head.") var bodyTimeout = 30
        @Option(help: "Most connections open at once; more wait in the listen queue.") var maxConnections = 1024
        @Flag(name: .customLong("no-sign-in-slowdown"),
              help: "Do not slow down sign-ins from an address that keeps failing (the per-login lockout stays).")
        var noSignInSlowdown = false

        func validate() throws {
            guard (1...3600).contains(idleTimeout) else { throw ValidationError("--idle-timeout must be 1 to 3600 seconds.") }
            guard (1...600).contains(headerTimeout) else { throw ValidationError("--header-timeout must be 1 to 600 seconds.") }
            guard (1...3600).contains(bodyTimeout) else { throw ValidationError("--body-timeout must be 1 to 3600 seconds.") }
            guard (1...100_000).contains(maxConnections) else {
                throw ValidationError("--max-connections must be 1 to 100000.")
            }
            guard (1...1440).contains(checkpointMinutes) else {
                throw ValidationError("--checkpoint-minutes must be 1 to 1440.")
            }
            if let reason = resetCheckpointAnchor,
               reason.trimmingCharacters(in: .whitespacesAndNewlines).count < 10 || reason.count > 500 {
                throw ValidationError("--reset-checkpoint-anchor needs a reason of 10 to 500 characters; it is kept in the audit log.")
            }
            guard Logger.Level(rawValue: logLevel) != nil else {
                throw ValidationError("--log-level must be one of trace, debug, info, notice, warning, error, critical.")
            }
        }

        func run() async throws {
            try await reportingFailures {
                LoggingSystem.bootstrap { label in
                    var handler = StreamLogHandler.standardError(label: label)
                    handler.logLevel = Logger.Level(rawValue: logLevel) ?? .info
                    return handler
                }
                let logger = Logger(label: "loan-registry")
                let printer = HandoutPrinter()
                do {
                    try printer.checkFont()
                } catch let error as PDFRenderer.RenderError {
                    throw CommandFailure(message: "cannot print handouts: \(error.message)", exitCode: 3)
                }
                let registry = try database.open()
                defer { try? registry.close() }
                if let password = try await registry.staff.createFirstAdministrator() {
                    // Printed once, on the terminal only: never logged, never stored in clear.
                    FileHandle.standardOutput.write(Data("""
                        ────────────────────────────────────────────────────────────
                        First start: created the administrator account.
                          login:    admin
                          password: \(password)
                        This is shown once. It is an initial password: change it
                        before anything else, without signing in:
                          POST /api/v1/auth/password
                            {"login":"admin","currentPassword":"…","newPassword":"…"}
                          or: loan-registry user password admin
                        ────────────────────────────────────────────────────────────

                        """.utf8))
                }
                if demo, try await DemoClinic.seed(registry) {
                    logger.notice("added the demo clinic and its demo staff accounts (see the README)")
                }
                let store = audit.store(forDatabase: database.path)
                try await anchorCheckpoints(registry, store: store, logger: logger)
                let checkpoints = Task {
                    while !Task.isCancelled {
                        try? await Task.sleep(for: .seconds(checkpointMinutes * 60))
                        if Task.isCancelled { break }
                        await writeCheckpoint(registry, store: store, logger: logger)
                    }
                }
                var configuration = ServerConfiguration(host: host, port: port, databasePath: database.path,
                                                        secureCookies: secureCookies, allowedHosts: allowedHosts,
                                                        idleTimeoutSeconds: idleTimeout)
                configuration.headerTimeoutSeconds = headerTimeout
                configuration.bodyTimeoutSeconds = bodyTimeout
                configuration.maximumConnections = maxConnections
                configuration.slowDownFailingAddresses = !noSignInSlowdown
                configuration.checkpointDirectory = store.directory
                let app = buildApplication(registry: registry, configuration: configuration, printer: printer, logger: logger)
                try await app.runService()
                checkpoints.cancel()
                await writeCheckpoint(registry, store: store, logger: logger)
            }
        }

        /// Checks the checkpoint key at start-up (creating it the first time), or applies the
        /// audited reset; refuses to start (exit 3) when the key or log does not match.
        private func anchorCheckpoints(_ registry: Registry, store: CheckpointStore, logger: Logger) async throws {
            do {
                if let reason = resetCheckpointAnchor, (try? await registry.checkCheckpointKey(store)) == nil {
                    _ = try await registry.resetCheckpointAnchor(store, reason: reason, by: OperatorIdentity.actor)
                    let key = try store.readPublicKey()
                    logger.warning("reset the audit checkpoint anchor; the reason is in the audit log",
                                   metadata: ["key": "\(AuditCheckpoint.fingerprint(of: key))", "folder": "\(store.directory.path)"])
                    return
                }
                if case .created(let key) = try await registry.checkCheckpointKey(store) {
                    logger.notice("created the audit checkpoint signing key; keep a copy of its public key off this machine",
                                  metadata: ["key": "\(AuditCheckpoint.fingerprint(of: key))", "file": "\(store.publicKeyFile.path)"])
                }
            } catch let refusal as CheckpointAnchorRefusal {
                throw CommandFailure(message: refusal.description, exitCode: 3)
            } catch let error as CheckpointStoreError {
                throw CommandFailure(message: error.description, exitCode: 3)
            }
        }

        /// Writes a checkpoint if the chain moved, with one log line for the system journal.
        private func writeCheckpoint(_ registry: Registry, store: CheckpointStore, logger: Logger) async {
            do {
                if let checkpoint = try await registry.writeCheckpoint(to: store, by: .system) {
                    logger.notice("audit checkpoint", metadata: [
                        "number": "\(checkpoint.number)", "seq": "\(checkpoint.seq)", "head": "\(checkpoint.headHash)",
                        "at": "\(checkpoint.at)", "key": "\(AuditCheckpoint.fingerprint(of: checkpoint.publicKey))"])
                }
            } catch {
                logger.error("audit checkpoint failed", metadata: ["reason": "\(error)"])
            }
        }
    }
}
