/// A period's access review: reads of patient data per account, and every flag with its decision.
public struct AccessReview: Sendable, Equatable, Codable {
    /// One account's reads in the period.
    public struct Account: Sendable, Equatable, Codable {
        /// `staff:<login>` (or `cli:<user>`, `system`).
        public let account: String
        /// Reads of patient data.
        public let reads: Int
        /// Of which outside working hours.
        public let offHoursReads: Int
        /// Distinct patients read.
        public let patients: Int
        /// Of which without a care relationship.
        public let patientsWithoutRelationship: Int
        /// Days with reads.
        public let days: Int
        /// Flags about this account.
        public let flags: Int
    }

    /// A manager's sign-off of the period.
    public struct SignOff: Sendable, Equatable, Codable {
        public let signedAt: String
        public let signedBy: String
        public let flags: Int
        public let note: String
    }

    /// The period.
    public let period: AccessReviewPeriod
    /// The calendar the off-hours flags were computed with.
    public let calendar: ClinicCalendar
    /// Reads of patient data in the period, all accounts.
    public let reads: Int
    /// Per account, most reads first.
    public let accounts: [Account]
    /// Every flag, in kind then account then day order.
    public let flags: [AccessFlag]
    /// Flags without a decision.
    public var undecided: Int { flags.filter { $0.decision == nil }.count }
    /// The sign-off, once given.
    public let signOff: SignOff?

    private enum CodingKeys: String, CodingKey { case period, calendar, reads, undecided, accounts, flags, signOff }

    public init(period: AccessReviewPeriod, calendar: ClinicCalendar, reads: Int, accounts: [Account], flags: [AccessFlag],
                signOff: SignOff?) {
        self.period = period
        self.calendar = calendar
        self.reads = reads
        self.accounts = accounts
        self.flags = flags
        self.signOff = signOff
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        period = try container.decode(AccessReviewPeriod.self, forKey: .period)
        calendar = try container.decode(ClinicCalendar.self, forKey: .calendar)
        reads = try container.decode(Int.self, forKey: .reads)
        accounts = try container.decode([Account].self, forKey: .accounts)
        flags = try container.decode([AccessFlag].self, forKey: .flags)
        signOff = try container.decodeIfPresent(SignOff.self, forKey: .signOff)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(period, forKey: .period)
        try container.encode(calendar, forKey: .calendar)
        try container.encode(reads, forKey: .reads)
        try container.encode(undecided, forKey: .undecided)
        try container.encode(accounts, forKey: .accounts)
        try container.encode(flags, forKey: .flags)
        try container.encodeIfPresent(signOff, forKey: .signOff)
    }
}

/// Whether the access log has gone unreviewed for too long (shown on managers' home page).
public struct AccessReviewStatus: Sendable, Equatable, Codable {
    /// The last day covered by a signed-off review, if any.
    public let reviewedThrough: LocalDate?
    /// The first day not covered by a signed-off review (the first day with audit events when none is).
    public let unreviewedSince: LocalDate?
    /// Whether `unreviewedSince` is more than ``AccessReviews/overdueAfterDays`` days ago.
    public let overdue: Bool

    /// A status with every field given.
    public init(reviewedThrough: LocalDate?, unreviewedSince: LocalDate?, overdue: Bool) {
        self.reviewedThrough = reviewedThrough
        self.unreviewedSince = unreviewedSince
        self.overdue = overdue
    }
}
