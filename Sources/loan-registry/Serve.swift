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
                var configuration = ServerConfiguration(host: host, port: port, databasePath: database.path,
                                                        secureCookies: secureCookies, allowedHosts: allowedHosts,
                                                        idleTimeoutSeconds: idleTimeout)
                configuration.headerTimeoutSeconds = headerTimeout
                configuration.bodyTimeoutSeconds = bodyTimeout
                configuration.maximumConnections = maxConnections
                configuration.slowDownFailingAddresses = !noSignInSlowdown
                let app = buildApplication(registry: registry, configuration: configuration, printer: printer, logger: logger)
                try await app.runService()
            }
        }
    }
}
