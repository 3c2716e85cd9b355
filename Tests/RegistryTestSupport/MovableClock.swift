public import Foundation
public import LoanRegistry
import Synchronization

/// A clock a test moves forward (days pass in a scenario).
public final class MovableClock: Sendable {
    private let now: Mutex<Date>

    public init(_ start: Date) {
        now = Mutex(start)
    }

    /// The registry clock reading this one.
    public var clock: RegistryClock { RegistryClock { [self] in now.withLock { $0 } } }

    /// Moves to noon in Tokyo on `day`.
    public func go(to day: LocalDate) { now.withLock { $0 = Self.noon(day) } }

    /// Moves to `hour`:`minute` in Tokyo on `day`.
    public func go(to day: LocalDate, hour: Int, minute: Int = 0) {
        var components = DateComponents(year: day.year, month: day.month, day: day.day, hour: hour, minute: minute)
        components.timeZone = TimeZone(identifier: "Asia/Tokyo")
        let date = Calendar(identifier: .gregorian).date(from: components) ?? Date(timeIntervalSince1970: 0)
        now.withLock { $0 = date }
    }

    /// Moves forward by `days` days.
    public func advance(days: Int) { now.withLock { $0 = $0.addingTimeInterval(Double(days) * 86_400) } }

    /// Noon in Tokyo on `day`.
    public static func noon(_ day: LocalDate) -> Date {
        var components = DateComponents(year: day.year, month: day.month, day: day.day, hour: 12)
        components.timeZone = TimeZone(identifier: "Asia/Tokyo")
        return Calendar(identifier: .gregorian).date(from: components) ?? Date(timeIntervalSince1970: 0)
    }
}
