/// What an audit event records: every action the registry writes, named once.
///
/// The raw value is the stored `action` text (`<entity>.<what happened>`).
public enum AuditAction: String, Sendable, CaseIterable, Codable {
    // Ledger
    case deviceModelRegistered = "device_model.registered"
    case deviceRegistered = "device.registered"
    case deviceWiped = "device.wiped"
    case deviceRetired = "device.retired"
    case deviceSentToRepair = "device.sent_to_repair"
    case deviceRepaired = "device.repaired"
    case loanContactRecorded = "loan.contact_recorded"
    case deviceDisposed = "device.disposed"
    case incidentOpened = "incident.opened"
    case incidentDeviceFound = "incident.device_found"
    case incidentReported = "incident.reported"
    // Patients
    case patientRegistered = "patient.registered"
    case patientRead = "patient.read"
    case patientCorrected = "patient.corrected"
    // Loans, explanations, consent
    case loanCreated = "loan.created"
    case loanChanged = "loan.changed"
    case loanRead = "loan.read"
    case loanNeedsNewConsent = "loan.needs_new_consent"
    case loanHandedOver = "loan.handed_over"
    case loanReturned = "loan.returned"
    case loanCancelled = "loan.cancelled"
    case loanExtended = "loan.extended"
    case loanLost = "loan.lost"
    case explanationSnapshotted = "explanation.snapshotted"
    case consentRecorded = "consent.recorded"
    case consentRead = "consent.read"
    case consentSignatureRead = "consent.signature_read"
    case consentWithdrawn = "consent.withdrawn"
    case contactSheetGiven = "contact_sheet.given"
    // Clinic
    case clinicUpdated = "clinic.updated"
    // Accounts
    case staffAdded = "staff.added"
    case staffDisabled = "staff.disabled"
    case staffEnabled = "staff.enabled"
    case staffRoleChanged = "staff.role_changed"
    case staffPasswordReset = "staff.password_reset"
    case staffPasswordChanged = "staff.password_changed"
    case passwordChangeRefused = "staff.password_change_refused"
    case staffUnlocked = "staff.unlocked"
    case securitySettingsChanged = "security_settings.changed"
    // Sign-in
    case signedIn = "auth.signed_in"
    case signInFailed = "auth.sign_in_failed"
    case accountLocked = "auth.account_locked"
    case signedOut = "auth.signed_out"
    case sessionExpired = "auth.session_expired"
    case secondFactorEnrolmentStarted = "auth.second_factor_enrolment_started"
    case secondFactorEnrolled = "auth.second_factor_enrolled"
    case secondFactorReset = "auth.second_factor_reset"
    case recoveryCodeUsed = "auth.recovery_code_used"
}
