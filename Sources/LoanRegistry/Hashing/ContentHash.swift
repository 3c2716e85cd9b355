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

    /// `true` for 64 lower-case hex digits.
    public static func isSHA256(_ value: String) -> Bool {
        value.utf8.count == 64 && value.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
    }
}

extension Sequence where Element == UInt8 {
    /// Lower-case hexadecimal.
    var hexString: String {
        map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }
}
