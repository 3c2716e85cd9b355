import Foundation
import Synchronization

/// How JSON-valued columns are written and read: sorted keys, so equal values store equal text.
enum JSONColumn {
    /// `value` as compact JSON text with sorted keys.
    static func text(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    /// Decodes a column's JSON text; a malformed value means the row cannot be read.
    ///
    /// The same text always decodes to the same value, and these columns repeat (every loan of a
    /// model has the same items, every device of a model the same security profile), so values
    /// are kept by type and text (see ``DecodedValues``): a list of fifty loans decodes each
    /// distinct text once instead of fifty times.
    static func decode<T: Decodable & Sendable>(_ type: T.Type, _ text: String) throws -> T {
        if let known = decoded.value(of: type, for: text) { return known }
        let value: T
        do {
            value = try JSONDecoder().decode(type, from: Data(text.utf8))
        } catch {
            throw StorageError.unavailable(reason: "unreadable JSON column")
        }
        decoded.keep(value, for: text)
        return value
    }

    private static let decoded = DecodedValues()

    /// Values decoded from column texts, by type and text; forgotten all at once past `limit`
    /// texts, so the memory stays bounded whatever the database holds.
    final class DecodedValues: Sendable {
        private struct Key: Hashable {
            let type: ObjectIdentifier
            let text: String
        }

        private let limit = 2_048
        private let values = Mutex<[Key: any Sendable]>([:])

        func value<T: Sendable>(of type: T.Type, for text: String) -> T? {
            values.withLock { $0[Key(type: ObjectIdentifier(type), text: text)] } as? T
        }

        func keep<T: Sendable>(_ value: T, for text: String) {
            values.withLock { values in
                if values.count >= limit { values.removeAll(keepingCapacity: true) }
                values[Key(type: ObjectIdentifier(T.self), text: text)] = value
            }
        }
    }
}
