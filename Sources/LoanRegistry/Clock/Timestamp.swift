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
        try? style.parse(text)
    }
}
