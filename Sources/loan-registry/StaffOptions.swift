import ArgumentParser
import Foundation
import LoanRegistry

/// `--staff`: the staff account a registry command acts as, recorded in the audit log.
///
/// The account must exist, be active and have changed its initial password. The CLI runs where
/// the database file is — an operator tool, not a remote client — so it asks for no password.
struct StaffOptions: ParsableArguments {
    @Option(help: "The staff account you act as, recorded in the audit log (default: $USER).")
    var staff: String?

    /// The login given, or the OS user's name.
    var login: String {
        staff ?? OperatorIdentity.user
    }

    /// The account's actor; a message and exit code 77 when it cannot act.
    func actor(in registry: Registry) async throws -> AuditActor {
        do {
            return try await registry.staff.actor(login: login)
        } catch RegistryError.notFound(entity: "staff account", _) {
            throw CommandFailure(message: "no staff account '\(login)': name yours with --staff LOGIN (see loan-registry user list)",
                                 exitCode: 77)
        } catch let error as RegistryError {
            throw CommandFailure(message: "staff account '\(login)' cannot act: \(error.description)", exitCode: 77)
        }
    }
}

/// Who runs the command at the machine: `cli:<os user>` in the audit log for account and
/// settings commands.
enum OperatorIdentity {
    /// The name of the effective OS user (from the password database, not `$USER`, which anyone can set).
    static var user: String {
        guard let entry = getpwuid(geteuid()), let name = entry.pointee.pw_name else { return "uid\(geteuid())" }
        return String(cString: name)
    }

    static var actor: AuditActor { .commandLine(user: user) }
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
    /// `2` not found, `3` the texts cannot be used, `4` refused by a rule or conflict, `65` invalid input
    /// (EX_DATAERR), `75` busy (EX_TEMPFAIL), `77` not permitted (EX_NOPERM).
    var exitCode: Int32 {
        switch self {
        case .notFound: 2
        case .textsUnavailable: 3
        case .validationFailed, .importRejected, .constraintViolated: 65
        case .duplicate, .deviceUnavailable, .loanNotActive, .wipeRequired, .wipeNotPending, .invalidDeviceTransition,
             .disposalEvidenceRequired, .incidentReportRecorded, .stocktakeState, .invalidLoanTransition, .clinicProfileMissing,
             .explanationChanged, .consentAlreadyRecorded, .handoverBlocked, .consentNotWithdrawable,
             .consentAlreadyWithdrawn, .contactSheetAlreadyRecorded, .secondFactorAlreadyEnrolled, .secondFactorNotStarted,
             .accountChangeRefused, .editConflict, .revisionRequired, .explanationLanguageMismatch,
             .accessReviewIncomplete, .accessReviewSignedOff:
            4
        case .passwordRejected: 65
        case .busy: 75
        case .authenticationFailed, .forbidden: 77
        }
    }
}
