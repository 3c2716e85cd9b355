/// Every operation of the registry that needs a permission, named once.
///
/// ``AccessPolicy`` maps each to the roles allowed; the REST API, the CLI and the staff pages
/// all ask the same table.
public enum RegistryOperation: String, Sendable, CaseIterable, Codable {
    // Ledger (guideline ⑦)
    case registerDeviceModel, readDeviceModels, registerDevice, readDevices, importDevices
    // Patients
    case registerPatient, correctPatient, readPatients
    // Loans, explanation, consent, contact sheet, hand-over (guideline ⑧)
    case registerLoan, changeLoan, readLoans, recordConsent, readConsents, withdrawConsent
    case recordContactSheet, handOverLoan, receiveReturn, cancelLoan, extendLoan, printHandouts, verifyHandout
    /// Devices after a loan: data deletion (guideline ⑩).
    case recordWipe
    /// Loss and theft (guideline ③): reporting one, reading incidents, a found device, the reports to the PPC.
    case reportLoss, readIncidents, recordFound, recordIncidentReport
    /// Retirement and disposal (guideline ⑨ ⑪).
    case retireDevice, disposeDevice
    /// Sending a device to a vendor for repair and receiving it back.
    case manageRepairs
    /// Overdue follow-up: recording an attempt to reach the patient.
    case recordContactAttempt
    /// Stocktake (guideline ⑦): open (manager), scan and close (staff), sign off (manager), read.
    case openStocktake, scanStocktake, closeStocktake, signOffStocktake, readStocktakes
    // Clinic and reports
    case readClinicProfile, updateClinicProfile, readReports
    // Audit
    case readAuditLog
    /// Access review: read a period's flags and record decisions (manager, auditor); sign off (manager).
    case reviewAccess, signOffAccessReview
    // Accounts and sign-in settings
    case manageAccounts, readAccounts, manageSecuritySettings
    // One's own sign-in (any signed-in account, whatever its role)
    case manageOwnSignIn
    /// Back up or restore the whole database (the command-line operator and the server's schedule only).
    case backUpDatabase
}
