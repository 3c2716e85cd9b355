import Foundation

/// Finds keys given twice in one JSON object (`{"decision":"refused","decision":"granted"}`),
/// which Foundation's parser accepts silently, keeping one of them.
///
/// Runs on text that already parsed as JSON; keys are compared after unescaping, so
/// `"\u0064ecision"` is `decision` too.
struct DuplicateKeyScanner {
    private let bytes: [UInt8]
    private var index = 0
    private(set) var duplicates: [String] = []

    /// The paths (`signer.name`) of every key given more than once in `bytes`.
    static func duplicateKeys(in bytes: [UInt8]) -> [String] {
        var scanner = DuplicateKeyScanner(bytes: bytes)
        scanner.value(path: "")
        return scanner.duplicates
    }

    private init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    private mutating func skipSpace() {
        while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
    }

    private mutating func value(path: String) {
        skipSpace()
        guard index < bytes.count else { return }
        switch bytes[index] {
        case UInt8(ascii: "{"): object(path: path)
        case UInt8(ascii: "["): array(path: path)
        case UInt8(ascii: "\""): _ = string()
        default:
            while index < bytes.count, !",]} \t\r\n".utf8.contains(bytes[index]) { index += 1 }
        }
    }

    private mutating func object(path: String) {
        index += 1
        var seen: Set<String> = []
        while true {
            skipSpace()
            guard index < bytes.count, bytes[index] != UInt8(ascii: "}") else { index += 1; return }
            if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
            let key = string()
            let keyPath = path.isEmpty ? key : "\(path).\(key)"
            if !seen.insert(key).inserted { duplicates.append(keyPath) }
            skipSpace()
            index += 1  // the colon
            value(path: keyPath)
        }
    }

    private mutating func array(path: String) {
        index += 1
        var position = 0
        while true {
            skipSpace()
            guard index < bytes.count, bytes[index] != UInt8(ascii: "]") else { index += 1; return }
            if bytes[index] == UInt8(ascii: ",") { index += 1; position += 1; continue }
            value(path: "\(path)[\(position)]")
        }
    }

    /// Reads a string literal and returns its unescaped text.
    private mutating func string() -> String {
        let start = index
        index += 1
        while index < bytes.count, bytes[index] != UInt8(ascii: "\"") {
            index += bytes[index] == UInt8(ascii: "\\") ? 2 : 1
        }
        index += 1
        let literal = Data(bytes[start..<min(index, bytes.count)])
        return (try? JSONSerialization.jsonObject(with: literal, options: [.fragmentsAllowed])) as? String ?? ""
    }
}
