import Foundation

/// Random secrets from the system's cryptographically secure generator.
enum SecureRandom {
    /// `count` random bytes.
    static func bytes(_ count: Int) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
    }

    /// `bytes` random bytes as unpadded base64url text (a bearer token: 32 bytes = 256 bits).
    static func token(bytes count: Int = 32) -> String {
        Data(bytes(count)).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// A random password of `length` that meets ``PasswordPolicy`` without a second factor:
    /// letters of both cases, digits and symbols, no look-alike characters.
    static func initialPassword(length: Int = 16) -> String {
        let lower = Array("abcdefghijkmnpqrstuvwxyz"), upper = Array("ABCDEFGHJKLMNPQRSTUVWXYZ")
        let digits = Array("23456789"), symbols = Array("!#%+-=?@")
        let all = lower + upper + digits + symbols
        var generator = SystemRandomNumberGenerator()
        var characters = [lower, upper, digits, symbols].compactMap { $0.randomElement(using: &generator) }
        while characters.count < length {
            if let next = all.randomElement(using: &generator) { characters.append(next) }
        }
        characters.shuffle(using: &generator)
        return String(characters)
    }
}
