/// The answer of a stocktake: expected on the shelf, found, missing, unexpected, and every device
/// out on loan, split into not yet due, overdue, and confirmed by the patient during the session.
public struct StocktakeReport: Sendable, Equatable, Codable {
    /// A device as the frozen list had it.
    public struct Line: Sendable, Equatable, Codable {
        /// The device's asset tag.
        public let assetTag: String
        /// The device's status in the frozen list.
        public let status: DeviceStatus
        /// Where the ledger said it was.
        public let whereabouts: String
    }

    /// A device out on loan.
    public struct LoanLine: Sendable, Equatable, Codable {
        /// The device's asset tag.
        public let assetTag: String
        /// The loan number, `L-YYYY-NNNNNN`.
        public let loanNumber: String
        /// The loan's due date.
        public let dueDate: LocalDate
        /// Days past the due date, if overdue.
        public let daysOverdue: Int?
    }

    /// A tag scanned that was not expected on the shelf.
    public struct Unexpected: Sendable, Equatable, Codable {
        /// The device's asset tag.
        public let assetTag: String
        /// In the ledger (then: its status when the session opened), or unknown.
        public let known: Bool
        /// Its status in the frozen list, if it was in the ledger.
        public let ledgerStatus: DeviceStatus?
    }

    /// The session.
    public let stocktake: Stocktake
    /// Devices that should be on the clinic's shelves.
    public let expectedOnShelf: [Line]
    /// Shelf devices scanned.
    public let found: [Line]
    /// Shelf devices not scanned.
    public let missing: [Line]
    /// Tags scanned that were not expected on the shelf.
    public let unexpected: [Unexpected]
    /// Devices out on loan, not yet due.
    public let onLoanNotYetDue: [LoanLine]
    /// Devices out on loan and overdue.
    public let onLoanOverdue: [LoanLine]
    /// Devices out on loan that the patient confirmed having during the session.
    public let onLoanConfirmedByContact: [LoanLine]
    /// In repair or lost when the session opened.
    public let elsewhere: [Line]
}
