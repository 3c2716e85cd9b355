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

    /// Parsing and writing `YYYY-MM-DD` by arithmetic gives what the calendar gives: every day of
    /// 2000–2102 round-trips, and what is not a date is refused.
    @Test func datesParseAndPrintAsTheCalendarSays() throws {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = LocalDate.timeZone
        let formatter = DateFormatter()
        formatter.calendar = calendar
        formatter.timeZone = LocalDate.timeZone
        formatter.dateFormat = "yyyy-MM-dd"
        var day = try #require(LocalDate("2000-01-01")).startOfDay
        var count = 0
        while count < 37_600 {
            let text = formatter.string(from: day)
            let parsed = try #require(LocalDate(text), "\(text)")
            #expect(parsed.description == text && parsed == LocalDate(day))
            day = try #require(calendar.date(byAdding: .day, value: 1, to: day))
            count += 1
        }
        for wrong in ["2026-02-29", "2100-02-29", "2026-13-01", "2026-00-10", "2026-04-31", "2026-1-01", "1999-12-31",
                      "3000-01-01", "2026/01/01", "２０２６-01-01", "2026-01-0a", "", "2026-01-011",
                      "2026-+1-01", "2026-01- 1", " 2026-1-01", "+2026-01-0"] {
            #expect(LocalDate(wrong) == nil, "\(wrong)")
        }
        #expect(LocalDate("2000-02-29") != nil && LocalDate("2024-02-29") != nil)
    }

    /// Stored timestamps are read by arithmetic; the `Date` must be the format style's, to the
    /// bit, for every millisecond and across years, and other forms still parse the slow way.
    @Test func storedTimestampsParseAsTheFormatStyleDoes() throws {
        let style = Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: .gmt)
        var texts: [String] = []
        for millisecond in 0..<1_000 {
            texts.append(String(format: "2026-12-06T22:16:24.%03dZ", millisecond))
        }
        for (year, month, day) in [(2000, 1, 1), (2000, 2, 29), (2024, 12, 31), (2038, 1, 19), (2099, 6, 15)] {
            for time in ["00:00:00.000", "23:59:59.999", "12:34:56.789", "03:14:07.001"] {
                texts.append(String(format: "%04d-%02d-%02dT", year, month, day) + time + "Z")
            }
        }
        func arithmetic(_ text: String) -> Date? {
            text.utf8.withContiguousStorageIfAvailable { Timestamp.stored($0) } ?? nil
        }
        for text in texts {
            let expected = try style.parse(text)
            let parsed = try #require(arithmetic(text), "\(text) is read by arithmetic, not the fallback")
            #expect(parsed.timeIntervalSinceReferenceDate == expected.timeIntervalSinceReferenceDate, "\(text)")
            // (Foundation itself writes some of these a millisecond early again: the same here.)
            #expect(Timestamp.string(parsed) == Timestamp.string(expected), "\(text)")
        }
        #expect(Timestamp.date("2026-12-06T22:16:24Z") == (try? style.parse("2026-12-06T22:16:24Z")),
                "another form falls back to the format style")
        // Out of range for the arithmetic: left to the format style, which reads them as before.
        for odd in ["2026-02-30T00:00:00.000Z", "2026-12-06T24:00:00.000Z", "2026-12-06 22:16:24.000Z"] {
            #expect(Timestamp.date(odd) == (try? style.parse(odd)), "\(odd)")
        }
        #expect(Timestamp.date("garbage") == nil)
        // Years the arithmetic leaves to the format style (Julian before 1582; out of its range).
        for text in ["1500-01-01T00:00:00.000Z", "0000-01-01T00:00:00.000Z"] {
            #expect(arithmetic(text) == nil, "\(text)")
            #expect(Timestamp.date(text) == (try? style.parse(text)), "\(text)")
        }
    }
}
