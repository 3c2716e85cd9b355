import Foundation
import GRDB

/// Turns a constraint SQLite enforced into the registry error callers understand.
///
/// Validation should stop bad input before the database sees it; this is the net under it, so a
/// value that slips through becomes a 409 or 422 naming the field, never a 500. SQLite's messages
/// name tables and columns, never the values, and only the column is kept.
enum ConstraintFailure {
    /// The registry error for `error`, or `error` itself when it is not a constraint failure.
    static func translate(_ error: any Error) -> any Error {
        // Triggers guard history and the audit chain against tampering, which no request can
        // reach; their refusals stay database errors.
        guard let error = error as? DatabaseError, error.resultCode == .SQLITE_CONSTRAINT,
              error.extendedResultCode != .SQLITE_CONSTRAINT_TRIGGER else { return error }
        let message = error.message ?? ""
        switch error.extendedResultCode {
        case .SQLITE_CONSTRAINT_FOREIGNKEY:
            return RegistryError.constraintViolated(field: "reference")
        case .SQLITE_CONSTRAINT_UNIQUE, .SQLITE_CONSTRAINT_PRIMARYKEY:
            // "UNIQUE constraint failed: patients.patient_number"
            let column = message.split(separator: ":").last?.split(separator: ",").first?
                .split(separator: ".").last.map { String($0).trimmingCharacters(in: .whitespaces) } ?? "record"
            return RegistryError.duplicate(field: fieldName(column))
        default:
            // "CHECK constraint failed: length(name) BETWEEN 1 AND 100", "NOT NULL constraint failed: patients.name"
            let detail = message.split(separator: ":", maxSplits: 1).last.map(String.init) ?? ""
            return RegistryError.constraintViolated(field: fieldName(column(in: detail) ?? "record"))
        }
    }

    /// The first column-like word of a constraint's text (skipping SQL words and functions).
    static func column(in text: String) -> String? {
        let words = text.split(whereSeparator: { !($0.isLetter || $0.isNumber || $0 == "_" || $0 == ".") })
        let sqlWords: Set<String> = ["length", "between", "and", "or", "in", "not", "null", "is", "like", "glob", "typeof",
                                     "substr", "coalesce", "json_valid", "unicode", "lower", "upper", "trim", "abs"]
        for word in words {
            let name = String(word.split(separator: ".").last ?? word)
            if name.first?.isLetter == true, !sqlWords.contains(name.lowercased()) { return name }
        }
        return nil
    }

    /// `patient_number` → `patientNumber`.
    static func fieldName(_ column: String) -> String {
        let parts = column.split(separator: "_")
        guard let first = parts.first else { return column }
        return String(first) + parts.dropFirst().map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
    }
}
