extension JSONSchema {
    /// This schema as JSON Schema 2020-12 (OpenAPI 3.1): a `$ref` to `components` for a named
    /// schema, whose definition is added to `components`.
    func document(components: inout [String: JSONValue]) -> JSONValue {
        guard let name else { return definition(components: &components) }
        if components[name] == nil {
            components[name] = .null  // reserved first, so a schema naming itself cannot loop
            var unnamed = self
            unnamed.name = nil
            unnamed.nullable = false
            components[name] = unnamed.definition(components: &components)
        }
        let reference: JSONValue = ["$ref": .string("#/components/schemas/\(name)")]
        return nullable ? ["anyOf": [reference, ["type": "null"]]] : reference
    }

    /// The schema written out in full.
    func definition(components: inout [String: JSONValue]) -> JSONValue {
        var members: [String: JSONValue] = [:]
        func type(_ name: String) -> JSONValue { nullable ? [.string(name), "null"] : .string(name) }
        switch kind {
        case let .string(format, values, minLength, maxLength, pattern):
            members["type"] = type("string")
            if let format { members["format"] = .string(format.rawValue) }
            if let values { members["enum"] = .array(values.map(JSONValue.string) + (nullable ? [.null] : [])) }
            if let minLength { members["minLength"] = .integer(minLength) }
            if let maxLength { members["maxLength"] = .integer(maxLength) }
            if let pattern { members["pattern"] = .string(pattern) }
        case let .integer(minimum, maximum):
            members["type"] = type("integer")
            if let minimum { members["minimum"] = .integer(minimum) }
            if let maximum { members["maximum"] = .integer(maximum) }
        case .boolean:
            members["type"] = type("boolean")
        case let .array(items, maxItems):
            members["type"] = type("array")
            members["items"] = items.document(components: &components)
            if let maxItems { members["maxItems"] = .integer(maxItems) }
        case let .object(properties, required, open, additional):
            members["type"] = type("object")
            var documented: [String: JSONValue] = [:]
            for (key, schema) in properties { documented[key] = schema.document(components: &components) }
            members["properties"] = .object(documented)
            members["required"] = .array(properties.map(\.0).filter(required.contains).map(JSONValue.string))
            if let additional {
                members["additionalProperties"] = additional.document(components: &components)
            } else if !open {
                members["additionalProperties"] = false
            }
        }
        if let description { members["description"] = .string(description) }
        if let example = resolvedExample { members["examples"] = [example] }
        return .object(members)
    }
}
