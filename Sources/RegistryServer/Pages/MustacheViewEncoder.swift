/// Turns an `Encodable` page view into the dictionaries, arrays and scalars ``MustacheView``
/// hands to swift-mustache, through the type's own `encode(to:)` instead of `Mirror`.
///
/// Profiled on the Today page, reflecting a list of fifty loan rows with `Mirror` took a fifth of
/// the page's time; the synthesized `Encodable` conformance reaches the same fields several times
/// faster. The result is what ``MustacheView/flatten(_:)`` gives for the same struct: each stored
/// property by its name, an absent optional left out, arrays as arrays, and `String`, `Int`,
/// `Bool` (and other numbers) as themselves. A view opts in by conforming to `Encodable`; keep
/// enums out of such views (they would encode as their raw value, where `Mirror` names the case).
enum MustacheViewEncoder {
    /// `value` as Mustache's plain values; `nil` when it encodes nothing.
    static func values(of value: some Encodable) -> Any? {
        let root = Node()
        do {
            try value.encode(to: NodeEncoder(node: root, codingPath: []))
        } catch {
            // A page view's conformance is synthesized and does not throw; should one ever, the
            // page is still drawn (through Mirror) rather than left blank.
            assertionFailure("a page view failed to encode: \(type(of: value))")
            return MustacheView.reflected(value)
        }
        return root.resolved()
    }

    /// One value in the tree being built: a reference, so nested containers can fill it later.
    fileprivate final class Node {
        var scalar: Any?
        var members: [String: Node]?
        var elements: [Node]?

        func resolved() -> Any? {
            if let members { return members.compactMapValues { $0.resolved() } }
            if let elements { return elements.compactMap { $0.resolved() } }
            return scalar
        }

        func becomeObject() {
            if members == nil { members = [:] }
        }

        func becomeArray() {
            if elements == nil { elements = [] }
        }

        /// A new member named `key` (this node becomes an object if it was not one).
        func member(_ key: String) -> Node {
            let node = Node()
            if members == nil { members = [:] }
            members?[key] = node
            return node
        }

        /// A new element at the end (this node becomes an array if it was not one).
        func element() -> Node {
            let node = Node()
            if elements == nil { elements = [] }
            elements?.append(node)
            return node
        }

        var count: Int { elements?.count ?? 0 }

        /// Stores `value`: plain scalars as themselves, anything else through its own encoding.
        func store<T: Encodable>(_ value: T, codingPath: [any CodingKey]) throws {
            switch value {
            case let text as String: scalar = text
            case let flag as Bool: scalar = flag
            case let number as Int: scalar = number
            case let number as Double: scalar = number
            default: try value.encode(to: NodeEncoder(node: self, codingPath: codingPath))
            }
        }
    }

    private struct NodeEncoder: Encoder {
        let node: Node
        let codingPath: [any CodingKey]
        var userInfo: [CodingUserInfoKey: Any] { [:] }

        func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
            node.becomeObject()
            return KeyedEncodingContainer(KeyedContainer<Key>(node: node, codingPath: codingPath))
        }

        func unkeyedContainer() -> any UnkeyedEncodingContainer {
            node.becomeArray()
            return UnkeyedContainer(node: node, codingPath: codingPath)
        }

