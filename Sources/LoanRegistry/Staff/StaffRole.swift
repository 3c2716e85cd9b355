/// What a staff account may do, decided by ``AccessPolicy``.
///
/// One role per account. An administrator who also works at the counter has a second account
/// with a clinical role, so the audit log shows which hat was worn.
public enum StaffRole: String, Sendable, Codable, CaseIterable, Comparable {
    /// Counter staff: patients, devices, loans, consent, contact sheet, hand-over, return.
    case staff
    /// The 企画管理者 (planning manager): everything staff do, plus the clinic profile, device
    /// models, reports and custody.
    case manager
    /// Reads everything, including the audit log; changes nothing.
    case auditor
    /// Accounts and sign-in settings; no patient data.
    case admin

    public static func < (lhs: StaffRole, rhs: StaffRole) -> Bool {
        allCases.firstIndex(of: lhs) ?? 0 < allCases.firstIndex(of: rhs) ?? 0
    }
}
