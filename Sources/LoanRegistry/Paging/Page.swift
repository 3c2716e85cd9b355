import Foundation
import GRDB

/// One page of a list, with the cursor for the next page (`nil` on the last page).
public struct Page<Item: Sendable & Codable>: Sendable, Codable {
    public var items: [Item]
    public var nextCursor: String?

    public init(items: [Item], nextCursor: String?) {
        self.items = items
        self.nextCursor = nextCursor
    }
}

extension Page {
    /// Splits `rows` (fetched with `limit + 1`) into a page; the cursor is the `position` column
    /// (the row's rowid) of the last item kept.
    /// The first `limit` of `rows` (read one more than `limit`), continuing after the last one's position.
    static func from(_ rows: [(item: Item, position: Int64)], limit: Int) -> Page<Item> {
        let next = rows.count > limit ? PageRequest.cursor([String(rows[limit - 1].position)]) : nil
        return Page(items: rows.prefix(limit).map(\.item), nextCursor: next)
    }

    static func from(_ rows: [Row], limit: Int, _ make: (Row) throws -> Item) throws -> Page<Item> {
        let items = try rows.prefix(limit).map(make)
        var next: String?
        if rows.count > limit {
            let position: Int64 = rows[limit - 1]["position"]
            next = PageRequest.cursor([String(position)])
        }
        return Page(items: items, nextCursor: next)
    }
}

/// Which page of a list to read: up to `limit` items after `cursor`.
public struct PageRequest: Sendable, Equatable {
    /// Items per page, 1…500.
    public let limit: Int
    /// Opaque position from the previous page's `nextCursor`.
    public let cursor: String?

    /// The largest page a list returns.
    public static let maximumLimit = 500

    /// The default page: the first 50.
    public static let first = PageRequest(uncheckedLimit: 50, cursor: nil)

    private init(uncheckedLimit: Int, cursor: String?) {
        self.limit = uncheckedLimit
        self.cursor = cursor
    }

    /// A page request; throws a validation error when `limit` is outside 1…500.
    public init(limit: Int?, cursor: String?) throws {
        let limit = limit ?? 50
        guard (1...Self.maximumLimit).contains(limit) else {
            throw RegistryError.validationFailed([FieldError("limit", "must be between 1 and \(Self.maximumLimit)")])
        }
        self.limit = limit
        self.cursor = cursor
    }

    /// The cursor's key parts, decoded; throws a validation error for a cursor we did not issue.
    func keys(count: Int) throws -> [String]? {
        guard let cursor else { return nil }
        var base64 = cursor.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        guard let data = Data(base64Encoded: base64), let text = String(data: data, encoding: .utf8) else {
            throw RegistryError.validationFailed([FieldError("cursor", "is not a cursor this server issued")])
        }
        let parts = text.components(separatedBy: "\u{1F}")
        guard parts.count == count else {
            throw RegistryError.validationFailed([FieldError("cursor", "is not a cursor this server issued")])
        }
        return parts
    }

    /// Encodes key parts as an opaque URL-safe cursor.
    static func cursor(_ keys: [String]) -> String {
        Data(keys.joined(separator: "\u{1F}").utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}
