public import Foundation
import GRDB

/// When the clinic works: weekly hours in Asia/Tokyo, Japan's public holidays and the clinic's
/// own closed days. Access review counts a read outside these as off-hours.
public struct ClinicCalendar: Sendable, Equatable, Codable {
    /// One day's opening hours, `HH:MM` in Asia/Tokyo (opens inclusive, closes exclusive).
    public struct Hours: Sendable, Equatable, Codable {
        public let opens: String
        public let closes: String

        /// Hours from `opens` to `closes`.
        public init(opens: String, closes: String) {
            self.opens = opens
            self.closes = closes
        }
    }

    /// A day the clinic is closed besides Sundays and public holidays.
    public struct ClosedDay: Sendable, Equatable, Codable {
        public let day: LocalDate
        public let note: String
    }

    /// Hours per weekday (0 Sunday … 6 Saturday); a missing weekday is closed.
    public let weekly: [Int: Hours]
    /// The clinic's own closed days, in date order.
    public let closedDays: [ClosedDay]

    /// The default: Monday to Saturday 08:00–19:00.
    public static let standard = ClinicCalendar(
        weekly: Dictionary(uniqueKeysWithValues: (1...6).map { ($0, Hours(opens: "08:00", closes: "19:00")) }), closedDays: [])

    /// A calendar with these hours and closed days.
    public init(weekly: [Int: Hours], closedDays: [ClosedDay]) {
        self.weekly = weekly
        self.closedDays = closedDays.sorted { $0.day < $1.day }
    }

    /// Why `date` falls outside working time, or `nil` when the clinic is working then.
    ///
    /// One of `closed_day`, `public_holiday`, `closed_weekday`, `before_opening`, `after_closing`.
    public func offHoursReason(_ date: Date, holidays: inout HolidayBook) -> String? {
        let day = LocalDate(date)
        if closedDays.contains(where: { $0.day == day }) { return "closed_day" }
        if holidays.isHoliday(day) { return "public_holiday" }
        guard let hours = weekly[day.weekday] else { return "closed_weekday" }
        let minutes = Int(date.timeIntervalSince(day.startOfDay) / 60)
        let time = String(format: "%02d:%02d", minutes / 60, minutes % 60)
        if time < hours.opens { return "before_opening" }
        if time >= hours.closes { return "after_closing" }
        return nil
    }

    /// Whether the clinic is open on `day` at all.
    public func isWorkingDay(_ day: LocalDate, holidays: inout HolidayBook) -> Bool {
        weekly[day.weekday] != nil && !holidays.isHoliday(day) && !closedDays.contains { $0.day == day }
    }

    static func fetch(_ db: Database) throws -> ClinicCalendar {
        var weekly: [Int: Hours] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT weekday, opens, closes FROM clinic_hours") {
            if let opens = row["opens"] as String?, let closes = row["closes"] as String? {
                weekly[row["weekday"]] = Hours(opens: opens, closes: closes)
            }
        }
        let closed = try Row.fetchAll(db, sql: "SELECT day, note FROM clinic_closed_days ORDER BY day").compactMap { row in
            LocalDate(row["day"] as String).map { ClosedDay(day: $0, note: row["note"]) }
        }
        return ClinicCalendar(weekly: weekly, closedDays: closed)
    }
}

/// Japan's public holidays by year, computed once per year asked for.
public struct HolidayBook: Sendable {
    private var years: [Int: [LocalDate: String]] = [:]

    /// An empty book.
    public init() {}

    /// The holiday's name on `day`, if it is one.
    public mutating func name(of day: LocalDate) -> String? {
        if years[day.year] == nil {
            years[day.year] = Dictionary(JapaneseHolidays.holidays(in: day.year).map { ($0.date, $0.name) },
                                         uniquingKeysWith: { first, _ in first })
        }
        return years[day.year]?[day]
    }

    /// Whether `day` is a public holiday.
    public mutating func isHoliday(_ day: LocalDate) -> Bool {
        name(of: day) != nil
    }
}
