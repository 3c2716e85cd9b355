import LoanRegistry

/// Every request body the API reads: field names, types, which are required, examples.
///
/// The only list of input fields; the registry's input types carry none. Limits given here as
/// `maxLength` are those the registry checks, counted in code points as SQLite counts them.
extension JSONSchema {
    /// The body of an action that takes no fields: `{}`, or no body at all (the
    /// `Content-Type: application/json` header is still needed, see ``BrowserGuardMiddleware``).
    static let noFields = object("NoFields", "This action takes no fields: send {} or an empty body.", [])

    static let language = oneOf(Patient.Language.self, "Language of the explanation and handouts.")

    static let newPatient = object("NewPatient", "A patient to register.", [
        ("patientNumber", string("The clinic's patient number (診察券番号): half-width, no spaces at either end.",
                                 minLength: 1, maxLength: 50, example: "P-000123").required),
        ("name", string("Full name as on the patient's card.", minLength: 1, maxLength: 100, example: "山田 太郎").required),
        ("nameKana", string("Name in katakana, for searching.", maxLength: 100, example: "ヤマダ タロウ").optional),
        ("phone", string("Digits, spaces, hyphens, + or parentheses.", maxLength: 30, example: "03-1234-5678").optional),
        ("language", language.optional),
    ])

    static let patientChanges = object("PatientChanges", "Corrections to a patient; fields left out stay as they are.", [
        ("patientNumber", string(minLength: 1, maxLength: 50, example: "P-000123").optional),
        ("name", string(minLength: 1, maxLength: 100, example: "山田 太郎").optional),
        ("nameKana", string(maxLength: 100, example: "ヤマダ タロウ").optional),
        ("phone", string(maxLength: 30, example: "03-1234-5678").optional),
        ("language", language.optional),
        ("reason", string("Why the record is corrected (kept in its history).", minLength: 1, maxLength: 500,
                          example: "Name misspelt at registration").required),
    ])

    static let securityProfile = object("SecurityProfile", "What the device holds and how it connects (catalogue §3).", [
        ("storesPatientData", boolean("The device keeps measurements or other patient data.", example: true).required),
        ("encryptedAtRest", boolean().optional),
        ("bluetooth", boolean().optional),
        ("pairsWithPatientPhone", boolean().optional),
        ("wifi", boolean().optional),
        ("cellular", boolean().optional),
        ("nfc", boolean().optional),
        ("cloudUpload", object("CloudUpload", "The maker's cloud the device uploads to.", [
            ("operator", string(minLength: 1, maxLength: 200, example: "Demo Medical Cloud").required),
            ("region", string(minLength: 1, maxLength: 100, example: "JP").required),
        ]).optional),
        ("encryptedInTransit", boolean().optional),
        ("removableMedia", boolean().optional),
        ("remoteService", boolean().optional),
        ("camera", boolean().optional),
        ("microphone", boolean().optional),
        ("gps", boolean().optional),
        ("companionAppAccount", boolean().optional),
        ("sharingFeature", boolean().optional),
        ("wipeMethod", oneOf(SecurityProfile.WipeMethod.self, "How the device is wiped after a loan.").optional),
        ("supportEndDate", JSONSchema.date.optional),
    ])

    static let support = object("Support", "The maker's or supplier's support line, printed on the contact sheet.", [
        ("phone", string(minLength: 1, maxLength: 50, example: "0120-000-000").required),
        ("hours", string(minLength: 1, maxLength: 200, example: "平日 9:00-17:00").required),
        ("twentyFourHours", boolean(example: false).required),
        ("hoursEnglish", string("The hours in English, for English handouts (left out: printed as `hours`).",
                                maxLength: 200, example: "Weekdays 9:00-17:00").optional),
    ])

    static let newDeviceModel = object("NewDeviceModel", "A make and model of device.", [
        ("manufacturer", string(minLength: 1, maxLength: 200, example: "Demo Medical").required),
        ("name", string(minLength: 1, maxLength: 200, example: "Holter Recorder H-24").required),
        ("category", oneOf(DeviceCategory.self).required),
        ("securityProfile", securityProfile.required),
        ("support", support.required),
        ("defaultLoanDays", integer("Loan length when a loan gives no due date.", minimum: 1, maximum: 366,
                                    example: 14).required),
    ])

    static let newDevice = object("NewDevice", "A device to add to the ledger.", [
        ("modelId", JSONSchema.id.required),
        ("assetTag", string("The clinic's label on the device: half-width, no spaces.", minLength: 1, maxLength: 50,
                            example: "HOL-0003").required),
        ("serialNumber", string(minLength: 1, maxLength: 100, example: "SN-12345").required),
        ("whereabouts", string("Where the device is kept.", maxLength: 500, example: "外来処置室 棚A").optional),
        ("firmwareVersion", string(minLength: 1, maxLength: 100, example: "1.0.3").optional),
    ])

