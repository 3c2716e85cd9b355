public import Foundation
import LoanRegistry

/// PNG files built byte by byte for the signature-image tests: real ones, and ones whose header
/// lies about the size (with correct checksums, so only the size check can refuse them).
public enum TestPNG {
    /// A valid white 8-bit greyscale image of `width` × `height` (uncompressed deflate blocks).
    public static func image(width: Int, height: Int) -> Data {
        let row = [UInt8(0)] + [UInt8](repeating: 0xFF, count: width)
        let raw = (0..<height).flatMap { _ in row }
        return file(width: UInt32(width), height: UInt32(height), pixels: raw)
    }

    /// A well-formed file whose IHDR claims `width` × `height` but carries one pixel of data.
    public static func claiming(width: UInt32, height: UInt32) -> Data {
        file(width: width, height: height, pixels: [0, 0xFF])
    }

    static func file(width: UInt32, height: UInt32, pixels: [UInt8]) -> Data {
        var bytes: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        bytes += chunk("IHDR", bigEndian(width) + bigEndian(height) + [8, 0, 0, 0, 0])
        bytes += chunk("IDAT", zlibStored(pixels))
        bytes += chunk("IEND", [])
        return Data(bytes)
    }

    static func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
        let typed = Array(type.utf8) + data
        return bigEndian(UInt32(data.count)) + typed + bigEndian(CRC32.checksum(typed))
    }

    static func zlibStored(_ data: [UInt8]) -> [UInt8] {
        var out: [UInt8] = [0x78, 0x01]
        var blocks = stride(from: 0, to: max(data.count, 1), by: 65_535).map { start in
            Array(data[start..<min(start + 65_535, data.count)])
        }
        if blocks.isEmpty { blocks = [[]] }
        for (index, block) in blocks.enumerated() {
            let length = UInt16(block.count)
            out.append(index == blocks.count - 1 ? 1 : 0)
            out += [UInt8(length & 0xFF), UInt8(length >> 8), UInt8(~length & 0xFF), UInt8(~length >> 8)]
            out += block
        }
        var a: UInt32 = 1
        var b: UInt32 = 0
        for byte in data {
            a = (a + UInt32(byte)) % 65_521
            b = (b + a) % 65_521
        }
        return out + bigEndian(b << 16 | a)
    }

    static func bigEndian(_ value: UInt32) -> [UInt8] {
        [UInt8(value >> 24), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)]
    }
}
