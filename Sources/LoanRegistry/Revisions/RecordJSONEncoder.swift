package import Foundation

/// Encodes records as the registry answers them: JSON byte for byte as `JSONEncoder` writes it
/// with `.sortedKeys`, `.withoutEscapingSlashes` and `.iso8601` dates (tested on every record
/// type the REST API returns), so bodies, `ETag`s (``Revision``) and the revisions staff send
/// back are the same whichever encoded them.
///
/// Why not `JSONEncoder`: profiled on the overdue list (50 loans with their explanations), it
/// was a third of the server's CPU: each value passes through boxes, casts for its special types
/// and a tree of futures before a writer sorts every object. This one writes text for scalars at
/// once and keeps only objects and arrays as nodes. A value of a type it does not write the same
/// way (a floating-point number, `Decimal`) sends the whole record to `JSONEncoder`.
package enum RecordJSONEncoder {
    /// `value` as JSON.
    ///
    /// - Throws: `EncodingError` when `value` encodes nothing at all, or what `value`'s own
    ///   `encode(to:)` throws.
    package static func encode<T: Encodable>(_ value: T) throws -> Data {
        let encoder = NodeEncoder(arena: Arena())
        do {
            try encoder.encodeValue(value)
        } catch is Unsupported {
            return try fallback.encode(value)
        }
        guard let node = encoder.node else {
            throw EncodingError.invalidValue(value, EncodingError.Context(
                codingPath: [], debugDescription: "Top-level \(T.self) did not encode any values."))
        }
        var out: [UInt8] = []
        out.reserveCapacity(encoder.arena.bytes.count + 1024)
        node.write(to: &out, from: encoder.arena)
        let json = Data(out)
        #if DEBUG
        // Every test that encodes a record checks the promise above on it.
        assert(json == (try? fallback.encode(value)), "RecordJSONEncoder and JSONEncoder differ on a \(T.self)")
        #endif
        return json
    }

    private static var fallback: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }

    /// A value this encoder does not write exactly as `JSONEncoder` would.
    struct Unsupported: Error {}
}

/// An encoded value: a scalar as the range of its text in the ``Arena``; objects and arrays
/// filled in as they are encoded, written out (keys sorted) at the end.
private enum Node {
    case raw(Range<Int>)
    case object(ObjectBox)
    case array(ArrayBox)

    func write(to out: inout [UInt8], from arena: Arena) {
        switch self {
        case .raw(let range):
            out.append(contentsOf: arena.bytes[range])
        case .object(let box):
            out.append(UInt8(ascii: "{"))
            var first = true
            for member in box.sortedMembers() {
                if !first { out.append(UInt8(ascii: ",")) }
                first = false
                appendQuoted(member.key, to: &out)
                out.append(UInt8(ascii: ":"))
                member.value.write(to: &out, from: arena)
            }
            out.append(UInt8(ascii: "}"))
        case .array(let box):
            out.append(UInt8(ascii: "["))
            for (index, element) in box.elements.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                element.write(to: &out, from: arena)
            }
            out.append(UInt8(ascii: "]"))
        }
    }
}

private final class ObjectBox {
    var members: [(key: String, value: Node)] = []

    /// The value last given for `key`, if any.
    func last(_ key: String) -> Node? {
        members.last { $0.key == key }?.value
    }

    /// The members sorted by their keys' UTF-8 bytes, as JSONEncoder's `.sortedKeys` does; a
    /// key given twice keeps its last value, as JSONEncoder's dictionary does.
    func sortedMembers() -> [(key: String, value: Node)] {
        guard members.count > 1 else { return members }
        // Positions sorted by (key, position), so that equal keys stay in the order given.
        var order = Array(members.indices)
        order.sort { left, right in
            let comparison = Self.compare(members[left].key, members[right].key)
            return comparison != 0 ? comparison < 0 : left < right
        }
        var sorted: [(key: String, value: Node)] = []
        sorted.reserveCapacity(members.count)
        for (rank, index) in order.enumerated() {
            if rank + 1 < order.count, Self.compare(members[order[rank + 1]].key, members[index].key) == 0 {
                continue  // the same key again, given later: that value stays
            }
            sorted.append(members[index])
        }
        return sorted
    }

