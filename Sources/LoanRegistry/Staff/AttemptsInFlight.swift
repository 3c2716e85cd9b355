import Synchronization

/// Sign-in attempts whose password is being checked right now, per account, so that the
/// failures counted plus the attempts in flight never exceed the lock's threshold.
///
/// In memory: the server is the one process that signs people in.
final class AttemptsInFlight: Sendable {
    private let counts = Mutex<[String: Int]>([:])

    /// Takes a slot for `accountID` if fewer than `limit` are taken; `false` otherwise.
    func enter(_ accountID: String, below limit: Int) -> Bool {
        counts.withLock { table in
            let taken = table[accountID] ?? 0
            guard taken < limit else { return false }
            table[accountID] = taken + 1
            return true
        }
    }

    /// Gives the slot back.
    func leave(_ accountID: String) {
        counts.withLock { table in
            let left = (table[accountID] ?? 1) - 1
            table[accountID] = left > 0 ? left : nil
        }
    }
}
