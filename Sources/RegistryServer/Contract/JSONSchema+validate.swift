import Foundation
import Hummingbird
import LoanRegistry

extension JSONSchema {
    /// Every way `value` breaks this schema, each naming its field by path (`signer.name`,
    /// `items[2]`) and never echoing the value.
    func problems(in value: RequestJSON, at path: String = "") -> [FieldError] {
        if case .null = value {
            return nullable ? [] : [FieldError(path, "must not be null")]
        }
        switch kind {
        case let .string(format, values, minLength, maxLength, _):
            guard case .string(let text) = value else { return [FieldError(path, "must be text")] }
            if let values, !values.contains(text) {
                return [FieldError(path, "must be one of " + values.joined(separator: ", "))]
            }
            // Lengths in code points, as JSON Schema and SQLite's length() count them, of the
            // text as it will be stored (NFC: a decomposed name is not longer than its precomposed form).
            let length = text.nfc.unicodeScalars.count
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
            guard case .number(let number) = value, number.rounded() == number, abs(number) <= Double(Int32.max) else {
                return [FieldError(path, "must be a whole number")]
            }
            if let minimum, Int(number) < minimum { return [FieldError(path, "must be at least \(minimum)")] }
            if let maximum, Int(number) > maximum { return [FieldError(path, "must be at most \(maximum)")] }
            return []
        case .boolean:
            guard case .bool = value else { return [FieldError(path, "must be true or false")] }
            return []
        case let .array(items, maxItems):
            guard case .array(let array) = value else { return [FieldError(path, "must be a list")] }
            if let maxItems, array.count > maxItems { return [FieldError(path, "must have at most \(maxItems) items")] }
            return array.enumerated().flatMap { index, element in items.problems(in: element, at: "\(path)[\(index)]") }
        case let .object(properties, required, open, additional):
            guard case .object(let object, let order) = value else {
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
            let unknown = order.filter { key in !properties.contains { $0.0 == key } }
            for key in unknown.sorted() {
                if let additional, let member = object[key] {
                    problems += additional.problems(in: member, at: child(key))
                } else if !open {
                    problems.append(FieldError(child(key), "is not a known field"))
                }
            }
            return problems
        }
    }
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
            return problems(in: .number(Double(number)), at: name)
        }
        if value.unicodeScalars.contains(where: { [Unicode.GeneralCategory.control, .format].contains($0.properties.generalCategory) }) {
            return [FieldError(name, "must not contain invisible or control characters")]
        }
        return problems(in: .string(value), at: name)
    }
}
