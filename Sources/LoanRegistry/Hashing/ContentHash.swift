import Crypto
public import Foundation

/// SHA-256 as lower-case hex: how the registry names exact bytes (texts, explanations, signatures).
public enum ContentHash {
    /// SHA-256 of `data`, lower-case hex.
    public static func sha256(_ data: Data) -> String {
        SHA256.hash(data: data).hexString
    }

    /// SHA-256 of the UTF-8 bytes of `text`, lower-case hex.
    public static func sha256(_ text: String) -> String {
        SHA256.hash(data: Data(text.utf8)).hexString
    }

    /// Whether `a` and `b` are equal, comparing every byte whatever the first difference, so the
    /// time taken tells nothing about a secret (tokens, codes).
    public static func constantTimeEquals(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        return zip(x, y).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }

    /// `true` for 64 lower-case hex digits.
    public static func isSHA256(_ value: String) -> Bool {
        value.utf8.count == 64 && value.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
    }
}

extension Sequence where Element == UInt8 {
    /// Lower-case hexadecimal (every audit event and row digest writes some: no string per byte).
    var hexString: String {
        var text: [UInt8] = []
        text.reserveCapacity(underestimatedCount * 2)
        for byte in self {
            text.append(hexDigits[Int(byte >> 4)])
            text.append(hexDigits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}

/// The ASCII bytes of `0`…`9`, `a`…`f`.
private let hexDigits = Array("0123456789abcdef".utf8)
