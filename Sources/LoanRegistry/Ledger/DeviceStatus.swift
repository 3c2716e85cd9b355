/// Where a device is in its lifecycle (DESIGN §4).
///
/// `available → on_loan → awaiting_wipe → available` for models that store patient data;
/// `available → on_loan → available` for the others.
public enum DeviceStatus: String, Sendable, Codable, CaseIterable {
    case available
    case onLoan = "on_loan"
    case awaitingWipe = "awaiting_wipe"
    case inRepair = "in_repair"
    case lost
    case retired
    case disposed
}
