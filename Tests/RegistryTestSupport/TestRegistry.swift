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

    /// The repository's `ConsentTexts/` directory.
    public static let repositoryTexts = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("ConsentTexts")

    /// A clinic profile for tests.
    public static let clinic = ClinicProfile(
        name: "試験クリニック", department: "循環器内科", phone: "03-1111-2222", hours: "平日 9:00〜17:00",
        afterHoursPhone: "03-1111-9999", afterHoursReaches: .maker, privacyDesk: "医事課 03-1111-3333")

    /// Opens a fresh registry (all bundled migrations applied) with an optional clock, rendering
    /// explanations from `texts` (default: the repository's `ConsentTexts/`).
    ///
    /// The clinic profile is set (``clinic``) unless `withClinic` is `false`.
    public init(clock: RegistryClock = .system, texts: URL = TestRegistry.repositoryTexts,
                withClinic: Bool = true) async throws {
        directory = try TemporaryDirectory()
        registry = try Registry.open(at: directory.path("registry.sqlite"), clock: clock,
                                     texts: ConsentTextLibrary(directory: texts))
        if withClinic {
            try await registry.clinic.update(Self.clinic, by: AuditActor("staff:fixture"))
        }
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