    static let newLoan = object("NewLoan", "A loan to register; its explanation is built at once.", [
        ("deviceId", string("The device's id or asset tag.", minLength: 1, maxLength: 100, example: "HOL-0001").required),
        ("patientId", string("The patient's id or patient number.", minLength: 1, maxLength: 100,
                             example: "P-000001").required),
        ("dueDate", JSONSchema.date.optional),
        ("startDate", JSONSchema.date.optional),
        ("language", language.optional),
    ])

    static let loanChanges = object("LoanChanges", "Changes to a loan not yet handed over; fields left out stay.", [
        ("deviceId", string(minLength: 1, maxLength: 100, example: "HOL-0002").optional),
        ("startDate", JSONSchema.date.optional),
        ("dueDate", JSONSchema.date.optional),
        ("language", language.optional),
    ])

    static let loanReturn = object("LoanReturn", "What staff record when a device comes back.", [
        ("condition", oneOf(LoanReturn.Condition.self).required),
        ("accessoriesComplete", boolean(example: true).required),
        ("notes", string(maxLength: 2000, example: "Strap worn").optional),
    ])

    static let sanitization = object("NewSanitization", "A wipe of a returned device (guideline ⑩), verified by a second person.", [
        ("method", oneOf(SecurityProfile.WipeMethod.self, "One of the model's wipe methods.").required),
        ("performedBy", string("Login of the staff member who wiped it.", minLength: 1, maxLength: 100, example: "sato").required),
        ("verifiedBy", string("Login of a different staff member who checked it.", minLength: 1, maxLength: 100,
                              example: "suzuki").required),
        ("dataExportedFirst", boolean("Whether the measurements were exported before the wipe.", example: false).required),
        ("exportReference", string("Where the export went (required when exported).", minLength: 1, maxLength: 300).optional),
        ("notes", string(maxLength: 2000).optional),
    ])

    static let loanExtension = object("LoanExtensionRequest", "A new due date for an active loan, and why.", [
        ("dueDate", JSONSchema.date.required),
        ("reason", string(minLength: 1, maxLength: 500, example: "Holter test repeated").required),
    ])

    static let newLoss = object("NewLoss", "The device was lost or stolen while out on the loan.", [
        ("kind", oneOf(Incident.Kind.self).required),
        ("occurredOn", JSONSchema.date.required),
        ("discoveredOn", JSONSchema.date.required),
        ("place", string(minLength: 1, maxLength: 200, example: "電車内").optional),
        ("policeReport", string("The police report number, if any.", minLength: 1, maxLength: 100).optional),
        ("notes", string(maxLength: 2000).optional),
    ])

    static let incidentReportSubmission = object("IncidentReportSubmission", "A report to the PPC was submitted.", [
        ("stage", oneOf(IncidentReportSubmission.Stage.self, "preliminary (速報) or final (確報).").required),
        ("submittedOn", JSONSchema.date.required),
        ("reference", string(minLength: 1, maxLength: 200).optional),
    ])

    static let newRepair = object("NewRepair", "A device sent to a vendor for repair.", [
        ("vendor", string(minLength: 1, maxLength: 200, example: "Demo Medical Service").required),
        ("reference", string("The vendor's repair reference.", minLength: 1, maxLength: 100, example: "RMA-1234").required),
        ("dataHandling", oneOf(NewRepair.DataHandling.self, "How the patient data was handled before it left.").required),
        ("notes", string(maxLength: 2000).optional),
    ])

    static let repairReceipt = object("RepairReceipt", "A device back from repair.", [
        ("notes", string(maxLength: 2000).optional),
    ])

    static let newContactAttempt = object("NewContactAttempt", "An attempt to reach the patient about a loan.", [
        ("channel", oneOf(ContactAttempt.Channel.self).required),
        ("outcome", oneOf(ContactAttempt.Outcome.self).required),
        ("nextActionOn", JSONSchema.date.optional),
        ("notes", string(maxLength: 2000).optional),
    ])

    static let stocktakeScanRequest = object("StocktakeScanRequest", "An asset tag found (typed or from a barcode scanner).", [
        ("assetTag", string(minLength: 1, maxLength: 50, example: "HOL-0001").required),
    ])

    static let retirement = object("Retirement", "Why a device is taken out of service.", [
        ("reason", string(minLength: 1, maxLength: 500, example: "Battery no longer holds a charge").required),
    ])

    static let newDisposal = object("NewDisposal", "The disposal of a retired device (guideline ⑪).", [
        ("method", oneOf(NewDisposal.Method.self).required),
        ("performedBy", string(minLength: 1, maxLength: 200, example: "suzuki").required),
        ("vendor", string(minLength: 1, maxLength: 200).optional),
        ("certificateNumber", string(minLength: 1, maxLength: 100).optional),
        ("certificateReference", string(minLength: 1, maxLength: 300).optional),
        ("noReadableDataConfirmed", boolean("Must be true: no readable medical data remains.").required),
    ])