    /// `a` against `b` by UTF-8 bytes: negative, zero or positive.
    private static func compare(_ a: String, _ b: String) -> Int {
        let order = a.utf8.withContiguousStorageIfAvailable { x in
            b.utf8.withContiguousStorageIfAvailable { y -> Int in
                let common = min(x.count, y.count)
                if common > 0, let left = x.baseAddress, let right = y.baseAddress {
                    let order = memcmp(left, right, common)
                    if order != 0 { return Int(order) }
                }
                return x.count - y.count
            }
        }
        if let order = order ?? nil { return order }
        if a.utf8.elementsEqual(b.utf8) { return 0 }
        return a.utf8.lexicographicallyPrecedes(b.utf8) ? -1 : 1
    }
}

private final class ArrayBox {
    var elements: [Node] = []
}

/// The text of every scalar of one encoding, one after another.
private final class Arena {
    var bytes: [UInt8] = []

    init() {
        bytes.reserveCapacity(16 * 1024)
    }

    func quoted(_ text: String) -> Node {
        let start = bytes.count
        appendQuoted(text, to: &bytes)
        return .raw(start..<bytes.count)
    }

    func plain(_ text: String) -> Node {
        let start = bytes.count
        bytes.append(contentsOf: text.utf8)
        return .raw(start..<bytes.count)
    }

    var null: Node { plain("null") }
}

/// `text` as a JSON string: `"` and `\` escaped, control characters as `\n`-style or `\u00XX`
/// escapes, everything else (slashes, non-ASCII) as it is.
private func appendQuoted(_ text: String, to out: inout [UInt8]) {
    out.append(UInt8(ascii: "\""))
    // Most text needs no escape: copied whole.
    func needsEscape(_ byte: UInt8) -> Bool { byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") }
    let escapes = text.utf8.withContiguousStorageIfAvailable { $0.contains(where: needsEscape) }
        ?? text.utf8.contains(where: needsEscape)
    guard escapes else {
        out.append(contentsOf: text.utf8)
        out.append(UInt8(ascii: "\""))
        return
    }
    let hex = Array("0123456789abcdef".utf8)
    for byte in text.utf8 {
        switch byte {
        case UInt8(ascii: "\""): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
        case UInt8(ascii: "\\"): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
        case 0x0A: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
        case 0x0D: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
        case 0x09: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
        case 0x08: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "b")])
        case 0x0C: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "f")])
        case 0x00..<0x20:
            out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"),
                                    hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]])
        default: out.append(byte)
        }
    }
    out.append(UInt8(ascii: "\""))
}

/// The `Encoder` a value encodes itself to; holds the one node it produced.
private final class NodeEncoder: Encoder {
    let arena: Arena
    var userInfo: [CodingUserInfoKey: Any] { [:] }
    var node: Node?
    /// The encoder of the containing value and this one's key in it (the path is built only when asked).
    private let parent: NodeEncoder?
    private let key: (any CodingKey)?

    var codingPath: [any CodingKey] {
        guard let parent, let key else { return [] }
        return parent.codingPath + [key]
    }

    init(arena: Arena, parent: NodeEncoder? = nil, key: (any CodingKey)? = nil) {
        self.arena = arena
        self.parent = parent
        self.key = key
    }

    /// Encodes `value` into this encoder's node: scalars and the special types directly.
    func encodeValue<T: Encodable>(_ value: T) throws {
        node = try scalar(value) ?? {
            try value.encode(to: self)
            return node
        }()
    }

    /// `value`'s node when it is a scalar or a type JSONEncoder writes specially; `nil` otherwise.
    /// (Compares types, not casts: most values are not scalars, and each failed cast costs.)
    func scalar<T: Encodable>(_ value: T) throws -> Node? {
        let type = T.self
        if type == String.self, let text = value as? String { return arena.quoted(text) }
        if type == Date.self, let date = value as? Date { return arena.quoted(Self.iso8601(date)) }
        if type == Int.self, let number = value as? Int { return arena.plain(String(number)) }
        if type == Bool.self, let flag = value as? Bool { return arena.plain(flag ? "true" : "false") }
        if type == Int64.self, let number = value as? Int64 { return arena.plain(String(number)) }
        if type == Int32.self, let number = value as? Int32 { return arena.plain(String(number)) }
        if type == Int16.self, let number = value as? Int16 { return arena.plain(String(number)) }
        if type == Int8.self, let number = value as? Int8 { return arena.plain(String(number)) }
        if type == UInt.self, let number = value as? UInt { return arena.plain(String(number)) }
        if type == UInt64.self, let number = value as? UInt64 { return arena.plain(String(number)) }
        if type == UInt32.self, let number = value as? UInt32 { return arena.plain(String(number)) }
        if type == UInt16.self, let number = value as? UInt16 { return arena.plain(String(number)) }
        if type == UInt8.self, let number = value as? UInt8 { return arena.plain(String(number)) }
        if type == URL.self, let url = value as? URL { return arena.quoted(url.absoluteString) }
        if type == Data.self, let data = value as? Data { return arena.quoted(data.base64EncodedString()) }
        if type == Double.self || type == Float.self || type == Decimal.self { throw RecordJSONEncoder.Unsupported() }
        return nil
    }

