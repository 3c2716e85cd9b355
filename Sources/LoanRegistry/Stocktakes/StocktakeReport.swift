/// The answer of a stocktake: expected on the shelf, found, missing, unexpected, and every device
/// out on loan, split into not yet due, overdue, and confirmed by the patient during the session.
public struct StocktakeReport: Sendable, Equatable, Codable {
    /// A device as the frozen list had it.
    public struct Line: Sendable, Equatable, Codable {
        public let assetTag: String
        public let status: DeviceStatus
        public let whereabouts: String
    }

    /// A device out on loan.
    public struct LoanLine: Sendable, Equatable, Codable {
        public let assetTag: String
        public let loanNumber: String
        public let dueDate: LocalDate
        public let daysOverdue: Int?
    }

    /// A tag scanned that was not expected on the shelf.
    public struct Unexpected: Sendable, Equatable, Codable {
        public let assetTag: String
        /// In the ledger (then: its status when the session opened), or unknown.
        public let known: Bool
        public let ledgerStatus: DeviceStatus?
    }

    public let stocktake: Stocktake
    public let expectedOnShelf: [Line]
    public let found: [Line]
    public let missing: [Line]
    public let unexpected: [Unexpected]
    public let onLoanNotYetDue: [LoanLine]
    public let onLoanOverdue: [LoanLine]
    public let onLoanConfirmedByContact: [LoanLine]
    /// In repair or lost when the session opened.
    public let elsewhere: [Line]
}