    static let cancellation = object("Cancellation", "Why a loan is cancelled before hand-over.", [
        ("reason", string(minLength: 1, maxLength: 500, example: "Patient postponed the test").required),
    ])

    static let newConsent = object("NewConsent", "The patient's decision on the loan's current explanation.", [
        ("explanationSha256", string("SHA-256 of the explanation shown, as 64 lower-case hex digits.", minLength: 64,
                                     maxLength: 64, example: .string(String(repeating: "ab", count: 32))).required),
        ("signer", object("Signer", "Who signs: the patient, or a proxy with relationship and reason.", [
            ("kind", oneOf(NewConsent.Signer.Kind.self).required),
            ("name", string(minLength: 1, maxLength: 200, example: "山田 太郎").required),
            ("relationship", string(maxLength: 100, example: "長男").optional),
            ("reason", string(maxLength: 500, example: "本人が署名できないため").optional),
        ]).required),
        ("decision", oneOf(NewConsent.Decision.self).required),
        ("explainedBy", string("The login of the staff member who explained.", minLength: 1, maxLength: 100,
                               example: "sato").required),
        ("witness", string(maxLength: 200).optional),
        ("scope", object("ConsentScope", "The patient's answer to each question the model raises; required for a grant "
                         + "on a model that uploads to its maker's cloud or can share data.", [
            ("makerCloud", boolean("Required, and only allowed, when the model uploads to its maker's cloud; "
                                   + "no blocks the hand-over (scope_refused).").optional),
            ("sharing", boolean("Required, and only allowed, when the model has a sharing feature.").optional),
            ("research", boolean("The clinic's own question; left out means no.").optional),
        ]).optional),
        ("signature", object("SignatureEvidence", "A tablet signature (PNG) or a reference to a paper scan.", [
            ("method", oneOf(NewConsent.Evidence.Method.self).required),
            ("pngBase64", string("The signature as a base64 PNG (tablet).", format: .byte).optional),
            ("scanReference", string("Where the signed paper form is filed (paper).", maxLength: 300).optional),
            ("strokes", object("SignatureStrokes", "The pen strokes the tablet PNG was drawn from (tablet), kept and hashed as evidence.", [
                ("canvasWidth", integer("The pad's width in CSS pixels.", minimum: 1, maximum: 10_000).required),
                ("canvasHeight", integer("The pad's height in CSS pixels.", minimum: 1, maximum: 10_000).required),
                ("devicePixelRatioThousandths", integer("Device pixel ratio × 1000.", minimum: 100, maximum: 10_000).required),
                ("resizes", integer("Times the pad was resized or rotated while signing.", minimum: 0, maximum: 10_000).required),
                ("strokes", array(array(array(integer(minimum: 0, maximum: 3_600_000), maxItems: 4), maxItems: 20_000),
                                  "Each stroke's points [x, y, t, p]: x, y in 1/10000 of the pad, t ms, p pressure × 1000.",
                                  maxItems: 200).required),
            ]).optional),
        ]).example(["method": "paper", "scanReference": "同意書綴 2026-11 No.12"]).optional),
        ("explainedAt", JSONSchema.dateTime.optional),
        ("copyGiven", boolean("A copy of the signed form was given to the patient.").optional),
    ]).example([
        "explanationSha256": .string(String(repeating: "ab", count: 32)),
        "signer": ["kind": "self", "name": "山田 太郎"],
        "decision": "granted",
        "explainedBy": "sato",
        "signature": ["method": "paper", "scanReference": "同意書綴 2026-11 No.12"],
        "copyGiven": true,
    ])

    static let newConsentWithdrawal = object("NewConsentWithdrawal", "A patient withdrawing a granted consent.", [
        ("reason", string(minLength: 1, maxLength: 500, example: "No longer wishes to upload").required),
        ("channel", oneOf(ConsentWithdrawal.Channel.self).required),
        ("actionsTaken", string(minLength: 1, maxLength: 2000, example: "Stopped uploads; device recalled").required),
    ])

    static let contactSheetGiven = object("ContactSheetGiven", "The contact sheet was handed to the patient.", [
        ("givenAt", JSONSchema.dateTime.optional),
        ("handoutVersion", integer("The contact sheet version handed over.", minimum: 1, example: 1).optional),
    ])

