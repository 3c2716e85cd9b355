/// Where a loan is in its lifecycle (DESIGN §4).
///
/// The moves between them are ``LoanLifecycle/transitions``. "Overdue" is derived (active and
/// past its due date), never stored.
public enum LoanStatus: String, Sendable, Codable, CaseIterable {
    case draft, consented, active, returned, cancelled, lost

    /// Open loans hold their device: at most one per device.
    public var isOpen: Bool {
        switch self {
        case .draft, .consented, .active: true
        case .returned, .cancelled, .lost: false
        }
    }
}
