public import Foundation
import Synchronization
public import GRDB
public import LoanRegistry

/// A registry on a real SQLite file in its own temporary directory.
///
/// Keep the value alive for the test's duration: releasing it removes the directory.
public struct TestRegistry: Sendable {
    public let directory: TemporaryDirectory
    public let registry: Registry

    /// The database file's path.
    public var path: String { registry.path }

    /// Opens a fresh registry (all bundled migrations applied) with an optional clock.
    public init(clock: RegistryClock = .system) throws {
        directory = try TemporaryDirectory()
        registry = try Registry.open(at: directory.path("registry.sqlite"), clock: clock)
    }

    /// Fixtures registering through this registry.
    public var fixtures: Fixtures { Fixtures(registry) }

    /// A separate connection to the same file, outside the registry's pool — an independent observer.
    public func independentConnection() throws -> DatabaseQueue {
        try DatabaseQueue(path: path)
    }
}

/// A clock the test moves by hand.
public final class ManualClock: Sendable {
    private let current: Mutex<Date>

    public init(_ start: Date = Date(timeIntervalSince1970: 1_795_000_000)) {
        current = Mutex(start)
    }

    /// The registry clock reading this one.
    public var clock: RegistryClock {
        RegistryClock { self.current.withLock { $0 } }
    }

    /// Moves time forward.
    public func advance(by seconds: TimeInterval) {
        current.withLock { $0 += seconds }
    }
}
