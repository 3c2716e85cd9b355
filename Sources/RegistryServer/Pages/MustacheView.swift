/// Turns a page's view (structs, arrays, optionals) into dictionaries and arrays once, before
/// rendering.
///
/// swift-mustache looks names up in a dictionary directly but walks a struct's `Mirror` children
/// for every `{{name}}`; profiled, that walk was two thirds of a page's time. Reflecting each value
/// once here keeps templates reading plain Swift types.
enum MustacheView {
    /// `value` as strings, numbers, booleans, `[String: Any]` and `[Any]`; `nil` for an absent optional.
    static func flatten(_ value: Any) -> Any? {
        switch value {
        case let text as String: return text
        case let flag as Bool: return flag
        case let number as Int: return number
        case let table as [String: String]: return table
        case let view as any EncodedPageView: return MustacheViewEncoder.values(of: view)
        default: return reflected(value)
        }
    }

    /// `value` flattened through `Mirror` (structs, classes, collections, dictionaries, optionals).
    static func reflected(_ value: Any) -> Any? {
        let mirror = Mirror(reflecting: value)
        switch mirror.displayStyle {
        case .optional:
            return mirror.children.first.flatMap { flatten($0.value) }
        case .collection, .set:
            return mirror.children.compactMap { flatten($0.value) }
        case .dictionary:
            var result: [String: Any] = [:]
            for child in mirror.children {
                let pair = Mirror(reflecting: child.value).children.map(\.value)
                if pair.count == 2, let key = pair[0] as? String, let element = flatten(pair[1]) { result[key] = element }
            }
            return result
        case .struct, .class:
            var result: [String: Any] = [:]
            for child in mirror.children {
                if let label = child.label, let element = flatten(child.value) { result[label] = element }
            }
            return result
        default:
            return value
        }
    }
}

/// A page view flattened through its `Encodable` conformance (``MustacheViewEncoder``) rather than
/// `Mirror`: for the pages with long lists. Its fields, all the way down, must be strings, numbers,
/// booleans, optionals, arrays or structs of these (no enums).
protocol EncodedPageView: Encodable {}
