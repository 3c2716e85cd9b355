import GRDB

/// Example data for a newcomer: one generic model per device category, two devices each,
/// and three fictional patients (reading Japanese, やさしい日本語 and English). Added by `serve --demo` (and `make run`) to an empty database only.
public enum DemoClinic {
    /// The demo staff accounts and their passwords, printed in the README. They exist only in
    /// databases made with `--demo`.
    public static let staff: [(account: NewStaffAccount, password: String)] = [
        (NewStaffAccount(login: "sato", displayName: "佐藤 花子", role: .staff), "Counter#Desk-2026"),
        (NewStaffAccount(login: "suzuki", displayName: "鈴木 一郎", role: .manager), "Planning#Desk-2026"),
        (NewStaffAccount(login: "takahashi", displayName: "高橋 恵", role: .auditor), "Review#Ledger-2026"),
    ]

    /// Adds the demo data unless the database already has device models. Returns whether it did.
    @discardableResult
    public static func seed(_ registry: Registry) async throws -> Bool {
        let empty = try await registry.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM device_models") == 0 }
        guard empty else { return false }
        let actor = AuditActor.system
        if try await registry.clinic.profile(by: actor) == nil {
            try await registry.clinic.update(clinic, by: actor)
        }
        for (prefix, model) in models {
            let registered = try await registry.ledger.registerModel(model, by: actor)
            for n in 1...2 {
                _ = try await registry.ledger.registerDevice(
                    NewDevice(modelId: registered.id, assetTag: "\(prefix)-000\(n)", serialNumber: "DEMO-\(prefix)-\(1000 + n)",
                              whereabouts: "外来処置室 棚A", firmwareVersion: "1.0.\(n)"),
                    by: actor)
            }
        }
        for account in staff {
            let hash = try await registry.passwordHasher.hash(account.password)
            _ = try await registry.staff.insert(account.account, passwordHash: hash, initial: false, by: actor)
        }
        _ = try await registry.patients.register(
            NewPatient(patientNumber: "P-000001", name: "見本 花子", nameKana: "ミホン ハナコ", phone: "03-0000-0001", language: .ja),
            by: actor)
        _ = try await registry.patients.register(
            NewPatient(patientNumber: "P-000002", name: "Sample Alex", nameKana: "サンプル アレックス", phone: "03-0000-0002", language: .en),
            by: actor)
        _ = try await registry.patients.register(
            NewPatient(patientNumber: "P-000003", name: "見本 次郎", nameKana: "ミホン ジロウ", phone: "03-0000-0003", language: .jaEasy),
            by: actor)
        return true
    }

    /// A fictional clinic; replace it with `loan-registry clinic set` before real use.
    static let clinic = ClinicProfile(
        name: "見本クリニック", department: "循環器内科", phone: "03-0000-1000", hours: "平日 9:00〜17:00",
        afterHoursPhone: "03-0000-1099", afterHoursReaches: .clinic, privacyDesk: "医事課 個人情報窓口 03-0000-1001",
        english: .init(name: "Mihon Clinic", department: "Cardiology", hours: "Weekdays 9:00-17:00",
                       afterHoursNote: "The doctor on call answers.", privacyDesk: "Privacy desk, Medical Affairs, 03-0000-1001"))

    private static let maker = DeviceModel.Support(phone: "0120-000-000", hours: "平日 9:00〜17:00", twentyFourHours: false,
                                                      hoursEnglish: "Weekdays 9:00-17:00")
    private static let maker24 = DeviceModel.Support(phone: "0120-000-024", hours: "24時間", twentyFourHours: true,
                                                        hoursEnglish: "24 hours")

