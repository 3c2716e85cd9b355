package import Foundation
package import GRDB
import GRDBSQLite
import Synchronization

/// The rows of covered tables changed on the writer connection since the last audit event.
///
/// Installed as SQLite's update hook on the registry's single writer connection, it sees every
/// insert, update and delete there, including those made by triggers. ``AuditLog`` takes the
/// pending rows when it appends an event and records each one's ``RowDigest`` in the event, so
/// no operation has to remember which rows it touched.
///
/// `@unchecked Sendable` at the C boundary: SQLite calls the hook on the thread running the
/// writer connection's statement, and every other use (``AuditLog/append(_:entityType:entityId:details:by:at:in:)``,
/// the group-commit writer) runs on that same connection's serial queue, so `pending` is never
/// touched from two threads at once.
package final class RowChanges: @unchecked Sendable {
    /// One changed row.
    package struct Change: Hashable, Sendable {
        package let table: CoveredTable
        package let rowID: Int64
    }

    /// The last event the current operation appended.
    package struct LastEvent: Sendable {
        package let action: AuditAction
        package let entityType: String
        package let entityId: String
        package let actor: AuditActor
        package let date: Date
    }

    /// The tables whose rows decide whether a sign-in is valid: a change to one empties the cache
    /// of checked sign-ins after its commit (`SessionCache`, through the group-commit writer).
    static let signInTables: Set<String> = ["staff_sessions", "staff_accounts", "security_settings"]

    private var pending: [Change] = []
    /// Whether a row of ``signInTables`` changed since ``takeSignInStateChanged()``.
    private var signInStateChanged = false
    private var seen: Set<Change> = []
    /// The last event appended by the operation running now (see ``AuditLog/recordRemainingRows(in:)``).
    package var lastEvent: LastEvent?

    private static let installed = Mutex<[Int: RowChanges]>([:])

    private init() {}

    /// Starts tracking changes on `db`'s connection (the writer).
    package static func install(on db: Database) {
        guard let connection = db.sqliteConnection else { return }
        let changes = RowChanges()
        installed.withLock { $0[Int(bitPattern: connection)] = changes }
        sqlite3_update_hook(connection, { context, operation, _, table, rowID in
            guard let context, let table else { return }
            let changes = Unmanaged<RowChanges>.fromOpaque(context).takeUnretainedValue()
            let name = String(cString: table)
            if let covered = CoveredTable.named(name) {
                changes.record(Change(table: covered, rowID: rowID))
            }
            // A new sign-in (an insert into staff_sessions) changes no sign-in already checked.
            if RowChanges.signInTables.contains(name), !(operation == SQLITE_INSERT && name == "staff_sessions") {
                changes.signInStateChanged = true
            }
        }, Unmanaged.passUnretained(changes).toOpaque())
    }

    /// Stops tracking changes on `db`'s connection.
    package static func uninstall(from db: Database) {
        guard let connection = db.sqliteConnection else { return }
        sqlite3_update_hook(connection, nil, nil)
        _ = installed.withLock { $0.removeValue(forKey: Int(bitPattern: connection)) }
    }

    /// The tracker of `db`'s connection, if one is installed.
    package static func on(_ db: Database) -> RowChanges? {
        guard let connection = db.sqliteConnection else { return nil }
        return installed.withLock { $0[Int(bitPattern: connection)] }
    }

    private func record(_ change: Change) {
        if seen.insert(change).inserted { pending.append(change) }
    }

    /// The rows changed since the last call, in the order first changed; clears them.
    package func take() -> [Change] {
        defer { pending.removeAll(keepingCapacity: true); seen.removeAll(keepingCapacity: true) }
        return pending
    }

    /// Whether a session, staff account or sign-in setting changed since the last call; clears it.
    package func takeSignInStateChanged() -> Bool {
        defer { signInStateChanged = false }
        return signInStateChanged
    }

    /// Forgets pending rows (a new operation starts; the last one's savepoint may have rolled back).
    package func reset() {
        lastEvent = nil
        pending.removeAll(keepingCapacity: true)
        seen.removeAll(keepingCapacity: true)
    }

    /// The tables of the pending rows, for a diagnostic.
    package var pendingTables: String { Set(pending.map(\.table.rawValue)).sorted().joined(separator: ", ") }

    /// Whether rows changed since the last audit event.
    package var hasPending: Bool { !pending.isEmpty }
}
