import ArgumentParser
import Foundation
import LoanRegistry

/// `--staff`: who is running the command, recorded in the audit log.
struct StaffOptions: ParsableArguments {
    @Option(help: "Your staff login, recorded in the audit log (default: $USER).")
    var staff: String?

    var actor: AuditActor {
        .commandLine(user: staff ?? ProcessInfo.processInfo.environment["USER"] ?? "operator")
    }
}

/// How a command prints records.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case table, csv, json
}

/// Prints `value` as pretty JSON with ISO-8601 dates.
func printJSON(_ value: some Encodable) throws {
    let encoder = JSONEncoder()
    encoder.dateEncodingStrategy = .iso8601
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    print(String(decoding: try encoder.encode(value), as: UTF8.self))
}

extension DatabaseOptions {
    /// Opens the registry, runs `body`, closes it, and turns registry errors into messages and exit codes.
    func withRegistry(_ body: (Registry) async throws -> Void) async throws {
        let registry = try open()
        defer { try? registry.close() }
        do {
            try await body(registry)
        } catch let error as RegistryError {
            throw CommandFailure(message: error.description, exitCode: error.exitCode)
        }
    }
}

extension RegistryError {
    /// `2` not found, `3` the texts cannot be used, `4` refused by a rule or conflict, `65` invalid input (EX_DATAERR).
    var exitCode: Int32 {
        switch self {
        case .notFound: 2
        case .textsUnavailable: 3
        case .validationFailed, .importRejected: 65
        case .duplicate, .deviceUnavailable, .loanNotActive, .invalidLoanTransition, .clinicProfileMissing,
             .explanationChanged, .consentAlreadyRecorded, .handoverBlocked, .consentNotWithdrawable,
             .consentAlreadyWithdrawn, .contactSheetAlreadyRecorded:
            4
        }
    }
}
