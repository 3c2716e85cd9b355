public import Foundation

/// The text encodings a CSV file may come in: UTF-8 (with or without a byte-order mark), or
/// Shift_JIS, which Excel in Japan writes by default (its Windows-31J extensions included).
public enum CSVEncoding: String, Sendable, Codable {
    case utf8 = "UTF-8"
    case shiftJIS = "Shift_JIS"

    /// `data` as text, and the encoding it was read as: UTF-8 when it is valid UTF-8, else
    /// Shift_JIS when it is valid Shift_JIS; `nil` when it is neither.
    public static func decode(_ data: Data) -> (text: String, encoding: CSVEncoding)? {
        if let text = String(validating: Array(data), as: UTF8.self) { return (text, .utf8) }
        if let text = String(data: data, encoding: .shiftJIS) { return (text, .shiftJIS) }
        return nil
    }
}
