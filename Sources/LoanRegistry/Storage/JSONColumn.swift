import Foundation

/// How JSON-valued columns are written and read: sorted keys, so equal values store equal text.
enum JSONColumn {
    /// `value` as compact JSON text with sorted keys.
    static func text(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    /// Decodes a column's JSON text; a malformed value means the row cannot be read.
    static func decode<T: Decodable>(_ type: T.Type, _ text: String) throws -> T {
        do {
            return try JSONDecoder().decode(type, from: Data(text.utf8))
        } catch {
            throw StorageError.unavailable(reason: "unreadable JSON column")
        }
    }
}
