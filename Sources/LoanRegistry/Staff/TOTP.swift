import Crypto
public import Foundation

/// Time-based one-time passwords (RFC 6238 over RFC 4226 HOTP) with swift-crypto's HMAC.
///
/// Authenticator apps default to HMAC-SHA1, 6 digits, 30-second steps; the registry uses those.
/// A code is accepted for the current step and one step either side (clock drift), and each
/// step at most once per account (the registry stores the last step used).
public struct TOTP: Sendable {
    /// The hash the HMAC uses.
    public enum Algorithm: String, Sendable {
        case sha1 = "SHA1", sha256 = "SHA256", sha512 = "SHA512"
    }

    /// The shared secret.
    public let secret: [UInt8]
    public let algorithm: Algorithm
    public let digits: Int
    public let period: TimeInterval

    public init(secret: [UInt8], algorithm: Algorithm = .sha1, digits: Int = 6, period: TimeInterval = 30) {
        self.secret = secret
        self.algorithm = algorithm
        self.digits = digits
        self.period = period
    }

    /// The TOTP of a base32 secret (as in a provisioning URI), with the defaults apps use; `nil`
    /// when `base32Secret` is not base32.
    public init?(base32Secret: String) {
        guard let secret = Base32.decode(base32Secret), !secret.isEmpty else { return nil }
        self.init(secret: secret)
    }

    /// The time step `date` falls in.
    public func step(at date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 / period).rounded(.down))
    }

    /// The code for `step`, zero-padded to ``digits``.
    public func code(step: Int64) -> String {
        let counter = withUnsafeBytes(of: UInt64(bitPattern: step).bigEndian) { Data($0) }
        let key = SymmetricKey(data: secret)
        let mac: [UInt8] = switch algorithm {
        case .sha1: Array(HMAC<Insecure.SHA1>.authenticationCode(for: counter, using: key))
        case .sha256: Array(HMAC<SHA256>.authenticationCode(for: counter, using: key))
        case .sha512: Array(HMAC<SHA512>.authenticationCode(for: counter, using: key))
        }
        let offset = Int(mac[mac.count - 1] & 0x0F)
        let binary = (UInt32(mac[offset] & 0x7F) << 24) | (UInt32(mac[offset + 1]) << 16)
            | (UInt32(mac[offset + 2]) << 8) | UInt32(mac[offset + 3])
        var modulus: UInt32 = 1
        for _ in 0..<digits { modulus *= 10 }
        let value = String(binary % modulus)
        return String(repeating: "0", count: max(0, digits - value.count)) + value
    }

    /// The code for the step `date` falls in.
    public func code(at date: Date) -> String {
        code(step: step(at: date))
    }

    /// The step whose code `code` is, within one step of `date`, if any and if later than
    /// `lastUsedStep` (a code is never accepted twice).
    public func matchingStep(_ code: String, at date: Date, after lastUsedStep: Int64? = nil) -> Int64? {
        guard code.count == digits, code.allSatisfy(\.isASCII), code.allSatisfy(\.isNumber) else { return nil }
        let now = step(at: date)
        for candidate in [now - 1, now, now + 1] where candidate > (lastUsedStep ?? .min) {
            if ContentHash.constantTimeEquals(self.code(step: candidate), code) { return candidate }
        }
        return nil
    }

    /// The `otpauth://` URI an authenticator app reads (from a QR code).
    public func provisioningURI(account: String, issuer: String) -> String {
        var components = URLComponents()
        components.scheme = "otpauth"
        components.host = "totp"
        components.path = "/\(issuer):\(account)"
        components.queryItems = [
            URLQueryItem(name: "secret", value: Base32.encode(secret)),
            URLQueryItem(name: "issuer", value: issuer),
            URLQueryItem(name: "algorithm", value: algorithm.rawValue),
            URLQueryItem(name: "digits", value: String(digits)),
            URLQueryItem(name: "period", value: String(Int(period))),
        ]
        return components.string ?? ""
    }
}
