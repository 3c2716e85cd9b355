import Foundation
import Crypto

/// One forward-only schema step: a `Schema/NNNN_name.sql` file.
public struct Migration: Sendable, Equatable {
    /// The number the file name starts with; migrations apply in ascending order.
    public let version: Int
    /// The file name, e.g. `0001_audit_log.sql`.
    public let name: String
    /// The SQL text, executed as one script inside one transaction.
    public let sql: String

    /// Builds a migration from its file name and text.
    ///
    /// - Throws: ``StorageError/invalidMigrationFile(name:)`` when `name` does not start with digits and `_`.
    public init(name: String, sql: String) throws {
        let digits = name.prefix { $0.isASCII && $0.isNumber }
        guard !digits.isEmpty, name.dropFirst(digits.count).first == "_", let version = Int(digits), version > 0
        else { throw StorageError.invalidMigrationFile(name: name) }
        self.version = version
        self.name = name
        self.sql = sql
    }

    /// SHA-256 of the exact UTF-8 text, lower-case hex; recorded when the migration is applied.
    public var sha256: String {
        SHA256.hash(data: Data(sql.utf8)).hexString
    }

    /// The migrations this binary was built with, from `Schema/` (embedded at build time).
    public static func bundled() throws -> [Migration] {
        let migrations = try EmbeddedSchema.files.map { file in
            guard let data = Data(base64Encoded: file.base64), let sql = String(data: data, encoding: .utf8)
            else { throw StorageError.invalidMigrationFile(name: file.name) }
            return try Migration(name: file.name, sql: sql)
        }
        return try ordered(migrations)
    }

    /// Sorts `migrations` by version and rejects duplicate versions.
    public static func ordered(_ migrations: [Migration]) throws -> [Migration] {
        let sorted = migrations.sorted { $0.version < $1.version }
        for (previous, next) in zip(sorted, sorted.dropFirst()) where previous.version == next.version {
            throw StorageError.invalidMigrationFile(name: next.name)
        }
        return sorted
    }
}
