public import Foundation
import Synchronization

/// Starts child processes one at a time. Foundation's `Process.run()` on Linux is not safe to call
/// from several threads at once (the tests run in parallel and start `loan-registry`, `pdftotext`
/// …): concurrent launches crashed inside it. Waiting for the children stays concurrent.
public enum ProcessLaunch {
    private static let lock = Mutex(())

    /// Runs `process.run()` while no other test is launching one.
    public static func run(_ process: Process) throws {
        try serialized { try process.run() }
    }

    /// Runs `body` (creating a child's pipes and starting it) while no other test starts a child,
    /// so no child inherits another's pipe ends.
    public static func serialized<T>(_ body: () throws -> T) rethrows -> T {
        try lock.withLock { _ in try body() }
    }
}
