import Foundation
import Synchronization

/// Slows down sign-in attempts from an address that keeps trying, whatever logins it tries.
///
/// The per-login lock lives in the registry; this is the per-address part. Each attempt is
/// counted when it starts (so a burst sent at once is slowed too) and an address's count is
/// cleared by a successful sign-in. After 3 attempts in 15 minutes without success, each
/// further attempt waits 0.25 s, doubling per attempt up to 8 s. Kept in memory: a restart
/// forgets it, the registry's lock does not. Behind a reverse proxy every client shares the
/// proxy's address (see the README).
final class SignInThrottle: Sendable {
    private let attempts = Mutex<[String: [Date]]>([:])
    private let window: TimeInterval = 15 * 60
    private let maximumAddresses = 10_000

    /// Counts an attempt from `address` and waits as long as its earlier attempts ask.
    func wait(for address: String?) async throws {
        let delay = begin(from: address)
        if delay > .zero { try await Task.sleep(for: delay) }
    }

    /// Counts an attempt from `address` at `now`; returns how long it should wait.
    func begin(from address: String?, now: Date = Date()) -> Duration {
        guard let address else { return .zero }
        let earlier = attempts.withLock { table -> Int in
            if table.count >= maximumAddresses, table[address] == nil {
                table = table.filter { $0.value.contains { now.timeIntervalSince($0) < window } }
                if table.count >= maximumAddresses { table.removeAll() }
            }
            table[address, default: []].removeAll { now.timeIntervalSince($0) >= window }
            let count = table[address, default: []].count
            table[address, default: []].append(now)
            return count
        }
        guard earlier >= 4 else { return .zero }
        return .milliseconds(Int(min(8.0, 0.25 * pow(2.0, Double(earlier - 4))) * 1000))
    }

    /// Forgets `address`'s attempts after a successful sign-in.
    func recordSuccess(from address: String?) {
        guard let address else { return }
        _ = attempts.withLock { $0.removeValue(forKey: address) }
    }
}