    static let clinicProfile = object("ClinicProfile", "The clinic's contact details, printed on every handout.", [
        ("name", string(minLength: 1, maxLength: 200, example: "さくら内科クリニック").required),
        ("department", string(minLength: 1, maxLength: 200, example: "循環器内科").required),
        ("phone", string(minLength: 1, maxLength: 50, example: "03-0000-1000").required),
        ("hours", string(minLength: 1, maxLength: 200, example: "平日 9:00〜17:00").required),
        ("afterHoursPhone", string(minLength: 1, maxLength: 50, example: "03-0000-1099").required),
        ("afterHoursReaches", oneOf(ClinicProfile.AfterHoursReaches.self).required),
        ("privacyDesk", string(minLength: 1, maxLength: 200, example: "医事課 個人情報窓口 03-0000-1001").required),
        ("english", clinicEnglish.optional),
        ("presumedLostAfterDays", integer("Days overdue before a loan is listed to decide: presumed lost (default 30).",
                                          minimum: 1, maximum: 366, example: 30).optional),
        // Read-only, so a profile read with GET can be sent back changed; the registry sets both.
        ("updatedAt", string("Read-only: ignored.", format: .dateTime).orNull.optional),
        ("updatedBy", string("Read-only: ignored.", maxLength: 200).orNull.optional),
    ])

    static let clinicEnglish = object("ClinicProfileEnglish",
                                      "The clinic's details in English, printed on English handouts; a field left out is printed in Japanese.", [
        ("name", string(maxLength: 200, example: "Mihon Clinic").optional),
        ("department", string(maxLength: 200, example: "Cardiology").optional),
        ("hours", string(maxLength: 200, example: "Weekdays 9:00-17:00").optional),
        ("afterHoursNote", string(maxLength: 200, example: "The doctor on call answers.").optional),
        ("privacyDesk", string(maxLength: 200, example: "Privacy desk, Medical Affairs, 03-0000-1001").optional),
    ])

    static let signIn = object("SignIn", "A sign-in: login and password, and a TOTP or recovery code when enrolled.", [
        ("login", string(minLength: 1, maxLength: 200, example: "sato").required),
        ("password", string(minLength: 1, maxLength: 1024, example: "correct horse #7 battery").required),
        ("totp", string("The 6-digit code from the authenticator app.", maxLength: 16, example: "123456").optional),
        ("recoveryCode", string(maxLength: 64).optional),
    ])

    static let passwordChange = object("PasswordChange", "Changing one's own password (also an initial one).", [
        ("login", string(minLength: 1, maxLength: 200, example: "sato").required),
        ("currentPassword", string(minLength: 1, maxLength: 1024, example: "Counter#Desk-2026").required),
        ("newPassword", string("13+ characters mixing letters, digits and symbols (8+ with TOTP).", minLength: 1,
                               maxLength: 1024, example: "Night#Ledger-Walk-88").required),
    ])

    static let secondFactorStart = object("SecondFactorStart", "Starting TOTP enrolment needs the password again.", [
        ("currentPassword", string(minLength: 1, maxLength: 1024, example: "Counter#Desk-2026").required),
    ])

    static let secondFactorConfirm = object("SecondFactorConfirm", "The first code from the authenticator app.", [
        ("code", string(minLength: 1, maxLength: 16, example: "123456").required),
    ])

    static let staffRole = oneOf(StaffRole.self, "staff, manager (企画管理者), auditor or admin.")

    static let newStaffAccount = object("NewStaffAccount", "A staff account; its owner must change the initial password.", [
        ("login", string("2-32 lower-case letters, digits or . _ -", minLength: 2, maxLength: 32, example: "tanaka").required),
        ("displayName", string(minLength: 1, maxLength: 100, example: "田中 花子").required),
        ("role", staffRole.required),
        ("initialPassword", string(minLength: 1, maxLength: 1024, example: "Temporary#Pass-2026").required),
    ])

    static let roleChange = object("RoleChange", "An account's new role.", [("role", staffRole.required)])

    static let passwordReset = object("PasswordReset", "A new initial password set by an administrator.", [
        ("initialPassword", string(minLength: 1, maxLength: 1024, example: "Temporary#Pass-2026").required),
    ])

    static let securitySettings = object("SecuritySettings", "The clinic's sign-in rules.", [
        ("requireSecondFactor", array(staffRole, "Roles that must use TOTP.", maxItems: 4).required),
        ("passwordMaxAgeDays", integer("Days before a password must change; null for never.", minimum: 1,
                                       maximum: 3650).orNull.optional),
        ("tokenLifetimeMinutes", integer(minimum: 5, maximum: 10080, example: 720).required),
        ("idleTimeoutMinutes", integer(minimum: 1, maximum: 1440, example: 30).required),
        ("lockoutThreshold", integer(minimum: 1, maximum: 100, example: 5).required),
        ("lockoutWindowMinutes", integer(minimum: 1, maximum: 1440, example: 15).required),
        ("lockoutMinutes", integer(minimum: 1, maximum: 1440, example: 15).required),
    ])
}