    /// `date` as `.iso8601` writes it, `2026-12-07T01:24:16Z` (whole seconds, rounded down), by
    /// arithmetic for years 1600–9999 (H. Hinnant's `civil_from_days`); others by the format style.
    static func iso8601(_ date: Date) -> String {
        // Rounded down from the stored interval (since 2001), as Foundation's calendar does:
        // the interval since 1970 is a sum, rounded once more, and can cross a second.
        let sinceReference = date.timeIntervalSinceReferenceDate.rounded(.down)
        guard sinceReference >= -12_654_403_200, sinceReference < 252_423_993_600 else {
            return date.formatted(Date.ISO8601FormatStyle())
        }
        let total = Int(sinceReference) + 978_307_200
        let days = total >= 0 ? total / 86_400 : (total - 86_399) / 86_400
        let secondOfDay = total - days * 86_400
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        var out = [UInt8](repeating: UInt8(ascii: "0"), count: 20)
        func put(_ value: Int, at offset: Int, width: Int) {
            var value = value
            for position in stride(from: offset + width - 1, through: offset, by: -1) {
                out[position] = UInt8(ascii: "0") + UInt8(value % 10)
                value /= 10
            }
        }
        put(year, at: 0, width: 4)
        out[4] = UInt8(ascii: "-")
        put(month, at: 5, width: 2)
        out[7] = UInt8(ascii: "-")
        put(day, at: 8, width: 2)
        out[10] = UInt8(ascii: "T")
        put(secondOfDay / 3600, at: 11, width: 2)
        out[13] = UInt8(ascii: ":")
        put(secondOfDay / 60 % 60, at: 14, width: 2)
        out[16] = UInt8(ascii: ":")
        put(secondOfDay % 60, at: 17, width: 2)
        out[19] = UInt8(ascii: "Z")
        return String(decoding: out, as: UTF8.self)
    }

    func child(_ key: any CodingKey) -> NodeEncoder {
        NodeEncoder(arena: arena, parent: self, key: key)
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        let box: ObjectBox
        if case .object(let existing) = node {
            box = existing
        } else {
            box = ObjectBox()
            node = .object(box)
        }
        return KeyedEncodingContainer(KeyedContainer<Key>(encoder: self, box: box))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        let box: ArrayBox
        if case .array(let existing) = node {
            box = existing
        } else {
            box = ArrayBox()
            node = .array(box)
        }
        return UnkeyedContainer(encoder: self, box: box)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        SingleValueContainer(encoder: self)
    }
}