        func singleValueContainer() -> any SingleValueEncodingContainer {
            SingleValueContainer(node: node, codingPath: codingPath)
        }
    }

    private struct KeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
        let node: Node
        let codingPath: [any CodingKey]

        mutating func encodeNil(forKey key: Key) throws {}
        mutating func encode(_ value: Bool, forKey key: Key) throws { node.member(key.stringValue).scalar = value }
        mutating func encode(_ value: String, forKey key: Key) throws { node.member(key.stringValue).scalar = value }
        mutating func encode(_ value: Double, forKey key: Key) throws { node.member(key.stringValue).scalar = value }
        mutating func encode(_ value: Float, forKey key: Key) throws { node.member(key.stringValue).scalar = value }
        mutating func encode(_ value: Int, forKey key: Key) throws { node.member(key.stringValue).scalar = value }
        mutating func encode(_ value: Int8, forKey key: Key) throws { node.member(key.stringValue).scalar = value }
        mutating func encode(_ value: Int16, forKey key: Key) throws { node.member(key.stringValue).scalar = value }
        mutating func encode(_ value: Int32, forKey key: Key) throws { node.member(key.stringValue).scalar = value }
        mutating func encode(_ value: Int64, forKey key: Key) throws { node.member(key.stringValue).scalar = value }
        mutating func encode(_ value: UInt, forKey key: Key) throws { node.member(key.stringValue).scalar = value }
        mutating func encode(_ value: UInt8, forKey key: Key) throws { node.member(key.stringValue).scalar = value }
        mutating func encode(_ value: UInt16, forKey key: Key) throws { node.member(key.stringValue).scalar = value }
        mutating func encode(_ value: UInt32, forKey key: Key) throws { node.member(key.stringValue).scalar = value }
        mutating func encode(_ value: UInt64, forKey key: Key) throws { node.member(key.stringValue).scalar = value }

        mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
            try node.member(key.stringValue).store(value, codingPath: codingPath + [key])
        }

        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type,
                                                            forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
            NodeEncoder(node: node.member(key.stringValue), codingPath: codingPath + [key]).container(keyedBy: keyType)
        }

        mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
            NodeEncoder(node: node.member(key.stringValue), codingPath: codingPath + [key]).unkeyedContainer()
        }

        mutating func superEncoder() -> any Encoder {
            NodeEncoder(node: node.member("super"), codingPath: codingPath)
        }

        mutating func superEncoder(forKey key: Key) -> any Encoder {
            NodeEncoder(node: node.member(key.stringValue), codingPath: codingPath + [key])
        }
    }

    private struct UnkeyedContainer: UnkeyedEncodingContainer {
        let node: Node
        let codingPath: [any CodingKey]
        var count: Int { node.count }

        mutating func encodeNil() throws { _ = node.element() }
        mutating func encode(_ value: Bool) throws { node.element().scalar = value }
        mutating func encode(_ value: String) throws { node.element().scalar = value }
        mutating func encode(_ value: Double) throws { node.element().scalar = value }
        mutating func encode(_ value: Float) throws { node.element().scalar = value }
        mutating func encode(_ value: Int) throws { node.element().scalar = value }
        mutating func encode(_ value: Int8) throws { node.element().scalar = value }
        mutating func encode(_ value: Int16) throws { node.element().scalar = value }
        mutating func encode(_ value: Int32) throws { node.element().scalar = value }
        mutating func encode(_ value: Int64) throws { node.element().scalar = value }
        mutating func encode(_ value: UInt) throws { node.element().scalar = value }
        mutating func encode(_ value: UInt8) throws { node.element().scalar = value }
        mutating func encode(_ value: UInt16) throws { node.element().scalar = value }
        mutating func encode(_ value: UInt32) throws { node.element().scalar = value }
        mutating func encode(_ value: UInt64) throws { node.element().scalar = value }

        mutating func encode<T: Encodable>(_ value: T) throws {
            try node.element().store(value, codingPath: codingPath)
        }

        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
            NodeEncoder(node: node.element(), codingPath: codingPath).container(keyedBy: keyType)
        }

        mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
            NodeEncoder(node: node.element(), codingPath: codingPath).unkeyedContainer()
        }

        mutating func superEncoder() -> any Encoder {
            NodeEncoder(node: node.element(), codingPath: codingPath)
        }
    }

    private struct SingleValueContainer: SingleValueEncodingContainer {
        let node: Node
        let codingPath: [any CodingKey]

        mutating func encodeNil() throws { node.scalar = nil }
        mutating func encode(_ value: Bool) throws { node.scalar = value }
        mutating func encode(_ value: String) throws { node.scalar = value }
        mutating func encode(_ value: Double) throws { node.scalar = value }
        mutating func encode(_ value: Float) throws { node.scalar = value }
        mutating func encode(_ value: Int) throws { node.scalar = value }
        mutating func encode(_ value: Int8) throws { node.scalar = value }
        mutating func encode(_ value: Int16) throws { node.scalar = value }
        mutating func encode(_ value: Int32) throws { node.scalar = value }
        mutating func encode(_ value: Int64) throws { node.scalar = value }
        mutating func encode(_ value: UInt) throws { node.scalar = value }
        mutating func encode(_ value: UInt8) throws { node.scalar = value }
        mutating func encode(_ value: UInt16) throws { node.scalar = value }
        mutating func encode(_ value: UInt32) throws { node.scalar = value }
        mutating func encode(_ value: UInt64) throws { node.scalar = value }

        mutating func encode<T: Encodable>(_ value: T) throws {
            try node.store(value, codingPath: codingPath)
        }
    }
}
