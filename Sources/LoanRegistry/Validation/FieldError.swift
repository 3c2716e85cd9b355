import Foundation

/// One invalid input field: its JSON path and what is wrong, in words staff can act on.
public struct FieldError: Sendable, Equatable, Codable, CustomStringConvertible {
    /// JSON path, e.g. `dueDate`, `securityProfile.cloudUpload.region`.
    public let field: String
    /// What is wrong, without echoing the value.
    public let message: String

    public init(_ field: String, _ message: String) {
        self.field = field
        self.message = message
    }

    public var description: String { "\(field): \(message)" }
}

/// Collects field errors while checking an input, then throws them all at once.
public struct FieldValidator: Sendable {
    public private(set) var errors: [FieldError] = []

    public init() {}

    /// Records `message` for `field` unless `condition` holds.
    public mutating func require(_ condition: Bool, _ field: String, _ message: String) {
        if !condition { errors.append(FieldError(field, message)) }
    }

    /// Checks a required text: not blank, at most `maximum` characters, no control characters.
    public mutating func text(_ value: String, _ field: String, maximum: Int, required: Bool = true) {
        if required && value.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            errors.append(FieldError(field, "must not be empty"))
        } else if value.count > maximum {
            errors.append(FieldError(field, "must be at most \(maximum) characters"))
        } else if value.unicodeScalars.contains(where: { $0.properties.generalCategory == .control && $0 != "\n" }) {
            errors.append(FieldError(field, "must not contain control characters"))
        }
    }

    /// Throws ``RegistryError/validationFailed(_:)`` when anything was recorded.
    public func check() throws {
        if !errors.isEmpty { throw RegistryError.validationFailed(errors) }
    }
}