    /// Asset-tag prefix and model, one per category.
    static let models: [(String, NewDeviceModel)] = [
        ("HOL", NewDeviceModel(
            manufacturer: "Demo Medical", name: "Holter Recorder H-24", category: .holterECG,
            securityProfile: SecurityProfile(storesPatientData: true, removableMedia: true, wipeMethod: .documentedErase),
            support: maker, defaultLoanDays: 2)),
        ("PECG", NewDeviceModel(
            manufacturer: "Demo Medical", name: "Patch ECG P-14", category: .patchECG,
            securityProfile: SecurityProfile(
                storesPatientData: true, encryptedAtRest: true, bluetooth: true, pairsWithPatientPhone: true,
                cloudUpload: .init(operator: "Demo Medical Cloud", region: "JP"), encryptedInTransit: true,
                companionAppAccount: true, wipeMethod: .documentedErase),
            support: maker, defaultLoanDays: 14)),
        ("CGM", NewDeviceModel(
            manufacturer: "Demo Diabetes", name: "CGM Reader G-1", category: .cgmReader,
            securityProfile: SecurityProfile(
                storesPatientData: true, bluetooth: true, pairsWithPatientPhone: true, nfc: true,
                cloudUpload: .init(operator: "Demo Diabetes Cloud", region: "US"), encryptedInTransit: true,
                companionAppAccount: true, sharingFeature: true, wipeMethod: .factoryReset),
            support: maker24, defaultLoanDays: 14)),
        ("BP", NewDeviceModel(
            manufacturer: "Demo Health", name: "Home BP Monitor B-7", category: .homeBP,
            securityProfile: SecurityProfile(
                storesPatientData: true, bluetooth: true, pairsWithPatientPhone: true, encryptedInTransit: true,
                wipeMethod: .factoryReset),
            support: maker, defaultLoanDays: 7)),
        ("SPO2", NewDeviceModel(
            manufacturer: "Demo Health", name: "Pulse Oximeter O-2", category: .pulseOximeter,
            securityProfile: SecurityProfile(storesPatientData: false),
            support: maker, defaultLoanDays: 7)),
        ("SAS", NewDeviceModel(
            manufacturer: "Demo Sleep", name: "Home Sleep Tester S-2", category: .sleepApneaTester,
            securityProfile: SecurityProfile(storesPatientData: true, removableMedia: true, wipeMethod: .vendorReturn),
            support: maker, defaultLoanDays: 2)),
        ("ACT", NewDeviceModel(
            manufacturer: "Demo Wear", name: "Activity Tracker A-5", category: .activityTracker,
            securityProfile: SecurityProfile(
                storesPatientData: true, bluetooth: true, pairsWithPatientPhone: true,
                cloudUpload: .init(operator: "Demo Wear Inc.", region: "US"), encryptedInTransit: true, gps: true,
                companionAppAccount: true, sharingFeature: true, wipeMethod: .factoryReset),
            support: maker, defaultLoanDays: 30)),
        ("ICD", NewDeviceModel(
            manufacturer: "Demo Cardio", name: "Implant Home Transmitter T-3", category: .implantTransmitter,
            securityProfile: SecurityProfile(
                storesPatientData: true, encryptedAtRest: true, bluetooth: true, cellular: true,
                cloudUpload: .init(operator: "Demo Cardio Network", region: "JP"), encryptedInTransit: true,
                remoteService: true, wipeMethod: .vendorReturn),
            support: maker24, defaultLoanDays: 366)),
        ("CPAP", NewDeviceModel(
            manufacturer: "Demo Respiratory", name: "CPAP with Modem C-9", category: .cpapTelemetry,
            securityProfile: SecurityProfile(
                storesPatientData: true, cellular: true,
                cloudUpload: .init(operator: "Demo Home Care", region: "JP"), encryptedInTransit: true,
                removableMedia: true, remoteService: true, wipeMethod: .vendorReturn),
            support: maker24, defaultLoanDays: 90)),
        ("TAB", NewDeviceModel(
            manufacturer: "Demo Telehealth", name: "Telemonitoring Tablet M-10", category: .telemonitoringTablet,
            securityProfile: SecurityProfile(
                storesPatientData: true, encryptedAtRest: true, wifi: true, cellular: true,
                cloudUpload: .init(operator: "Demo Telehealth", region: "JP"), encryptedInTransit: true,
                remoteService: true, camera: true, microphone: true, companionAppAccount: true, wipeMethod: .mdmWipe),
            support: maker, defaultLoanDays: 30)),
    ]
}
