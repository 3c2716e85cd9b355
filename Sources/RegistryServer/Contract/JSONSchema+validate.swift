import Foundation
import Hummingbird
import LoanRegistry

extension JSONSchema {
    /// Every way `value` (as `JSONSerialization` read it) breaks this schema, each naming its
    /// field by path (`signer.name`, `items[2]`) and never echoing the value.
    func problems(in value: Any, at path: String = "") -> [FieldError] {
        if value is NSNull {
            return nullable ? [] : [FieldError(path, "must not be null")]
        }
        switch kind {
        case let .string(format, values, minLength, maxLength, _):
            guard let text = value as? String else { return [FieldError(path, "must be text")] }
            if let values, !values.contains(text) {
                return [FieldError(path, "must be one of " + values.joined(separator: ", "))]
            }
            // Lengths in code points, as JSON Schema and SQLite's length() count them, of the
            // text as it will be stored (NFC: a decomposed name is not longer than its precomposed form).
            let length = text.precomposedStringWithCanonicalMapping.unicodeScalars.count
            if let minLength, length < minLength {
                return [FieldError(path, minLength == 1 ? "must not be empty" : "must be at least \(minLength) characters")]
            }
            if let maxLength, length > maxLength {
                return [FieldError(path, "must be at most \(maxLength) characters")]
            }
            if let format, !format.accepts(text) {
                return [FieldError(path, format.expectation)]
            }
            return []
        case let .integer(minimum, maximum):
            guard let number = value as? NSNumber, !Self.isBoolean(number) else {
                return [FieldError(path, "must be a whole number")]
            }
            let double = number.doubleValue
            guard double.rounded() == double, abs(double) <= Double(Int32.max) else {
                return [FieldError(path, "must be a whole number")]
            }
            if let minimum, Int(double) < minimum { return [FieldError(path, "must be at least \(minimum)")] }
            if let maximum, Int(double) > maximum { return [FieldError(path, "must be at most \(maximum)")] }
            return []
        case .boolean:
            guard let number = value as? NSNumber, Self.isBoolean(number) else {
                return [FieldError(path, "must be true or false")]
            }
            return []
        case let .array(items, maxItems):
            guard let array = value as? [Any] else { return [FieldError(path, "must be a list")] }
            if let maxItems, array.count > maxItems { return [FieldError(path, "must have at most \(maxItems) items")] }
            return array.enumerated().flatMap { index, element in items.problems(in: element, at: "\(path)[\(index)]") }
        case let .object(properties, required, open, additional):
            guard let object = value as? [String: Any] else {
                return [FieldError(path, "must be an object")]
            }
            func child(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }
            var problems: [FieldError] = []
            for (key, schema) in properties {
                if let member = object[key] {
                    problems += schema.problems(in: member, at: child(key))
                } else if required.contains(key) {
                    problems.append(FieldError(child(key), "is required"))
                }
            }
            let known = Set(properties.map(\.0))
            for key in object.keys.sorted() where !known.contains(key) {
                if let additional, let member = object[key] {
                    problems += additional.problems(in: member, at: child(key))
                } else if !open {
                    problems.append(FieldError(child(key), "is not a known field"))
                }
            }
            return problems
        }
    }

    /// Whether `JSONSerialization` read `number` from `true` or `false` (it gives booleans
    /// their own `NSNumber` subclass; `is Bool` would also match the numbers 0 and 1).
    private static func isBoolean(_ number: NSNumber) -> Bool {
        ObjectIdentifier(type(of: number)) == booleanType
    }

    private static let booleanType = ObjectIdentifier(type(of: NSNumber(value: true)))
}

extension JSONSchema.StringFormat {
    func accepts(_ text: String) -> Bool {
        switch self {
        case .date:
            LocalDate(text) != nil
        case .dateTime:
            Request.parseTimestamp(text) != nil
        case .uuid:
            UUID(uuidString: text) != nil
        case .byte:
            Data(base64Encoded: text) != nil
        }
    }

    var expectation: String {
        switch self {
        case .date: "must be a date YYYY-MM-DD"
        case .dateTime: "must be an ISO-8601 date and time with a zone, e.g. 2026-11-21T10:30:00+09:00"
        case .uuid: "must be a record id"
        case .byte: "must be base64"
        }
    }
}

extension JSONSchema {
    /// The problems of a query parameter's text `value` against this schema (a number for an
    /// integer schema, else the text itself), with no control or format characters.
    func problems(inQueryValue value: String, named name: String) -> [FieldError] {
        if case .integer = kind {
            guard let number = Int(value) else { return [FieldError(name, "must be a whole number")] }
            return problems(in: NSNumber(value: number), at: name)
        }
        if value.unicodeScalars.contains(where: { [Unicode.GeneralCategory.control, .format].contains($0.properties.generalCategory) }) {
            return [FieldError(name, "must not contain invisible or control characters")]
        }
        return problems(in: value, at: name)
    }
}
