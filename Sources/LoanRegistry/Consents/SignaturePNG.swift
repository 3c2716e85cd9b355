public import Foundation

/// A tablet signature image, checked before it is stored as consent evidence.
///
/// Accepted: a complete PNG — the 8 signature bytes, an `IHDR` chunk first with a width and
/// height of at least 1 and at most ``maximumWidth`` × ``maximumHeight``, a valid bit depth and
/// colour type, at least one `IDAT`, `IEND` last, and every chunk's CRC correct — of at most
/// ``maximumBytes``. The checks read only the chunk structure; nothing is decompressed.
public struct SignaturePNG: Sendable, Equatable {
    public static let maximumBytes = 200_000
    public static let maximumWidth = 2000
    public static let maximumHeight = 1000

    /// The file's bytes, exactly as received.
    public let data: Data
    public let width: Int
    public let height: Int
    /// SHA-256 of ``data``.
    public let sha256: String

    private static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    /// Decodes and checks a base64 PNG.
    ///
    /// - Throws: ``RegistryError/validationFailed(_:)`` naming `field`, saying what is wrong.
    public init(base64 text: String, field: String) throws {
        // Base64 of the largest allowed file, with slack for line breaks; checked before decoding.
        guard text.utf8.count <= (Self.maximumBytes / 3 + 1) * 4 + 4096 else {
            throw Self.invalid(field, "must be at most \(Self.maximumBytes / 1000) kB")
        }
        guard let data = Data(base64Encoded: text, options: .ignoreUnknownCharacters), !data.isEmpty,
              text.utf8.allSatisfy({ Self.isBase64Character($0) })
        else { throw Self.invalid(field, "is not valid base64") }
        try self.init(data: data, field: field)
    }

    /// Checks PNG bytes.
    public init(data: Data, field: String) throws {
        guard data.count <= Self.maximumBytes else {
            throw Self.invalid(field, "must be at most \(Self.maximumBytes / 1000) kB")
        }
        let bytes = [UInt8](data)
        guard bytes.count >= 8, Array(bytes[0..<8]) == Self.signature else {
            throw Self.invalid(field, "is not a PNG image")
        }
        var offset = 8
        var chunks: [String] = []
        var width = 0
        var height = 0
        while offset < bytes.count {
            guard offset + 12 <= bytes.count else { throw Self.invalid(field, "is a truncated PNG") }
            let length = Int(Self.uint32(bytes, at: offset))
            guard length <= bytes.count, offset + 12 + length <= bytes.count else {
                throw Self.invalid(field, "is a truncated PNG")
            }
            let typeBytes = bytes[(offset + 4)..<(offset + 8)]
            let type = String(decoding: typeBytes, as: UTF8.self)
            let stored = Self.uint32(bytes, at: offset + 8 + length)
            guard CRC32.checksum(bytes[(offset + 4)..<(offset + 8 + length)]) == stored else {
                throw Self.invalid(field, "is a damaged PNG (chunk checksum)")
            }
            if chunks.isEmpty {
                guard type == "IHDR", length == 13 else { throw Self.invalid(field, "is not a PNG image (no IHDR first)") }
                width = Int(Self.uint32(bytes, at: offset + 8))
                height = Int(Self.uint32(bytes, at: offset + 12))
                let depth = bytes[offset + 16]
                let colour = bytes[offset + 17]
                let allowedDepths: [UInt8: Set<UInt8>] = [0: [1, 2, 4, 8, 16], 2: [8, 16], 3: [1, 2, 4, 8], 4: [8, 16], 6: [8, 16]]
                guard allowedDepths[colour]?.contains(depth) == true else {
                    throw Self.invalid(field, "has an invalid PNG header")
                }
                guard width >= 1, height >= 1 else { throw Self.invalid(field, "must be at least 1×1 pixels") }
                guard width <= Self.maximumWidth, height <= Self.maximumHeight else {
                    throw Self.invalid(field, "must be at most \(Self.maximumWidth)×\(Self.maximumHeight) pixels")
                }
            }
            chunks.append(type)
            offset += 12 + length
            if type == "IEND" { break }
        }
        guard chunks.last == "IEND" else { throw Self.invalid(field, "is a truncated PNG") }
        guard offset == bytes.count else { throw Self.invalid(field, "has data after the end of the PNG") }
        guard chunks.contains("IDAT") else { throw Self.invalid(field, "has no image data") }
        self.data = data
        self.width = width
        self.height = height
        sha256 = ContentHash.sha256(data)
    }

    private static func uint32(_ bytes: [UInt8], at offset: Int) -> UInt32 {
        bytes[offset..<(offset + 4)].reduce(0) { $0 << 8 | UInt32($1) }
    }

    private static func isBase64Character(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
             UInt8(ascii: "+"), UInt8(ascii: "/"), UInt8(ascii: "="), UInt8(ascii: "\n"), UInt8(ascii: "\r"):
            true
        default:
            false
        }
    }

    private static func invalid(_ field: String, _ message: String) -> RegistryError {
        .validationFailed([FieldError(field, message)])
    }
}
