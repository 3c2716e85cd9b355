import CQREncode

/// A QR code's modules, from libqrencode (level M, 8-bit mode).
public struct QRCode: Sendable, Equatable {
    /// Modules per side.
    public let size: Int
    /// Row-major dark modules.
    public let modules: [Bool]

    /// A QR code could not be made (payload too long for a QR code).
    public struct EncodingError: Error, Equatable {}

    public init(_ payload: String) throws {
        guard let code = QRcode_encodeString8bit(payload, 0, QR_ECLEVEL_M) else { throw EncodingError() }
        defer { QRcode_free(code) }
        let width = Int(code.pointee.width)
        size = width
        // Bit 0 of each byte is "dark"; the other bits describe the module's role.
        modules = (0..<(width * width)).map { code.pointee.data[$0] & 1 == 1 }
    }

    /// Whether the module at `row`, `column` is dark.
    public func isDark(row: Int, column: Int) -> Bool {
        modules[row * size + column]
    }

    /// The code as an SVG element with a 4-module quiet zone.
    public func svg(moduleSize: Int) -> String {
        let side = (size + 8) * moduleSize
        var path = ""
        for row in 0..<size {
            for column in 0..<size where isDark(row: row, column: column) {
                path += "M\((column + 4) * moduleSize) \((row + 4) * moduleSize)h\(moduleSize)v\(moduleSize)h-\(moduleSize)z"
            }
        }
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(side) \(side)\" role=\"img\" aria-label=\"QR\">"
            + "<rect width=\"\(side)\" height=\"\(side)\" fill=\"#fff\"/><path d=\"\(path)\" fill=\"#000\"/></svg>"
    }
}
