import Crypto
import Foundation
import Synchronization

/// Failed sign-ins for logins that do not exist, counted like a real account's so that the
/// lock (`account_locked` after the threshold) does not tell which logins exist.
///
/// Kept in memory, keyed by the SHA-256 of the login (never the text, which may be a mistyped
/// password), at most 10,000 logins.
final class UnknownLoginAttempts: Sendable {
    private struct Entry {
        var failures: [Date] = []
        var lockedUntil: Date?
    }

    private let entries = Mutex<[String: Entry]>([:])

    /// Counts a failure for `login` at `now`; returns until when it is "locked" if it is.
    func attempt(_ login: String, at now: Date, settings: SecuritySettings) -> Date? {
        let key = ContentHash.sha256(login)
        let window = Double(settings.lockoutWindowMinutes) * 60
        return entries.withLock { table -> Date? in
            if table.count >= 10_000, table[key] == nil { table.removeAll() }
            var entry = table[key] ?? Entry()
            if let until = entry.lockedUntil, until > now {
                return until
            }
            entry.lockedUntil = nil
            entry.failures.removeAll { now.timeIntervalSince($0) >= window }
            entry.failures.append(now)
            if entry.failures.count >= settings.lockoutThreshold {
                entry.failures = []
                entry.lockedUntil = now.addingTimeInterval(Double(settings.lockoutMinutes) * 60)
            }
            table[key] = entry
            return entry.lockedUntil
        }
    }
}
