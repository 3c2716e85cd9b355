/// Where a device is in its lifecycle (DESIGN §4).
///
/// The moves between them are ``DeviceLifecycle/transitions``.
public enum DeviceStatus: String, Sendable, Codable, CaseIterable {
    case available
    case onLoan = "on_loan"
    case awaitingWipe = "awaiting_wipe"
    case inRepair = "in_repair"
    case lost
    case retired
    case disposed
}
