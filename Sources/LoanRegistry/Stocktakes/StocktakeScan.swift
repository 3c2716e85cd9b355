/// What one scan found.
public struct StocktakeScan: Sendable, Equatable, Codable {
    /// The device's asset tag.
    public let assetTag: String
    /// The tag is in the ledger.
    public let known: Bool
    /// The device was expected on the clinic's shelves (not out on loan, in repair or lost).
    public let expectedOnShelf: Bool
    /// Already scanned in this session (it counts once).
    public let duplicate: Bool
}
