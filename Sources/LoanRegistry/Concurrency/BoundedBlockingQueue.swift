import Dispatch
import Synchronization

/// Runs blocking work (password hashing, database reads) on dispatch threads, never on Swift's
/// cooperative pool, with at most `width` jobs at once and at most `capacity` waiting.
///
/// A flood of sign-ins therefore queues here instead of starving every other request, and reads
/// wait in line without holding a thread each; past the capacity a caller is refused at once
/// with ``Full``. A job that has started runs to its end (task cancellation does not stop it).
package final class BoundedBlockingQueue: Sendable {
    /// The queue is at capacity; try again shortly.
    package struct Full: Error, Sendable {}

    private struct State {
        var running = 0
        var waiting: [@Sendable () -> Void] = []
    }

    private let width: Int
    private let capacity: Int
    private let state = Mutex(State())
    private let queue: DispatchQueue

    /// A queue running up to `width` jobs at once, with up to `capacity` more waiting.
    package init(label: String, width: Int, capacity: Int) {
        self.width = max(1, width)
        self.capacity = max(0, capacity)
        self.queue = DispatchQueue(label: label, qos: .userInitiated, attributes: .concurrent)
    }

    /// Runs `work` on a dispatch thread once a slot is free and returns its result.
    package func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            let job: @Sendable () -> Void = {
                continuation.resume(with: Result { try work() })
            }
            let accepted = state.withLock { state -> Bool? in
                if state.running < width {
                    state.running += 1
                    return true
                }
                guard state.waiting.count < capacity else { return nil }
                state.waiting.append(job)
                return false
            }
            switch accepted {
            case true?: start(job)
            case false?: break
            case nil: continuation.resume(throwing: Full())
            }
        }
    }

    private func start(_ job: @escaping @Sendable () -> Void) {
        queue.async {
            job()
            let next = self.state.withLock { state -> (@Sendable () -> Void)? in
                guard !state.waiting.isEmpty else {
                    state.running -= 1
                    return nil
                }
                return state.waiting.removeFirst()
            }
            if let next { self.start(next) }
        }
    }
}
