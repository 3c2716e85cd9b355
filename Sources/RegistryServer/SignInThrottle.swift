import Foundation
import LoanRegistry
import Synchronization

/// Slows down sign-in attempts from an address that keeps failing, whatever logins it tries.
///
/// The per-login lock lives in the registry (which counts attempts before hashing, so a burst
/// cannot outrun it); this is the per-address part against guessing across many logins. After
/// 3 failures in 15 minutes, each further attempt from that address waits 0.25 s, doubling per
/// failure up to 8 s; a successful sign-in clears the address. Only failures count, so many
/// staff signing in at once from one address (a clinic behind one router) are not slowed.
/// Bursts are bounded anyway: hashing runs at most one per core, with a bounded queue. Kept in
/// memory: a restart forgets it, the registry's lock does not. Behind a reverse proxy every
/// client shares the proxy's address (see the README).
final class SignInThrottle: Sendable {
    private let failures = Mutex<[String: [Date]]>([:])
    private let window: TimeInterval = 15 * 60
    private let maximumAddresses = 10_000
    /// Off only with `serve --no-sign-in-slowdown` (the per-login lockout stays).
    private let enabled: Bool

    init(enabled: Bool = true) {
        self.enabled = enabled
    }

    /// Waits as long as `address`'s recent failures ask.
    func wait(for address: String?) async throws {
        let delay = delay(for: address)
        if delay > .zero { try await Task.sleep(for: delay) }
    }

    /// How long an attempt from `address` should wait at `now`.
    func delay(for address: String?, now: Date = Date()) -> Duration {
        guard enabled, let address else { return .zero }
        let count = failures.withLock { table in
            table[address]?.filter { now.timeIntervalSince($0) < window }.count ?? 0
        }
        guard count > 3 else { return .zero }
        return .milliseconds(Int(min(8.0, 0.25 * pow(2.0, Double(count - 4))) * 1000))
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

    /// Runs a sign-in step from `address`: waits, then records its outcome.
    func guarding<T>(_ address: String?, _ body: () async throws -> T) async throws -> T {
        try await wait(for: address)
        do {
            let value = try await body()
            recordSuccess(from: address)
            return value
        } catch let error as RegistryError {
            if case .authenticationFailed(let failure, _) = error, failure == .invalidCredentials || failure == .accountLocked {
                recordFailure(from: address)
            }
            throw error
        }
    }
}
