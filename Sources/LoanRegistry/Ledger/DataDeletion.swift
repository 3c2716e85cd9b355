public import Foundation
import GRDB

/// Whether the patient data on a returned device has been deleted (guideline ⑩), as the return
/// answer and the device page show it: "pending" or "confirmed by X, verified by Y".
public struct DataDeletion: Sendable, Equatable, Codable {
    /// Whether the data deletion is still to do or done.
    public enum State: String, Sendable, Codable {
        /// The device came back holding patient data and waits for its wipe.
        case pending
        /// Wiped, and the wipe verified by a second person.
        case confirmed
    }

    /// Pending or confirmed.
    public let state: State
    /// How it was done.
    public let method: SecurityProfile.WipeMethod?
    /// Who did it.
    public let performedBy: String?
    /// Who checked it (another person).
    public let verifiedBy: String?
    /// When it was recorded.
    public let recordedAt: Date?
    /// `data deletion: pending` or `data deletion: confirmed by staff:sato, verified by staff:suzuki`.
    public let summary: String

    static let pending = DataDeletion(state: .pending, method: nil, performedBy: nil, verifiedBy: nil, recordedAt: nil,
                                      summary: "data deletion: pending")

    /// The wipe whose columns are in `row` under `prefix` (`method`, `performed_by`, `verified_by`, `recorded_at`).
    init?(wipeIn row: Row, prefix: String) {
        guard let performedBy: String = row[prefix + "performed_by"], let verifiedBy: String = row[prefix + "verified_by"] else {
            return nil
        }
        self.init(state: .confirmed, method: (row[prefix + "method"] as String?).flatMap(SecurityProfile.WipeMethod.init(rawValue:)),
                  performedBy: performedBy, verifiedBy: verifiedBy,
                  recordedAt: (row[prefix + "recorded_at"] as String?).flatMap(Timestamp.date),
                  summary: "data deletion: confirmed by \(performedBy), verified by \(verifiedBy)")
    }

    private init(state: State, method: SecurityProfile.WipeMethod?, performedBy: String?, verifiedBy: String?,
                 recordedAt: Date?, summary: String) {
        self.state = state
        self.method = method
        self.performedBy = performedBy
        self.verifiedBy = verifiedBy
        self.recordedAt = recordedAt
        self.summary = summary
    }

    /// Columns of the sanitization joined as `alias`, each prefixed with `prefix`.
    static func joinedColumns(_ alias: String, prefix: String) -> String {
        ["method", "performed_by", "verified_by", "recorded_at"].map { "\(alias).\($0) AS \(prefix)\($0)" }.joined(separator: ", ")
    }
}
