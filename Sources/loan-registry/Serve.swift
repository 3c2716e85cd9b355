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
        @Flag(help: "Run the full PRAGMA integrity_check at start-up instead of the quicker quick_check (which does not compare indexes with their tables).")
        var fullCheck = false
        @Option(help: "How often the server runs the full integrity_check while serving (e.g. 12h, 1d); the result is in /health and the log.")
        var integrityCheckEvery = Interval(seconds: 86_400)
        @Option(help: "Folder for scheduled backups (each one verified after writing); no scheduled backups without it.")
        var backupDir: String?
        @Option(help: "Time between scheduled backups (e.g. 30m, 1h, 1d).")
        var backupEvery = Interval(seconds: 3600)
        @Option(help: "How many scheduled backups to keep; older ones are removed once a new one verifies.")
        var keep = 48
        @Option(help: "Group commit (on) shares one fsync among concurrent writes; off commits each write alone (for the benchmark that compares).")
        var groupCommit = Switch.on
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
            guard (1...10_000).contains(keep) else { throw ValidationError("--keep must be 1 to 10000.") }
            guard Logger.Level(rawValue: logLevel) != nil else {
                throw ValidationError("--log-level must be one of trace, debug, info, notice, warning, error, critical.")
            }
        }

        func run() async throws {
            try await reportingFailures {
                let level = Logger.Level(rawValue: logLevel) ?? .info
                LoggingSystem.bootstrap { label in ServerLogHandler(label: label, level: level) }
                let logger = Logger(label: "loan-registry")
                let printer = HandoutPrinter()
                do {
                    try printer.checkFont()
                } catch let error as PDFRenderer.RenderError {
                    throw CommandFailure(message: "cannot print handouts: \(error.message)", exitCode: 3)
                }
                let registry = try database.open(integrityCheck: fullCheck ? .full : .quick, groupCommit: groupCommit == .on)
                let opened = registry.lastIntegrityCheck
                logger.notice("database check passed", metadata: [
                    "check": "\(opened.check.rawValue)", "ms": "\(opened.milliseconds)", "groupCommit": "\(groupCommit.rawValue)"])
                do {
                    try await serve(registry, logger: logger, printer: printer)
                } catch {
                    try? registry.close()
                    throw error
                }
                // A clean stop leaves every acknowledged write in the main file, the WAL empty.
                let checkpointed = await Self.closeCheckpointed(registry)
                if checkpointed {
                    logger.notice("database closed; every write is in the main file (WAL checkpointed)")
                } else {
                    logger.warning("database closed, but the WAL could not be fully checkpointed; it is applied at the next start")
                }
            }
        }

        /// Checkpoints the WAL and closes the database, off the cooperative pool.
        private static func closeCheckpointed(_ registry: Registry) async -> Bool {
            await withCheckedContinuation { continuation in
                DispatchQueue.global(qos: .userInitiated).async {
                    let checkpointed = (try? registry.checkpointWAL()) ?? false
                    try? registry.close()
                    continuation.resume(returning: checkpointed)
                }
            }
        }

        /// Everything between opening and closing the database.
        private func serve(_ registry: Registry, logger: Logger, printer: HandoutPrinter) async throws {
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
            let integrityChecks = Task {
                while !Task.isCancelled {
                    try? await Task.sleep(for: .seconds(integrityCheckEvery.seconds))
                    if Task.isCancelled { break }
                    await checkIntegrity(registry, logger: logger)
                }
            }
            let backups = try backupDir.map { directory in
                let folder = BackupFolder(directory: URL(fileURLWithPath: directory), keep: keep)
                do {
                    try FileManager.default.createDirectory(at: folder.directory, withIntermediateDirectories: true,
                                                            attributes: [.posixPermissions: 0o700])
                } catch {
                    throw CommandFailure(message: "cannot use the backup folder \(directory): \(error.localizedDescription)", exitCode: 3)
                }
                // The schedule continues from the newest backup in the folder: after a restart the
                // next one is due when the interval since it has passed (at once if it already has).
                let age = folder.newestBackupDate().map { Date().timeIntervalSince($0) }
                let firstDelay = age.map { max(0, Double(backupEvery.seconds) - $0) } ?? Double(backupEvery.seconds)
                logger.notice("scheduled backups", metadata: [
                    "folder": "\(folder.directory.path)", "every": "\(backupEvery.defaultValueDescription)", "keep": "\(keep)",
                    "nextInSeconds": "\(Int(firstDelay))"])
                return Task {
                    var delay = firstDelay
                    while !Task.isCancelled {
                        try? await Task.sleep(for: .seconds(delay))
                        if Task.isCancelled { break }
                        await backUp(registry, to: folder, store: store, logger: logger)
                        delay = Double(backupEvery.seconds)
                    }
                }
            }
            let app = buildApplication(registry: registry, configuration: configuration, printer: printer, logger: logger)
            try await app.runService()
            // Let a backup, integrity check or checkpoint in progress finish before the last
            // checkpoint and the WAL checkpoint, so neither waits on a reader nor loses its event.
            checkpoints.cancel()
            integrityChecks.cancel()
            backups?.cancel()
            await checkpoints.value
            await integrityChecks.value
            await backups?.value
            await writeCheckpoint(registry, store: store, logger: logger)
        }

        /// The periodic full integrity check, reported in the log (and in `/health`).
        private func checkIntegrity(_ registry: Registry, logger: Logger) async {
            do {
                let report = try await registry.checkIntegrity(.full)
                if let problem = report.firstProblem {
                    logger.critical("integrity_check FAILED: restore the latest verified backup", metadata: [
                        "problem": "\(problem)", "ms": "\(report.milliseconds)"])
                } else {
                    logger.notice("integrity_check ok", metadata: ["ms": "\(report.milliseconds)"])
                }
            } catch {
                logger.error("integrity_check could not run", metadata: ["reason": "\(error)"])
            }
        }

        /// One scheduled backup: written, verified, recorded; then the oldest beyond `--keep` removed.
        private func backUp(_ registry: Registry, to folder: BackupFolder, store: CheckpointStore, logger: Logger) async {
            do {
                let report = try await registry.backup(to: folder.file(at: Date()), checkpoints: store, by: .system)
                let removed = await folder.prune()
                logger.notice("backup written and verified", metadata: [
                    "file": "\(report.file)", "events": "\(report.auditEvents)", "bytes": "\(report.bytes)",
                    "copyMs": "\(report.copyMilliseconds)", "verifyMs": "\(report.verifyMilliseconds)",
                    "removedOld": "\(removed.count)"])
            } catch {
                logger.error("backup FAILED", metadata: ["reason": "\(error)"])
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
