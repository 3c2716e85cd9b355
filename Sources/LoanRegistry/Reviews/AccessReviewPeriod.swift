import Foundation

/// The days an access review covers, inclusive, in Asia/Tokyo: named `YYYY-MM-DD..YYYY-MM-DD`.
public struct AccessReviewPeriod: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The first day.
    public let from: LocalDate
    /// The last day.
    public let to: LocalDate

    /// The longest period one review covers.
    public static let maximumDays = 366

    /// A period from `from` to `to`; `nil` when `to` is before `from` or it spans more than a year.
    public init?(from: LocalDate, to: LocalDate) {
        guard from <= to, from.days(until: to) < Self.maximumDays else { return nil }
        self.from = from
        self.to = to
    }

    /// The period named `YYYY-MM-DD..YYYY-MM-DD`.
    public init?(id: String) {
        let parts = id.components(separatedBy: "..")
        guard parts.count == 2, let from = LocalDate(parts[0]), let to = LocalDate(parts[1]) else { return nil }
        self.init(from: from, to: to)
    }

    /// `YYYY-MM-DD..YYYY-MM-DD`.
    public var id: String { "\(from)..\(to)" }

    public var description: String { id }

    private enum CodingKeys: String, CodingKey { case id, from, to }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let from = try container.decode(LocalDate.self, forKey: .from), to = try container.decode(LocalDate.self, forKey: .to)
        guard let period = AccessReviewPeriod(from: from, to: to) else {
            throw DecodingError.dataCorruptedError(forKey: .to, in: container, debugDescription: "not a period")
        }
        self = period
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(from, forKey: .from)
        try container.encode(to, forKey: .to)
    }

    /// Whether `day` falls in the period.
    public func contains(_ day: LocalDate) -> Bool { from <= day && day <= to }
}
