import Foundation
import LoanRegistry

/// Parses option values into the registry's enums, refusing unknown ones with exit code 64 (EX_USAGE).
enum ArgumentValue {
    static func parse<T: RawRepresentable & CaseIterable>(_ value: String, _ option: String) throws -> T where T.RawValue == String {
        guard let parsed = T(rawValue: value) else {
            throw CommandFailure(message: "\(option) must be one of: " + T.allCases.map(\.rawValue).joined(separator: ", "),
                                 exitCode: 64)
        }
        return parsed
    }

    static func date(_ value: String?, _ option: String) throws -> LocalDate? {
        guard let value else { return nil }
        guard let date = LocalDate(value) else { throw CommandFailure(message: "\(option) must be a date YYYY-MM-DD", exitCode: 64) }
        return date
    }
}
