/// A request body as JSON (RFC 8259), parsed to be checked against its route's schema before
/// `JSONDecoder` reads it into the route's input type.
///
/// The parser also records every key given twice in one object (`{"decision":"refused",
/// "decision":"granted"}`), which Foundation's parsers accept silently, keeping one. Keys are
/// compared after unescaping, so `"\u0064ecision"` is `decision` too.
///
/// It replaced `JSONSerialization` and a separate pass for duplicate keys: profiled on the
/// durable create, those two passes and the casts out of `Any` cost more than decoding the body.
/// Stricter than Foundation's parsers where RFC 8259 is: no trailing comma, no number too large
/// for a `Double`.
indirect enum RequestJSON: Equatable {
    case string(String)
    case number(Double)
    case bool(Bool)
    case null
    case array([RequestJSON])
    /// Members in the order given; a key given twice keeps its last value (and is reported).
    case object([String: RequestJSON], order: [String])

    /// Why a body is not JSON; never quotes the body.
    struct Malformed: Error, Equatable {
        let offset: Int
        /// Nested deeper than ``RequestJSON/maximumDepth`` (else: not JSON at `offset`).
        var tooDeep = false
    }

    /// The value of `bytes` (valid UTF-8) and the paths (`signer.name`, `items[2].kind`) of the
    /// keys given more than once, in the order met.
    ///
    /// - Throws: ``Malformed`` for anything but one JSON value with optional white space around
    ///   it, or nesting deeper than ``maximumDepth``.
    static func parse(_ bytes: [UInt8]) throws(Malformed) -> (value: RequestJSON, duplicateKeys: [String]) {
        var parser = Parser(bytes: bytes)
        let value = try parser.value(depth: 0)
        parser.skipSpace()
        guard parser.index == bytes.count else { throw Malformed(offset: parser.index) }
        return (value, parser.duplicates)
    }

    /// Objects and arrays nest at most this deep (the registry's bodies nest three levels).
    static let maximumDepth = 64

    private struct Parser {
        let bytes: [UInt8]
        var index = 0
        var duplicates: [String] = []
        /// Where the value being read sits: its keys and indexes from the top (a path is
        /// written out only for a duplicate key).
        private var trail: [Part] = []

        private enum Part {
            case key(String)
            case index(Int)
        }

        private var path: String {
            var text = ""
            for part in trail {
                switch part {
                case .key(let key): text += text.isEmpty ? key : "." + key
                case .index(let index): text += "[\(index)]"
                }
            }
            return text
        }

        init(bytes: [UInt8]) {
            self.bytes = bytes
        }

        private var current: UInt8? { index < bytes.count ? bytes[index] : nil }

        mutating func skipSpace() {
            while index < bytes.count {
                switch bytes[index] {
                case 0x20, 0x09, 0x0A, 0x0D: index += 1
                default: return
                }
            }
        }

        mutating func value(depth: Int) throws(Malformed) -> RequestJSON {
            skipSpace()
            guard let byte = current else { throw Malformed(offset: index) }
            switch byte {
            case UInt8(ascii: "{"): return try object(depth: depth + 1)
            case UInt8(ascii: "["): return try array(depth: depth + 1)
            case UInt8(ascii: "\""): return .string(try string())
            case UInt8(ascii: "t"): try literal("true"); return .bool(true)
            case UInt8(ascii: "f"): try literal("false"); return .bool(false)
            case UInt8(ascii: "n"): try literal("null"); return .null
            default: return .number(try number())
            }
        }

        private mutating func literal(_ word: StaticString) throws(Malformed) {
            let count = word.utf8CodeUnitCount
            guard index + count <= bytes.count else { throw Malformed(offset: index) }
            for offset in 0..<count where bytes[index + offset] != word.utf8Start[offset] {
                throw Malformed(offset: index + offset)
            }
            index += count
        }

        private mutating func object(depth: Int) throws(Malformed) -> RequestJSON {
            guard depth <= RequestJSON.maximumDepth else { throw Malformed(offset: index, tooDeep: true) }
            index += 1  // {
            var members: [String: RequestJSON] = [:]
            var order: [String] = []
            skipSpace()
            if current == UInt8(ascii: "}") {
                index += 1
                return .object(members, order: order)
            }
            while true {
                skipSpace()
                guard current == UInt8(ascii: "\"") else { throw Malformed(offset: index) }
                let key = try string()
                skipSpace()
                guard current == UInt8(ascii: ":") else { throw Malformed(offset: index) }
                index += 1
                trail.append(.key(key))
                let member = try value(depth: depth)
                if members.updateValue(member, forKey: key) == nil {
                    order.append(key)
                } else {
                    duplicates.append(path)
                }
                trail.removeLast()
                skipSpace()
                switch current {
                case UInt8(ascii: ","): index += 1
                case UInt8(ascii: "}"): index += 1; return .object(members, order: order)
                default: throw Malformed(offset: index)
                }
            }
        }

        private mutating func array(depth: Int) throws(Malformed) -> RequestJSON {
            guard depth <= RequestJSON.maximumDepth else { throw Malformed(offset: index, tooDeep: true) }
            index += 1  // [
            var elements: [RequestJSON] = []
            skipSpace()
            if current == UInt8(ascii: "]") {
                index += 1
                return .array(elements)
            }
            while true {
                trail.append(.index(elements.count))
                elements.append(try value(depth: depth))
                trail.removeLast()
                skipSpace()
                switch current {
                case UInt8(ascii: ","): index += 1
                case UInt8(ascii: "]"): index += 1; return .array(elements)
                default: throw Malformed(offset: index)
                }
            }
        }

        /// A string literal's text; the bytes between escapes are valid UTF-8 (checked before parsing).
        private mutating func string() throws(Malformed) -> String {
            index += 1  // "
            let start = index
            // The common case: no escape, so the text is the bytes as they are.
            while index < bytes.count {
                let byte = bytes[index]
                if byte == UInt8(ascii: "\"") {
                    index += 1
                    return String(decoding: bytes[start..<index - 1], as: UTF8.self)
                }
                if byte == UInt8(ascii: "\\") { break }
                guard byte >= 0x20 else { throw Malformed(offset: index) }
                index += 1
            }
            var text = Array(bytes[start..<index])
            while index < bytes.count {
                let byte = bytes[index]
                switch byte {
                case UInt8(ascii: "\""):
                    index += 1
                    return String(decoding: text, as: UTF8.self)
                case UInt8(ascii: "\\"):
                    index += 1
                    guard let escaped = current else { throw Malformed(offset: index) }
                    index += 1
                    switch escaped {
                    case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): text.append(escaped)
                    case UInt8(ascii: "b"): text.append(0x08)
                    case UInt8(ascii: "f"): text.append(0x0C)
                    case UInt8(ascii: "n"): text.append(0x0A)
                    case UInt8(ascii: "r"): text.append(0x0D)
                    case UInt8(ascii: "t"): text.append(0x09)
                    case UInt8(ascii: "u"):
                        var scalar = try hex4()
                        if (0xD800...0xDBFF).contains(scalar) {
                            // A high surrogate must be followed by an escaped low one.
                            guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"),
                                  bytes[index + 1] == UInt8(ascii: "u") else { throw Malformed(offset: index) }
                            index += 2
                            let low = try hex4()
                            guard (0xDC00...0xDFFF).contains(low) else { throw Malformed(offset: index) }
                            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                        }
                        guard let unicode = Unicode.Scalar(scalar) else { throw Malformed(offset: index) }  // a lone low surrogate
                        text.append(contentsOf: String(Character(unicode)).utf8)
                    default:
                        throw Malformed(offset: index - 1)
                    }
                default:
                    guard byte >= 0x20 else { throw Malformed(offset: index) }
                    text.append(byte)
                    index += 1
                }
            }
            throw Malformed(offset: index)  // no closing quote
        }

        private mutating func hex4() throws(Malformed) -> UInt32 {
            guard index + 4 <= bytes.count else { throw Malformed(offset: index) }
            var value: UInt32 = 0
            for _ in 0..<4 {
                let byte = bytes[index]
                let digit: UInt32 = switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(byte - UInt8(ascii: "0"))
                case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt32(byte - UInt8(ascii: "a") + 10)
                case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt32(byte - UInt8(ascii: "A") + 10)
                default: throw Malformed(offset: index)
                }
                value = value << 4 | digit
                index += 1
            }
            return value
        }

        /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`, as the nearest `Double`.
        private mutating func number() throws(Malformed) -> Double {
            let start = index
            func digits() -> Int {
                let first = index
                while let byte = current, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) { index += 1 }
                return index - first
            }
            if current == UInt8(ascii: "-") { index += 1 }
            if current == UInt8(ascii: "0") {
                index += 1
            } else {
                guard digits() > 0 else { throw Malformed(offset: index) }
            }
            if current == UInt8(ascii: ".") {
                index += 1
                guard digits() > 0 else { throw Malformed(offset: index) }
            }
            if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
                index += 1
                if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { index += 1 }
                guard digits() > 0 else { throw Malformed(offset: index) }
            }
            // `Double` reads 1e400 as infinity: JSON has no such number.
            guard let number = Double(String(decoding: bytes[start..<index], as: UTF8.self)), number.isFinite else {
                throw Malformed(offset: start)
            }
            return number
        }
    }
}
