import Foundation
@testable import LoanRegistry
import Testing

/// Days between local dates are plain arithmetic now; they must agree with the Gregorian
/// calendar in Asia/Tokyo, across month ends, leap years and centuries.
@Suite struct LocalDateArithmeticTests {
    @Test func dayCountsAgreeWithTheCalendar() throws {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = LocalDate.timeZone
        let anchors = ["2000-01-01", "2001-12-31", "2000-02-29", "2024-02-28", "2026-11-30", "2100-03-01"]
        for text in anchors {
            let start = try #require(LocalDate(text))
            for offset in [-800, -366, -59, -1, 0, 1, 28, 31, 365, 366, 1461, 20_000] {
                let date = try #require(calendar.date(byAdding: .day, value: offset, to: start.startOfDay))
                let other = LocalDate(date)
                #expect(start.days(until: other) == offset, "\(text) + \(offset)")
            }
        }
        #expect(try #require(LocalDate("2000-01-01")).dayNumber == 10_957)
    }
}