private struct KeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let encoder: NodeEncoder
    let box: ObjectBox
    var codingPath: [any CodingKey] { encoder.codingPath }

    mutating func encodeNil(forKey key: Key) throws {
        box.members.append((key.stringValue, encoder.arena.null))
    }

    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        if let node = try encoder.scalar(value) {
            box.members.append((key.stringValue, node))
            return
        }
        let child = encoder.child(key)
        try value.encode(to: child)
        box.members.append((key.stringValue, child.node ?? .object(ObjectBox())))
    }

    /// A nested container asked for twice under one key fills the same object (or array), as JSONEncoder's does.
    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type,
                                                        forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        let nested: ObjectBox
        if case .object(let existing) = box.last(key.stringValue) {
            nested = existing
        } else {
            nested = ObjectBox()
            box.members.append((key.stringValue, .object(nested)))
        }
        return KeyedEncodingContainer(KeyedContainer<NestedKey>(encoder: encoder.child(key), box: nested))
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        let nested: ArrayBox
        if case .array(let existing) = box.last(key.stringValue) {
            nested = existing
        } else {
            nested = ArrayBox()
            box.members.append((key.stringValue, .array(nested)))
        }
        return UnkeyedContainer(encoder: encoder.child(key), box: nested)
    }

    mutating func superEncoder() -> any Encoder {
        superEncoder(named: SuperKey())
    }

    mutating func superEncoder(forKey key: Key) -> any Encoder {
        superEncoder(named: key)
    }

    /// The member is `{}` until something is encoded to it, as with JSONEncoder.
    private func superEncoder(named key: any CodingKey) -> any Encoder {
        let index = box.members.count
        box.members.append((key.stringValue, .object(ObjectBox())))
        return SuperEncoder(parent: encoder.child(key)) { [box] node in box.members[index] = (key.stringValue, node) }
    }

    /// The key JSONEncoder gives `superEncoder()`.
    private struct SuperKey: CodingKey {
        var stringValue: String { "super" }
        var intValue: Int? { nil }
        init() {}
        init?(stringValue: String) { nil }
        init?(intValue: Int) { nil }
    }
}

private struct UnkeyedContainer: UnkeyedEncodingContainer {
    let encoder: NodeEncoder
    let box: ArrayBox
    var codingPath: [any CodingKey] { encoder.codingPath }
    var count: Int { box.elements.count }

    private struct Index: CodingKey {
        let intValue: Int?
        var stringValue: String { "Index \(intValue ?? 0)" }
        init(intValue: Int) { self.intValue = intValue }
        init?(stringValue: String) { nil }
    }

    mutating func encodeNil() throws {
        box.elements.append(encoder.arena.null)
    }

    mutating func encode<T: Encodable>(_ value: T) throws {
        if let node = try encoder.scalar(value) {
            box.elements.append(node)
            return
        }
        let child = encoder.child(Index(intValue: count))
        try value.encode(to: child)
        box.elements.append(child.node ?? .object(ObjectBox()))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        let nested = ObjectBox()
        let key = Index(intValue: count)
        box.elements.append(.object(nested))
        return KeyedEncodingContainer(KeyedContainer<NestedKey>(encoder: encoder.child(key), box: nested))
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let nested = ArrayBox()
        let key = Index(intValue: count)
        box.elements.append(.array(nested))
        return UnkeyedContainer(encoder: encoder.child(key), box: nested)
    }

    mutating func superEncoder() -> any Encoder {
        let index = box.elements.count
        box.elements.append(.object(ObjectBox()))
        return SuperEncoder(parent: encoder.child(Index(intValue: index))) { [box] node in box.elements[index] = node }
    }
}

private struct SingleValueContainer: SingleValueEncodingContainer {
    let encoder: NodeEncoder
    var codingPath: [any CodingKey] { encoder.codingPath }

    mutating func encodeNil() throws {
        encoder.node = encoder.arena.null
    }

    mutating func encode<T: Encodable>(_ value: T) throws {
        try encoder.encodeValue(value)
    }
}

/// The encoder `superEncoder()` hands out; what is encoded to it lands where the parent reserved.
/// (Rare: no registry type uses it; kept so any `Encodable` encodes as JSONEncoder would.)
private final class SuperEncoder: Encoder {
    let parent: NodeEncoder
    let place: (Node) -> Void
    var codingPath: [any CodingKey] { parent.codingPath }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    init(parent: NodeEncoder, place: @escaping (Node) -> Void) {
        self.parent = parent
        self.place = place
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        let container = parent.container(keyedBy: type)
        if let node = parent.node { place(node) }
        return container
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        let container = parent.unkeyedContainer()
        if let node = parent.node { place(node) }
        return container
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        SuperValueContainer(encoder: parent, place: place)
    }
}

private struct SuperValueContainer: SingleValueEncodingContainer {
    let encoder: NodeEncoder
    let place: (Node) -> Void
    var codingPath: [any CodingKey] { encoder.codingPath }

    mutating func encodeNil() throws {
        place(encoder.arena.null)
    }

    mutating func encode<T: Encodable>(_ value: T) throws {
        try encoder.encodeValue(value)
        if let node = encoder.node { place(node) }
    }
}
