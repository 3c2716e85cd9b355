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
    ///
    /// Characters are counted as Unicode scalars, as SQLite's `length()` counts them, so no text
    /// that passes here can break a `CHECK (length(…) …)` of the schema.
    public mutating func text(_ value: String, _ field: String, maximum: Int, required: Bool = true) {
        if required && value.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            errors.append(FieldError(field, "must not be empty"))
        } else if value.unicodeScalars.count > maximum {
            errors.append(FieldError(field, "must be at most \(maximum) characters"))
        } else if value.unicodeScalars.contains(where: { $0.properties.generalCategory == .control && $0 != "\n" }) {
            errors.append(FieldError(field, "must not contain control characters"))
        }
    }

    /// Checks an identifier staff type and look up (patient number, asset tag, serial number):
    /// ``text(_:_:maximum:required:)``, plus no invisible or formatting characters (zero-width
    /// space, BOM, direction marks), no spaces at either end, and written in plain half-width
    /// characters (Unicode NFKC), so `Ｐ－０００００１` or `P-000001` with a hidden mark can never
    /// become a second record that lists exactly like the first.
    public mutating func identifier(_ value: String, _ field: String, maximum: Int) {
        let before = errors.count
        text(value, field, maximum: maximum)
        guard errors.count == before else { return }
        // Printable ASCII (most identifiers) has no invisible characters and is its own NFKC form.
        let printableASCII = value.utf8.allSatisfy { (0x20..<0x7F).contains($0) }
        if !printableASCII, value.unicodeScalars.contains(where: { [.control, .format].contains($0.properties.generalCategory) }) {
            errors.append(FieldError(field, "must not contain invisible or formatting characters"))
        } else if value.trimmingCharacters(in: .whitespacesAndNewlines) != value {
            errors.append(FieldError(field, "must not start or end with a space"))
        } else if !printableASCII,
                  !value.nfkc.unicodeScalars.elementsEqual(value.unicodeScalars) {
            // (Scalars, not Strings: Swift calls "か\u{3099}" and "が" equal; SQLite does not.)
            errors.append(FieldError(field, "must be written in plain half-width characters (e.g. P-000001, not full-width)"))
        }
    }

    /// Throws ``RegistryError/validationFailed(_:)`` when anything was recorded.
    public func check() throws {
        if !errors.isEmpty { throw RegistryError.validationFailed(errors) }
    }
}
