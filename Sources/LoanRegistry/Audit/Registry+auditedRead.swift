import Foundation
import GRDB

extension Registry {
    /// Reads on a reader (a WAL snapshot, in parallel with other reads), then records the read's
    /// audit events through the writer, and answers only once they are committed: no patient data
    /// leaves without its audit event on disk.
    ///
    /// Only the events go through the single writer, so concurrent audited reads share its group
    /// commits instead of queueing their queries on it.
    func auditedRead<T: Sendable>(_ read: @escaping @Sendable (Database) throws -> T,
                                  audit: @escaping @Sendable (T, Database) throws -> Void) async throws -> T {
        let value = try await self.read(read)
        _ = try await writer.write { db in try audit(value, db) }
        return value
    }
}
