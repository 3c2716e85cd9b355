/// Who may do what: the one table of the registry's permissions.
///
/// Every registry operation checks it through ``AuditActor/authorize(_:)``, and the REST API
/// consults it before decoding a request, so the CLI, the API and the staff pages give the same
/// answer.
///
/// | Operation group | staff | manager | auditor | admin |
/// |---|---|---|---|---|
/// | patients, devices, loans, consent, contact sheet, hand-over, return, extension, wipe, loss, found | ✓ | ✓ | read | – |
/// | incidents | ✓ | ✓ | ✓ | – |
/// | reports to the PPC, retirement, disposal, opening and signing off a stocktake | – | ✓ | – | – |
/// | stocktake scans and close | ✓ | ✓ | – | – |
/// | handouts | ✓ | ✓ | ✓ | – |
/// | clinic profile, device models | read | ✓ | read | – |
/// | device import | – | ✓ | – | – |
/// | reports, audit log, access review and its decisions | – | ✓ | ✓ | – |
/// | signing off an access review | – | ✓ | – | – |
/// | accounts, sign-in settings | – | – | read accounts | ✓ |
/// | one's own password, second factor, sign-out | ✓ | ✓ | ✓ | ✓ |
/// | backup and restore of the whole database | – | – | – | – (the command-line operator and the server's schedule) |
///
/// The administrator reads no patient data: account administration is kept apart from clinical
/// work (least privilege); an administrator who works at the counter uses a second account.
public enum AccessPolicy {
    /// The roles allowed to perform `operation`.
    public static func roles(for operation: RegistryOperation) -> Set<StaffRole> {
        switch operation {
        case .registerPatient, .correctPatient, .registerDevice, .registerLoan, .changeLoan, .recordConsent, .withdrawConsent,
             .recordContactSheet, .handOverLoan, .receiveReturn, .cancelLoan, .extendLoan, .recordWipe, .reportLoss,
             .recordFound, .manageRepairs, .recordContactAttempt, .scanStocktake, .closeStocktake:
            [.staff, .manager]
        case .readPatients, .readDevices, .readDeviceModels, .readLoans, .readConsents, .printHandouts, .verifyHandout,
             .readClinicProfile, .readIncidents, .readStocktakes:
            [.staff, .manager, .auditor]
        case .registerDeviceModel, .importDevices, .updateClinicProfile, .recordIncidentReport, .retireDevice, .disposeDevice,
             .openStocktake, .signOffStocktake, .signOffAccessReview:
            [.manager]
        case .readReports, .readAuditLog, .reviewAccess:
            [.manager, .auditor]
        case .manageAccounts, .manageSecuritySettings:
            [.admin]
        case .readAccounts:
            [.admin, .auditor]
        case .manageOwnSignIn:
            Set(StaffRole.allCases)
        case .backUpDatabase:
            []
        }
    }

    /// Operations the command-line operator (`cli:<os user>`, who holds the database file) may
    /// perform without naming a staff account: account administration and sign-in settings.
    public static let operatorOperations: Set<RegistryOperation> = [.manageAccounts, .readAccounts, .manageSecuritySettings,
                                                                    .backUpDatabase]

    /// Whether `actor` may perform `operation`.
    public static func allows(_ actor: AuditActor, _ operation: RegistryOperation) -> Bool {
        switch actor.kind {
        case .system: true
        case .commandLineOperator: operatorOperations.contains(operation)
        case .staff(_, _, let role): roles(for: operation).contains(role)
        }
    }
}

extension AuditActor {
    /// Throws ``RegistryError/forbidden(_:)`` unless ``AccessPolicy`` allows `operation`.
    public func authorize(_ operation: RegistryOperation) throws {
        guard AccessPolicy.allows(self, operation) else { throw RegistryError.forbidden(operation) }
    }
}
