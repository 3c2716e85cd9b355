import Foundation
import Synchronization

/// Slows down sign-in attempts from an address that keeps failing, whatever logins it tries.
///
/// The per-login lock lives in the registry; this is the per-address part. After 3 failures in
/// 15 minutes each further attempt from that address waits 0.25 s, doubling per failure up to
/// 8 s. Kept in memory: a restart forgets it, the registry's lock does not.
final class SignInThrottle: Sendable {
    private let failures = Mutex<[String: [Date]]>([:])
    private let window: TimeInterval = 15 * 60
    private let maximumAddresses = 10_000

    /// How long an attempt from `address` should wait now.
    func delay(for address: String?, now: Date = Date()) -> Duration {
        guard let address else { return .zero }
        let count = failures.withLock { table in
            table[address]?.filter { now.timeIntervalSince($0) < window }.count ?? 0
        }
        guard count > 3 else { return .zero }
        let seconds = min(8.0, 0.25 * pow(2.0, Double(count - 4)))
        return .milliseconds(Int(seconds * 1000))
    }

    /// Records a failed attempt from `address`.
    func recordFailure(from address: String?, now: Date = Date()) {
        guard let address else { return }
        failures.withLock { table in
            if table.count >= maximumAddresses, table[address] == nil {
                table = table.filter { $0.value.contains { now.timeIntervalSince($0) < window } }
                if table.count >= maximumAddresses { table.removeAll() }
            }
            table[address, default: []].removeAll { now.timeIntervalSince($0) >= window }
            table[address, default: []].append(now)
        }
    }

    /// Forgets `address`'s failures after a successful sign-in.
    func recordSuccess(from address: String?) {
        guard let address else { return }
        _ = failures.withLock { $0.removeValue(forKey: address) }
    }
}
