import Foundation
import Crypto

/// A signed statement of where the audit chain stood: its head event's sequence number and hash,
/// the number of events, and when.
///
/// The signing key lives outside the database (``CheckpointStore``), so someone who can rewrite
/// the database file cannot produce a checkpoint for a rewritten chain; and every checkpoint
/// names an event the chain must still contain, so truncation, rollback and re-hashing show.
public struct AuditCheckpoint: Sendable, Equatable, Codable {
    /// Position in the checkpoint log: 1, 2, 3 …
    public let number: Int
    /// The sequence number of the chain's head event when it was taken.
    public let seq: Int
    /// That event's hash.
    public let headHash: String
    /// Events in the chain then (equal to `seq`, kept for the reader of a printed report).
    public let eventCount: Int
    /// When it was taken, UTC (``Timestamp``).
    public let at: String
    /// The Ed25519 public key that signed it, lower-case hex.
    public let publicKey: String
    /// The Ed25519 signature over ``signedText``, lower-case hex.
    public let signature: String

    /// The exact text that is signed.
    public var signedText: String {
        "loan-registry audit checkpoint v1\nnumber \(number)\nseq \(seq)\nhead \(headHash)\nevents \(eventCount)\nat \(at)\n"
    }

    /// A checkpoint signed with `key`.
    static func signed(number: Int, seq: Int, headHash: String, at: String,
                       with key: Curve25519.Signing.PrivateKey) throws -> AuditCheckpoint {
        let unsigned = AuditCheckpoint(number: number, seq: seq, headHash: headHash, eventCount: seq, at: at,
                                       publicKey: key.publicKey.rawRepresentation.hexString, signature: "")
        let signature = try key.signature(for: Data(unsigned.signedText.utf8))
        return AuditCheckpoint(number: number, seq: seq, headHash: headHash, eventCount: seq, at: at,
                               publicKey: unsigned.publicKey, signature: Data(signature).hexString)
    }

    /// Whether ``signature`` is a valid signature of ``signedText`` by ``publicKey``.
    public var hasValidSignature: Bool {
        guard let keyBytes = Data(hex: publicKey), let signatureBytes = Data(hex: signature),
              let key = try? Curve25519.Signing.PublicKey(rawRepresentation: keyBytes) else { return false }
        return key.isValidSignature(signatureBytes, for: Data(signedText.utf8))
    }

    /// A short form of the key for people: its first 16 hex digits in groups of four.
    public static func fingerprint(of publicKey: String) -> String {
        stride(from: 0, to: min(16, publicKey.count), by: 4).map { offset in
            let start = publicKey.index(publicKey.startIndex, offsetBy: offset)
            return String(publicKey[start..<publicKey.index(start, offsetBy: 4)])
        }.joined(separator: "-")
    }
}

extension Data {
    /// Bytes from lower- or upper-case hex; `nil` for odd length or a non-hex digit.
    init?(hex: String) {
        let digits = Array(hex.utf8)
        guard digits.count % 2 == 0 else { return nil }
        var bytes = [UInt8]()
        bytes.reserveCapacity(digits.count / 2)
        func value(_ digit: UInt8) -> UInt8? {
            switch digit {
            case 48...57: digit - 48
            case 97...102: digit - 87
            case 65...70: digit - 55
            default: nil
            }
        }
        var index = 0
        while index < digits.count {
            guard let high = value(digits[index]), let low = value(digits[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
            index += 2
        }
        self.init(bytes)
    }
}
