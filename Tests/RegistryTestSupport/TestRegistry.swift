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
    /// The `fixture` account (manager) the fixtures act as.
    public let fixtureActor: AuditActor

    /// The password every account made by ``account(_:role:)`` gets.
    public static let password = "Lab#Passphrase-2026"

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
    /// The clinic profile is set (``clinic``) unless `withClinic` is `false`. Passwords are
    /// hashed with the real Argon2id at its smallest cost, so tests stay fast.
    ///
    /// With `staffAccounts: false` no account is made (the audit log starts empty) and the
    /// fixtures act as the registry itself.
    public init(clock: RegistryClock = .system, texts: URL = TestRegistry.repositoryTexts,
                withClinic: Bool = true, staffAccounts: Bool = true) async throws {
        directory = try TemporaryDirectory()
        registry = try Registry.open(at: directory.path("registry.sqlite"), clock: clock,
                                     texts: ConsentTextLibrary(directory: texts),
                                     passwordHasher: PasswordHasher(cost: .testing))
        fixtureActor = staffAccounts ? try await Self.account("fixture", role: .manager, in: registry) : .system
        if withClinic {
            try await registry.clinic.update(Self.clinic, by: fixtureActor)
        }
    }

    /// Fixtures registering through this registry, as the `fixture` manager account.
    public var fixtures: Fixtures { Fixtures(registry, actor: fixtureActor) }

    /// Adds an active account `login` with `role` (and ``password``) the way a clinic does —
    /// an administrator adds it, its owner changes the initial password — and returns its actor.
    @discardableResult
    public func account(_ login: String, role: StaffRole) async throws -> AuditActor {
        try await Self.account(login, role: role, in: registry)
    }

    /// The same on any registry.
    public static func account(_ login: String, role: StaffRole, in registry: Registry) async throws -> AuditActor {
        let initial = "Initial#Pass-2026-\(UUID().uuidString.prefix(6))"
        _ = try await registry.staff.add(NewStaffAccount(login: login, displayName: "試験 \(login)", role: role),
                                         initialPassword: initial, by: .commandLine(user: "test"))
        try await registry.staff.changePassword(login: login, currentPassword: initial, newPassword: password)
        return try await registry.staff.actor(login: login)
    }

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
