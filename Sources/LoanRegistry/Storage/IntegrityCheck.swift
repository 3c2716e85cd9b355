public import Foundation

/// Which of SQLite's consistency checks to run.
public enum IntegrityCheck: String, Sendable, Codable {
    /// `PRAGMA quick_check`: every page and record is well formed (seconds on a large file).
    /// It does not compare indexes with their tables.
    case quick = "quick_check"
    /// `PRAGMA integrity_check`: also checks every index against its table (slower).
    case full = "integrity_check"
}

/// The outcome of the last consistency check of the database file.
public struct IntegrityReport: Sendable, Equatable, Codable {
    /// Which check ran.
    public let check: IntegrityCheck
    /// When it finished.
    public let checkedAt: Date
    /// The first problem SQLite named; `nil` when the file is sound.
    public let firstProblem: String?
    /// How long it took, in milliseconds.
    public let milliseconds: Int

    /// `true` when the check answered `ok`.
    public var passed: Bool { firstProblem == nil }
}
