import Foundation

/// The shape of a JSON value: the subset of JSON Schema 2020-12 (as OpenAPI 3.1 uses it) that
/// the API needs.
///
/// The one description of every request body: ``Request/decodeStrictly(_:schema:context:)``
/// checks bodies against it (every offending field in one 422), and ``OpenAPIDocument``
/// publishes it. Field names and types live here, in the server layer; what the fields mean
/// (lengths, identifiers, dates in order) is checked by the registry.
struct JSONSchema: Sendable {
    /// A string's format, checked when the value is read.
    enum StringFormat: String, Sendable {
        /// `YYYY-MM-DD`.
        case date
        /// ISO-8601 date and time with a zone.
        case dateTime = "date-time"
        /// A record id.
        case uuid
        /// Base64 (standard alphabet).
        case byte
    }

    indirect enum Kind: Sendable {
        case string(format: StringFormat?, values: [String]?, minLength: Int?, maxLength: Int?, pattern: String?)
        case integer(minimum: Int?, maximum: Int?)
        case boolean
        case array(JSONSchema, maxItems: Int?)
        /// A closed object (no other fields) unless `open`; an open one's other fields follow
        /// `additional` when given (a map).
        case object(properties: [(String, JSONSchema)], required: Set<String>, open: Bool, additional: JSONSchema?)
    }

    var kind: Kind
    /// The component name; the document refers to it with `$ref`.
    var name: String?
    /// Whether `null` is allowed (it is never allowed unless said here).
    var nullable = false
    var description: String?
    var example: JSONValue?

    // MARK: Building

    static func string(_ description: String? = nil, format: StringFormat? = nil, minLength: Int? = nil,
                       maxLength: Int? = nil, pattern: String? = nil, example: JSONValue? = nil) -> JSONSchema {
        JSONSchema(kind: .string(format: format, values: nil, minLength: minLength, maxLength: maxLength, pattern: pattern),
                   description: description, example: example)
    }

    /// A string that is one of `values`.
    static func oneOf(_ values: [String], _ description: String? = nil) -> JSONSchema {
        JSONSchema(kind: .string(format: nil, values: values, minLength: nil, maxLength: nil, pattern: nil),
                   description: description, example: values.first.map(JSONValue.string))
    }

    /// A string that is one of the cases of `type`.
    static func oneOf<T: CaseIterable & RawRepresentable>(_ type: T.Type, _ description: String? = nil) -> JSONSchema
    where T.RawValue == String {
        oneOf(type.allCases.map(\.rawValue), description)
    }

    static func integer(_ description: String? = nil, minimum: Int? = nil, maximum: Int? = nil,
                        example: JSONValue? = nil) -> JSONSchema {
        JSONSchema(kind: .integer(minimum: minimum, maximum: maximum), description: description, example: example)
    }

    static func boolean(_ description: String? = nil, example: JSONValue? = nil) -> JSONSchema {
        JSONSchema(kind: .boolean, description: description, example: example)
    }

    static func array(_ items: JSONSchema, _ description: String? = nil, maxItems: Int? = nil) -> JSONSchema {
        JSONSchema(kind: .array(items, maxItems: maxItems), description: description)
    }

    static let date = string("A calendar date.", format: .date, example: "2026-12-01")
    static let dateTime = string("A date and time with a zone.", format: .dateTime, example: "2026-11-21T10:30:00+09:00")
    static let id = string("A record id (UUID text; new ones are version 7).", format: .uuid, example: "019af3c2-8d41-7b6e-9c3b-2d4e6f8a0b1c")

    /// A named object. Fields are listed in order; each is required unless marked with
    /// ``optional(_:)``. Unless `open`, other fields are refused.
    static func object(_ name: String? = nil, _ description: String? = nil, open: Bool = false,
                       additional: JSONSchema? = nil, _ fields: [(String, Field)]) -> JSONSchema {
        JSONSchema(kind: .object(properties: fields.map { ($0.0, $0.1.schema) },
                                 required: Set(fields.filter { $0.1.required }.map(\.0)), open: open || additional != nil,
                                 additional: additional),
                   name: name, description: description)
    }

    /// One field of an object: its schema, and whether it must be given.
    struct Field: Sendable {
        var schema: JSONSchema
        var required: Bool
    }

    /// This schema, as an object field that may be left out.
    var optional: Field { Field(schema: self, required: false) }
    /// This schema, as an object field that must be given.
    var required: Field { Field(schema: self, required: true) }

    /// This schema, also allowing `null`.
    var orNull: JSONSchema {
        var copy = self
        copy.nullable = true
        return copy
    }

    /// This schema, named as a component of the document.
    func named(_ name: String) -> JSONSchema {
        var copy = self
        copy.name = name
        return copy
    }

    /// This schema with an example.
    func example(_ value: JSONValue) -> JSONSchema {
        var copy = self
        copy.example = value
        return copy
    }

    /// The example of this schema: its own, or one built from its parts. An object's example
    /// holds its required fields only (optional ones may depend on each other, like a proxy's
    /// relationship); give an object an explicit example to show more.
    var resolvedExample: JSONValue? {
        if let example { return example }
        switch kind {
        case let .object(properties, required, _, _):
            var members: [String: JSONValue] = [:]
            for (key, schema) in properties where required.contains(key) {
                if let value = schema.resolvedExample { members[key] = value }
            }
            return .object(members)
        case let .array(items, _):
            return items.resolvedExample.map { .array([$0]) }
        case .boolean:
            return .bool(false)
        case let .integer(minimum, _):
            return .integer(minimum ?? 1)
        case let .string(format, values, minLength, _, _):
            if let first = values?.first { return .string(first) }
            switch format {
            case .date: return "2026-12-01"
            case .dateTime: return "2026-11-21T10:30:00+09:00"
            case .uuid: return "019af3c2-8d41-7b6e-9c3b-2d4e6f8a0b1c"
            case .byte: return "iVBORw0KGgo="
            case nil: return .string(String(repeating: "x", count: max(1, minLength ?? 1)))
            }
        }
    }
}
