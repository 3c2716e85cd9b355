import GRDB

/// A table whose rows the audit chain covers: every event that creates or changes one of its
/// rows carries the row's ``RowDigest`` as written, so `verify --deep` can tell an edit made
/// outside the registry (with `sqlite3` on the file) from one the registry made.
public enum CoveredTable: String, Sendable, CaseIterable, Codable {
    case patients
    case devices
    case loans
    case consents
    case consentWithdrawals = "consent_withdrawals"
    case contactSheets = "contact_sheets"
    case sanitizations
    case disposals
    case incidents
    case staffAccounts = "staff_accounts"
    case clinicClosedDays = "clinic_closed_days"
    case accessReviewDecisions = "access_review_decisions"
    case accessReviewSignOffs = "access_review_sign_offs"

    /// The column that names a row in findings and digests.
    var keyColumn: String {
        switch self {
        case .clinicClosedDays: "day"
        case .accessReviewDecisions: "seq"
        case .accessReviewSignOffs: "period"
        default: "id"
        }
    }

    /// The row's key as text.
    func key(of row: Row) -> String {
        let value: DatabaseValue = row[keyColumn]
        switch value.storage {
        case .int64(let int): return String(int)
        case .string(let text): return text
        default: return "?"
        }
    }

    /// The covered table named `name` in SQLite, if it is one.
    static func named(_ name: String) -> CoveredTable? {
        CoveredTable(rawValue: name)
    }
}
