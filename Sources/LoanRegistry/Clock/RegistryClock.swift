public import Foundation

/// The registry's source of "now".
///
/// Every timestamp the registry stores comes from here, so tests (and a `--as-of`
/// report) can move time without touching the system clock.
public struct RegistryClock: Sendable {
    private let read: @Sendable () -> Date

    /// A clock that answers `read()` each time it is asked.
    public init(_ read: @escaping @Sendable () -> Date) {
        self.read = read
    }

    /// The current instant.
    public func now() -> Date { read() }

    /// The system's wall clock.
    public static let system = RegistryClock { Date() }

    /// A clock stopped at `date`.
    public static func fixed(_ date: Date) -> RegistryClock {
        RegistryClock { date }
    }
}
