public import Foundation

/// How the registry writes instants into the database: UTC ISO-8601 with milliseconds.
///
/// `2026-11-21T06:50:00.123Z`. The text sorts in time order, which the indexes rely on.
public enum Timestamp {
    private static let style = Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: .gmt)

    /// The stored text form of `date`.
    public static func string(_ date: Date) -> String {
        date.formatted(style)
    }

    /// Parses the stored text form; `nil` when `text` is not one.
    public static func date(_ text: String) -> Date? {
        if let date = text.utf8.withContiguousStorageIfAvailable({ stored($0) }) ?? nil { return date }
        return try? style.parse(text)
    }

    /// The form ``string(_:)`` writes, `YYYY-MM-DDTHH:MM:SS.sssZ`, by arithmetic (a loan read
    /// parses half a dozen of these; Foundation's parser made it a noticeable part of a list);
    /// `nil` for any other form or a year outside 1600–9999, which the format style then reads.
    /// The same `Date` as the format style's, to the bit (tested).
    static func stored(_ bytes: UnsafeBufferPointer<UInt8>) -> Date? {
        guard bytes.count == 24 else { return nil }
        let b = Array(bytes)
        let separators: [(Int, Character)] = [(4, "-"), (7, "-"), (10, "T"), (13, ":"), (16, ":"), (19, "."), (23, "Z")]
        guard separators.allSatisfy({ b[$0.0] == $0.1.asciiValue }),
              let year = LocalDate.decimal(b[0..<4]), let month = LocalDate.decimal(b[5..<7]),
              let day = LocalDate.decimal(b[8..<10]), let hour = LocalDate.decimal(b[11..<13]),
              let minute = LocalDate.decimal(b[14..<16]), let second = LocalDate.decimal(b[17..<19]),
              let millisecond = LocalDate.decimal(b[20..<23]),
              // Gregorian years only: before 1582 Foundation's calendar is Julian.
              (1600...9999).contains(year), (1...12).contains(month),
              (1...LocalDate.daysIn(month: month, of: year)).contains(day),
              hour < 24, minute < 60, second < 60
        else { return nil }
        let seconds = LocalDate.dayNumber(year: year, month: month, day: day) * 86_400 + hour * 3_600 + minute * 60 + second
        // As Foundation builds it: whole seconds since 2001-01-01, then the fraction (from 1970
        // the sum rounds differently in the last bit, and then formats a millisecond early).
        return Date(timeIntervalSinceReferenceDate: Double(seconds - 978_307_200) + Double(millisecond) / 1_000)
    }
}
