/// Where a loan is in its lifecycle (DESIGN §4).
///
/// `draft → explained → consented → active → returned`; `draft|explained|consented → cancelled`;
/// `active → lost`. "Overdue" is derived (active and past its due date), never stored.
public enum LoanStatus: String, Sendable, Codable, CaseIterable {
    case draft, explained, consented, active, returned, cancelled, lost

    /// Open loans hold their device: at most one per device.
    public var isOpen: Bool {
        switch self {
        case .draft, .explained, .consented, .active: true
        case .returned, .cancelled, .lost: false
        }
    }
}
