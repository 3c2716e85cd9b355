import ArgumentParser
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
        @Flag(help: "Add the demo clinic (one model per category, devices, two fictional patients) to an empty database.")
        var demo = false

        func validate() throws {
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
                if demo, try await DemoClinic.seed(registry) {
                    logger.notice("added the demo clinic")
                }
                let configuration = ServerConfiguration(host: host, port: port, databasePath: database.path)
                let app = buildApplication(registry: registry, configuration: configuration, printer: printer, logger: logger)
                try await app.runService()
            }
        }
    }
}
