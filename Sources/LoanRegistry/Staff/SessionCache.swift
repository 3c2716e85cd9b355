import Foundation
import Synchronization

/// Sign-ins recently read from the database, so most requests authenticate without a read.
///
/// ``StaffAccounts/authenticate(token:kind:)`` keeps the session and account it read, keyed by
/// the token's SHA-256 (never the token), for at most ``lifetime``. A hit is checked by the same
/// rules as a fresh read (``StaffAccounts/check(_:settings:at:)``): expiry, the idle timeout, an
/// inactive account and a password that must change all take effect at once, because they are
/// decided on the cached values at the request's own time.
///
/// What a cached entry cannot see is a change to the rows it was read from. So every commit that
/// changes a row of `staff_sessions` or `staff_accounts`, or `security_settings`, through this
/// registry's writer (sign-out, a password change, deactivation, a role change, a new setting,
/// but also a failed sign-in's count and the once-a-minute idle refresh; a new sign-in, which
/// only inserts, does not) starts a new ``generation`` before its caller is answered: the entries
/// are dropped, and a read begun before it is not kept. The settings cache of ``StaffAccounts``
/// follows the same generation. A change made by another process on the same file (the
/// `loan-registry` CLI beside the server) is seen within ``lifetime`` (settings: 2 seconds).
final class SessionCache: Sendable {
    /// How long an entry is used before the session is read again.
    static let lifetime: Duration = .seconds(1)
    /// Past this many entries, expired ones are dropped.
    private static let pruneAt = 4_096

    /// What a sign-in check needs of a session and its account.
    struct Entry: Sendable {
        let sessionID: String
        let kind: String
        let expiresAt: Date
        let lastSeenAt: Date
        let account: StaffAccount
        let generation: UInt64
        let readAt: ContinuousClock.Instant
    }

    private struct State {
        var generation: UInt64 = 0
        var entries: [String: Entry] = [:]
    }

    private let state = Mutex(State())

    /// The generation now: taken before a read, handed back to ``store(_:tokenHash:)``.
    var generation: UInt64 {
        state.withLock { $0.generation }
    }

    /// The entry for `tokenHash`, if it is of the current generation and younger than ``lifetime``.
    func entry(tokenHash: String, now: ContinuousClock.Instant = .now) -> Entry? {
        state.withLock { state in
            guard let entry = state.entries[tokenHash], entry.generation == state.generation,
                  now - entry.readAt < Self.lifetime else { return nil }
            return entry
        }
    }

    /// Keeps `entry`, unless a sign-in change committed since its read began (its generation is old).
    func store(_ entry: Entry, tokenHash: String) {
        state.withLock { state in
            guard entry.generation == state.generation else { return }
            if state.entries.count >= Self.pruneAt {
                let now = ContinuousClock.now
                state.entries = state.entries.filter { now - $0.value.readAt < Self.lifetime }
                // Still full of fresh entries (thousands of sign-ins in a second): start again.
                if state.entries.count >= Self.pruneAt / 2 { state.entries.removeAll() }
            }
            state.entries[tokenHash] = entry
        }
    }

    /// Forgets every entry: a commit changed sessions, accounts or the sign-in settings.
    func invalidate() {
        state.withLock { state in
            state.generation &+= 1
            state.entries.removeAll(keepingCapacity: true)
        }
        settings.withLock { $0 = nil }
    }

    /// The sign-in settings last read, with when and in which generation (see
    /// ``StaffAccounts/currentSettings()``).
    let settings = Mutex<(value: SecuritySettings, readAt: ContinuousClock.Instant, generation: UInt64)?>(nil)
}
