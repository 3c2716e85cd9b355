import Synchronization

/// Sign-in attempts whose password is being checked right now, per account, so that the
/// failures counted plus the attempts in flight never exceed the lock's threshold.
///
/// In memory: the server is the one process that signs people in.
final class AttemptsInFlight: Sendable {
    private let counts = Mutex<[String: Int]>([:])

    /// Takes a slot for `accountID`; returns how many are taken now, this one included.
    func enter(_ accountID: String) -> Int {
        counts.withLock { table in
            let taken = (table[accountID] ?? 0) + 1
            table[accountID] = taken
            return taken
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
