public import Foundation
import GRDB

/// A stocktake session (guideline ⑦): what the ledger expected when it opened, what staff found.
public struct Stocktake: Sendable, Equatable, Codable, Identifiable {
    /// The record's id (UUID).
    public let id: String
    /// `S-YYYY-NNN`.
    public let number: String
    /// When it was recorded.
    public let openedAt: Date
    /// Who recorded it.
    public let openedBy: String
    /// When it was closed (no more scans).
    public let closedAt: Date?
    /// Who closed it.
    public let closedBy: String?
    /// When the planning manager signed it off.
    public let signedOffAt: Date?
    /// The planning manager who signed it off.
    public let signedOffBy: String?
    /// Devices in the frozen list (every device not disposed of when it opened).
    public let expectedCount: Int
    /// Distinct asset tags scanned.
    public let scannedCount: Int

    init(row: Row) {
        id = row["id"]
        number = row["number"]
        openedAt = Timestamp.date(row["opened_at"]) ?? .distantPast
        openedBy = row["opened_by"]
        closedAt = (row["closed_at"] as String?).flatMap(Timestamp.date)
        closedBy = row["closed_by"]
        signedOffAt = (row["signed_off_at"] as String?).flatMap(Timestamp.date)
        signedOffBy = row["signed_off_by"]
        expectedCount = row["expected_count"]
        scannedCount = row["scanned_count"]
    }

    static let selectSQL = """
        SELECT s.*, (SELECT count(*) FROM stocktake_expected e WHERE e.stocktake_id = s.id) AS expected_count,
               (SELECT count(*) FROM stocktake_scans c WHERE c.stocktake_id = s.id) AS scanned_count
        FROM stocktakes s
        """

    static func fetch(_ db: Database, reference: String) throws -> Stocktake {
        guard let row = try Row.fetchOne(db, sql: selectSQL + " WHERE s.id = ? OR s.number = ?", arguments: [reference, reference])
        else { throw RegistryError.notFound(entity: "stocktake", id: reference) }
        return Stocktake(row: row)
    }
}
