import Dispatch

/// Runs blocking work (file copies, fsync, a whole-file check) on a dispatch queue, never on
/// Swift's cooperative pool, whose two threads the server's requests share.
enum BlockingWork {
    static func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global(qos: .utility).async {
                continuation.resume(with: Result { try work() })
            }
        }
    }
}
