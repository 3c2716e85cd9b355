import CArgon2
import Crypto
import Foundation

/// Argon2id password hashing (the system `libargon2`), off the cooperative pool and bounded.
///
/// Hashes are stored in the standard encoded form (`$argon2id$v=19$m=…,t=…,p=…$salt$hash`), so
/// each carries its own cost and a later, higher cost applies to new passwords without a
/// migration. At most one hash per core runs at once (``BoundedBlockingQueue``).
public struct PasswordHasher: Sendable {
    /// Argon2id cost parameters.
    public struct Cost: Sendable, Equatable {
        /// Memory in KiB.
        public var memoryKiB: UInt32
        /// Passes over the memory.
        public var iterations: UInt32
        /// Lanes.
        public var parallelism: UInt32

        public init(memoryKiB: UInt32, iterations: UInt32, parallelism: UInt32) {
            self.memoryKiB = memoryKiB
            self.iterations = iterations
            self.parallelism = parallelism
        }

        /// 46 MiB, 2 passes, 1 lane (an OWASP-recommended Argon2id setting, with one more pass):
        /// about 150 ms per verification on this project's 2-core machine, inside the 50–250 ms
        /// the project aims for (`make bench` measures it). Memory-hard, so a stolen database is
        /// slow to attack; at most one verification per core runs at once.
        public static let standard = Cost(memoryKiB: 46 * 1024, iterations: 2, parallelism: 1)

        /// The smallest cost Argon2id accepts. For tests only: fast, still the real function.
        package static let testing = Cost(memoryKiB: 64, iterations: 1, parallelism: 1)
    }

    /// Hashing could not run (out of memory); nothing was stored.
    public struct HashingFailed: Error, Sendable, CustomStringConvertible {
        public let description: String
    }

    /// The cost new hashes are made with.
    public let cost: Cost
    let queue: BoundedBlockingQueue

    /// A hasher making hashes at `cost`, running at most `width` at once (default: one per core).
    public init(cost: Cost = .standard, width: Int? = nil) {
        self.cost = cost
        self.queue = BoundedBlockingQueue(label: "loan-registry.password-hashing", width: width ?? ProcessInfo.processInfo.activeProcessorCount, capacity: 256)
    }

    /// The encoded Argon2id hash of `password` with a fresh 16-byte salt.
    package func hash(_ password: String) async throws -> String {
        let cost = self.cost
        return try await run { try Self.hashNow(Data(password.utf8), cost: cost) }
    }

    /// Whether `password` matches `encoded`. A malformed hash never matches.
    package func verify(_ password: String, against encoded: String) async throws -> Bool {
        try await run { Self.verifyNow(Data(password.utf8), encoded: encoded) }
    }

    /// Spends the same work as a verification (one Argon2id run at ``cost``), for an unknown
    /// login, so that it takes as long as a wrong password; always `false`.
    func verifyDecoy(_ password: String) async throws -> Bool {
        let cost = self.cost
        _ = try await run { try Self.hashNow(Data(password.utf8), cost: cost) }
        return false
    }

    /// Verifies `password` against each of `hashes` in one queued job (password history).
    func matchesAny(_ password: String, of hashes: [String]) async throws -> Bool {
        try await run { hashes.contains { Self.verifyNow(Data(password.utf8), encoded: $0) } }
    }

    private func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        do {
            return try await queue.run(work)
        } catch is BoundedBlockingQueue.Full {
            throw RegistryError.busy
        }
    }

    static func hashNow(_ password: Data, cost: Cost) throws -> String {
        let salt = SecureRandom.bytes(16)
        let length = argon2_encodedlen(cost.iterations, cost.memoryKiB, cost.parallelism, UInt32(salt.count), 32, Argon2_id)
        var encoded = [CChar](repeating: 0, count: length)
        let result = password.withUnsafeBytes { pwd in
            salt.withUnsafeBytes { saltBytes in
                argon2id_hash_encoded(cost.iterations, cost.memoryKiB, cost.parallelism,
                                      pwd.baseAddress, pwd.count, saltBytes.baseAddress, saltBytes.count,
                                      32, &encoded, length)
            }
        }
        guard result == ARGON2_OK.rawValue else {
            throw HashingFailed(description: String(cString: argon2_error_message(result)))
        }
        return String(decoding: encoded.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    static func verifyNow(_ password: Data, encoded: String) -> Bool {
        guard encoded.hasPrefix("$argon2id$") else { return false }
        return password.withUnsafeBytes { pwd in
            argon2id_verify(encoded, pwd.baseAddress, pwd.count) == ARGON2_OK.rawValue
        }
    }
}
