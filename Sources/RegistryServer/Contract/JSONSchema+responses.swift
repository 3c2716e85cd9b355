import LoanRegistry

/// What the API answers: every response body, with the fields always present marked required.
///
/// Response objects are open (a later version may add fields); request bodies are closed.
extension JSONSchema {
    static let timestamp = string("When, in UTC.", format: .dateTime, example: "2026-11-21T01:30:00Z")
    static let actorName = string("Who: `staff:<login>`, `cli:<os user>` or `system`.", example: "staff:sato")

    /// `{"items": [...], "nextCursor": ...}`: one page of a list.
    static func page(of item: JSONSchema, _ name: String) -> JSONSchema {
        object(name, "One page; pass `nextCursor` as `cursor` for the next (absent on the last page).", open: true, [
            ("items", array(item).required),
            ("nextCursor", string("Opaque position of the next page.", example: "MTI").optional),
        ])
    }

    /// `{"items": [...]}`: a whole list.
    static func list(of item: JSONSchema, _ name: String) -> JSONSchema {
        object(name, open: true, [("items", array(item).required)])
    }

    static let health = object("Health", "Reads and writes work and the last integrity check passed (else 503 naming the part that fails).", open: true, [
        ("status", oneOf(["ok", "degraded"], "degraded: the last scheduled backup failed.").required),
        ("database", string(example: "ok").required),
        ("writes", oneOf(["ok"]).required),
        ("integrity", object("IntegrityCheck", "The last check of the database file: at start-up, then the periodic integrity_check.", open: true, [
            ("check", oneOf(["quick_check", "integrity_check"]).required),
            ("checkedAt", timestamp.required),
            ("result", oneOf(["ok"]).required),
            ("milliseconds", integer(minimum: 0, example: 12).required),
        ]).required),
        ("backup", object("LastBackup", "The last scheduled backup this server wrote (absent before the first).", open: true, [
            ("at", timestamp.required),
            ("file", string(example: "registry-20261129-030000.sqlite").required),
            ("result", oneOf(["ok", "failed"]).required),
        ]).optional),
        ("version", string(example: "0.1.0").required),
    ])

    static let staffAccount = object("StaffAccount", "A staff account (never its password or second-factor secret).", open: true, [
        ("id", JSONSchema.id.required),
        ("login", string(example: "sato").required),
        ("displayName", string(example: "佐藤 花子").required),
        ("role", staffRole.required),
        ("active", boolean(example: true).required),
        ("passwordIsInitial", boolean().required),
        ("passwordChangedAt", timestamp.required),
        ("secondFactorEnrolled", boolean().required),
        ("lockedUntil", timestamp.optional),
        ("createdAt", timestamp.required),
        ("createdBy", actorName.required),
        ("updatedAt", timestamp.required),
        ("updatedBy", actorName.required),
    ])

    static let token = object("Token", "A bearer token: send it as `Authorization: Bearer <token>`.", open: true, [
        ("token", string(example: "lrt_6bQ3…").required),
        ("expiresAt", timestamp.required),
        ("staff", staffAccount.required),
    ])

    static let cookieSession = object("CookieSession", "A session cookie was set; send `csrfToken` as `X-CSRF-Token`.", open: true, [
        ("csrfToken", string(example: "c2f1…").required),
        ("expiresAt", timestamp.required),
        ("staff", staffAccount.required),
    ])

    static let secondFactorEnrolment = object("SecondFactorEnrolment", "The TOTP secret to add to an authenticator app.", open: true, [
        ("secret", string("Base32 secret.", example: "JBSWY3DPEHPK3PXP").required),
        ("provisioningUri", string(example: "otpauth://totp/loan-registry:sato?secret=JBSWY3DPEHPK3PXP").required),
        ("qrSvg", string("The provisioning URI as a QR code (SVG).").required),
    ])

    static let recoveryCodes = object("RecoveryCodes", "One-time codes for when the phone is lost; shown only once.", open: true, [
        ("recoveryCodes", array(string(example: "k3m9-q2x7"), maxItems: 20).required),
    ])

    static let deviceModel = object("DeviceModel", "A device model with its security profile and maker support.", open: true, [
        ("id", JSONSchema.id.required),
        ("manufacturer", string(example: "Demo Medical").required),
        ("name", string(example: "Holter Recorder H-24").required),
        ("category", oneOf(DeviceCategory.self).required),
        ("securityProfile", openCopy(securityProfile).required),
        ("support", openCopy(support).required),
        ("defaultLoanDays", integer(example: 14).required),
        ("createdAt", timestamp.required),
    ])

    static let device = object("Device", "A device in the ledger, where it is and its status.", open: true, [
        ("id", JSONSchema.id.required),
        ("modelId", JSONSchema.id.required),
        ("assetTag", string(example: "HOL-0001").required),
        ("serialNumber", string(example: "DEMO-HOL-1001").required),
        ("status", oneOf(DeviceStatus.self).required),
        ("whereabouts", string(example: "外来処置室 棚A").required),
        ("firmwareVersion", string(example: "1.0.1").optional),
        ("model", object("DeviceModelSummary", open: true, [
            ("category", oneOf(DeviceCategory.self).required),
            ("manufacturer", string(example: "Demo Medical").required),
            ("name", string(example: "Holter Recorder H-24").required),
            ("storesPatientData", boolean().required),
        ]).required),
        ("createdAt", timestamp.required),
        ("updatedAt", timestamp.required),
        ("dataDeletion", dataDeletion.optional),
    ])

    static let dataDeletion = object("DataDeletion", "Whether a returned device's patient data was deleted (guideline ⑩).", open: true, [
        ("state", oneOf(["pending", "confirmed"]).required),
        ("summary", string(example: "data deletion: confirmed by staff:sato, verified by staff:suzuki").required),
        ("method", oneOf(SecurityProfile.WipeMethod.self).optional),
        ("performedBy", actorName.optional),
        ("verifiedBy", actorName.optional),
        ("recordedAt", timestamp.optional),
    ])

    static let incidentReport = object("IncidentReport", "One report to the PPC and its deadline.", open: true, [
        ("required", boolean("Whether the incident must be reported at all.").required),
        ("dueOn", JSONSchema.date.required),
        ("submittedOn", JSONSchema.date.optional),
        ("reference", string().optional),
        ("overdue", boolean("Required, not submitted and past its due date.").required),
    ])

    static let incident = object("Incident", "A lost or stolen device, with the deadlines of its reports.", open: true, [
        ("id", JSONSchema.id.required),
        ("number", string(example: "I-2026-0001").required),
        ("loanId", JSONSchema.id.required),
        ("loanNumber", string(example: "L-2026-000001").required),
        ("deviceId", JSONSchema.id.required),
        ("assetTag", string(example: "HOL-0001").required),
        ("kind", oneOf(Incident.Kind.self).required),
        ("occurredOn", JSONSchema.date.required),
        ("discoveredOn", JSONSchema.date.required),
        ("place", string().optional),
        ("policeReport", string().optional),
        ("notes", string().required),
        ("unencryptedPatientData", boolean().required),
        ("reportable", boolean("Must be reported to the PPC (patient data readable on the device).").required),
        ("preliminaryReport", incidentReport.required),
        ("finalReport", incidentReport.required),
        ("foundAt", timestamp.optional),
        ("openedAt", timestamp.required),
        ("openedBy", actorName.required),
        ("open", boolean().required),
    ])

    static let stocktake = object("Stocktake", "A stocktake session.", open: true, [
        ("id", JSONSchema.id.required),
        ("number", string(example: "S-2026-001").required),
        ("openedAt", timestamp.required),
        ("openedBy", actorName.required),
        ("closedAt", timestamp.optional),
        ("closedBy", actorName.optional),
        ("signedOffAt", timestamp.optional),
        ("signedOffBy", actorName.optional),
        ("expectedCount", integer().required),
        ("scannedCount", integer().required),
    ])

    static let stocktakeScan = object("StocktakeScan", "What one scan found.", open: true, [
        ("assetTag", string(example: "HOL-0001").required),
        ("known", boolean().required),
        ("expectedOnShelf", boolean().required),
        ("duplicate", boolean("Already scanned in this session (it counts once).").required),
    ])

    static let stocktakeLine = object("StocktakeLine", "A device as the frozen list had it.", open: true, [
        ("assetTag", string().required),
        ("status", oneOf(DeviceStatus.self).required),
        ("whereabouts", string().required),
    ])

    static let stocktakeLoanLine = object("StocktakeLoanLine", "A device out on loan.", open: true, [
        ("assetTag", string().required),
        ("loanNumber", string().required),
        ("dueDate", JSONSchema.date.required),
        ("daysOverdue", integer().optional),
    ])

    static let stocktakeReport = object("StocktakeReport", "Found, missing, unexpected, and every device out on loan.", open: true, [
        ("stocktake", stocktake.required),
        ("expectedOnShelf", array(stocktakeLine).required),
        ("found", array(stocktakeLine).required),
        ("missing", array(stocktakeLine).required),
        ("unexpected", array(object("StocktakeUnexpected", open: true, [
            ("assetTag", string().required),
            ("known", boolean().required),
            ("ledgerStatus", oneOf(DeviceStatus.self).optional),
        ])).required),
        ("onLoanNotYetDue", array(stocktakeLoanLine).required),
        ("onLoanOverdue", array(stocktakeLoanLine).required),
        ("onLoanConfirmedByContact", array(stocktakeLoanLine).required),
        ("elsewhere", array(stocktakeLine).required),
    ])

    static let disposal = object("Disposal", "A disposed device and the evidence that no patient data left with it.", open: true, [
        ("id", JSONSchema.id.required),
        ("deviceId", JSONSchema.id.required),
        ("assetTag", string(example: "HOL-0001").required),
        ("serialNumber", string().required),
        ("model", string().required),
        ("method", oneOf(NewDisposal.Method.self).required),
        ("performedBy", string().required),
        ("vendor", string().optional),
        ("certificateNumber", string().optional),
        ("certificateReference", string().optional),
        ("evidence", oneOf(["wipe", "vendor_certificate", "no_patient_data"]).required),
        ("recordedAt", timestamp.required),
        ("recordedBy", actorName.required),
    ])

    static let deviceHistoryEntry = object("DeviceHistoryEntry", "One change of a device's status or whereabouts.", open: true, [
        ("occurredAt", timestamp.required),
        ("actor", actorName.required),
        ("event", string(example: "registered").required),
        ("fromStatus", oneOf(DeviceStatus.self).optional),
        ("toStatus", oneOf(DeviceStatus.self).required),
        ("whereabouts", string(example: "外来処置室 棚A").required),
        ("loanId", JSONSchema.id.optional),
        ("note", string().required),
    ])

    static let patient = object("Patient", "A patient (every read is audited).", open: true, [
        ("id", JSONSchema.id.required),
        ("patientNumber", string(example: "P-000001").required),
        ("name", string(example: "見本 花子").required),
        ("nameKana", string(example: "ミホン ハナコ").required),
        ("phone", string(example: "03-0000-0001").required),
        ("language", language.required),
        ("createdAt", timestamp.required),
        ("updatedAt", timestamp.optional),
    ])

    static let patientCorrection = object("PatientCorrection", "One correction of a patient record.", open: true, [
        ("correctedAt", timestamp.required),
        ("correctedBy", actorName.required),
        ("reason", string(example: "Name misspelt at registration").required),
        ("previous", object("PreviousValues", "The changed fields' values before the correction, by field name.",
                            open: true, additional: string(example: "山田 太朗"), [])
            .example(["name": "山田 太朗"]).required),
    ])

    static let explanation = object("Explanation", "An explanation snapshot: exactly what the patient was shown.", open: true, [
        ("id", JSONSchema.id.required),
        ("loanId", JSONSchema.id.required),
        ("sequence", integer(example: 1).required),
        ("language", language.required),
        ("textVersion", integer(example: 2).required),
        ("items", array(string(example: "R03")).required),
        ("risks", array(string(example: "R03")).required),
        ("precautions", array(string(example: "P01")).required),
        ("notices", array(string(example: "encrypted_at_rest")).required),
        ("deviceId", JSONSchema.id.required),
        ("startDate", JSONSchema.date.required),
        ("dueDate", JSONSchema.date.required),
        ("sha256", string("SHA-256 of `text`; a consent names it.", example: .string(String(repeating: "ab", count: 32))).required),
        ("text", string("The full text (left out of lists).").optional),
        ("textFiles", object("TextFileHashes", "SHA-256 of each text file the explanation was rendered from, by path.",
                             open: true, additional: string(example: .string(String(repeating: "cd", count: 32))), [])
            .example(["v2/ja/common.md": .string(String(repeating: "cd", count: 32))]).required),
        ("createdAt", timestamp.required),
        ("createdBy", actorName.required),
    ])

    static let loan = object("Loan", "A loan with its patient, device, explanation and hand-over state.", open: true, [
        ("id", JSONSchema.id.required),
        ("number", string(example: "L-2026-000001").required),
        ("status", oneOf(LoanStatus.self).required),
        ("startDate", JSONSchema.date.required),
        ("dueDate", JSONSchema.date.required),
        ("language", language.required),
        ("createdAt", timestamp.required),
        ("createdBy", actorName.required),
        ("handedOverAt", timestamp.optional),
        ("returnedAt", timestamp.optional),
        ("cancelledAt", timestamp.optional),
        ("cancelReason", string().optional),
        ("daysOverdue", integer(example: 3).optional),
        ("patient", object("PatientSummary", open: true, [
            ("id", JSONSchema.id.required),
            ("patientNumber", string(example: "P-000001").required),
            ("name", string(example: "見本 花子").required),
            ("phone", string(example: "03-0000-0001").required),
            ("language", language.required),
        ]).required),
        ("device", object("DeviceSummary", open: true, [
            ("id", JSONSchema.id.required),
            ("assetTag", string(example: "PECG-0001").required),
            ("serialNumber", string(example: "DEMO-PECG-1001").required),
            ("manufacturer", string(example: "Demo Medical").required),
            ("modelName", string(example: "Patch ECG P-14").required),
            ("category", oneOf(DeviceCategory.self).required),
        ]).required),
        ("explanation", explanation.optional),
        ("consent", object("ConsentState", "The decision on the current explanation, if any.", open: true, [
            ("id", JSONSchema.id.required),
            ("decision", oneOf(NewConsent.Decision.self).required),
            ("decidedAt", timestamp.required),
            ("withdrawn", boolean().required),
        ]).optional),
        ("contactSheet", object("ContactSheetRecord", "The contact sheet given for the current explanation, if it was.",
                                open: true, [
            ("id", JSONSchema.id.required),
            ("explanationId", JSONSchema.id.required),
            ("handoutVersion", integer(example: 2).required),
            ("language", language.required),
            ("givenAt", timestamp.required),
            ("givenBy", actorName.required),
        ]).optional),
        ("returnRecord", object("ReturnRecord", "How the device came back.", open: true, [
            ("condition", oneOf(LoanReturn.Condition.self).required),
            ("accessoriesComplete", boolean(example: true).required),
            ("notes", string().required),
            ("receivedBy", actorName.required),
        ]).optional),
        ("handoverRequirements", array(string(example: "consent_required"), "What the hand-over still needs.").required),
        ("recoveryRequestedAt", timestamp.optional),
        ("dataDeletion", dataDeletion.optional),
        ("lastContact", object("LastContact", "The last attempt to reach the patient about the loan.", open: true, [
            ("channel", oneOf(ContactAttempt.Channel.self).required),
            ("outcome", oneOf(ContactAttempt.Outcome.self).required),
            ("contactedAt", timestamp.required),
            ("nextActionOn", JSONSchema.date.optional),
        ]).optional),
        ("extensions", array(object("LoanExtension", "One move of the due date of an active loan.", open: true, [
            ("previousDueDate", JSONSchema.date.required),
            ("newDueDate", JSONSchema.date.required),
            ("reason", string().required),
            ("extendedAt", timestamp.required),
            ("extendedBy", actorName.required),
        ])).required),
    ])

    static let overdueReport = object("OverdueReport", "Every loan past its due date on `asOf`.", open: true, [
        ("asOf", JSONSchema.date.required),
        ("items", array(loan).required),
    ])

    static let consent = object("Consent", "A recorded consent decision, with its withdrawal if any.", open: true, [
        ("id", JSONSchema.id.required),
        ("loanId", JSONSchema.id.required),
        ("explanationId", JSONSchema.id.required),
        ("explanationSha256", string(example: .string(String(repeating: "ab", count: 32))).required),
        ("decision", oneOf(NewConsent.Decision.self).required),
        ("signer", object("ConsentSigner", open: true, [
            ("kind", oneOf(NewConsent.Signer.Kind.self).required),
            ("name", string(example: "見本 花子").required),
            ("relationship", string(example: "長男").optional),
            ("reason", string().optional),
        ]).required),
        ("explainedBy", string("The staff member who explained (as `staff:<login>`).", example: "staff:sato").required),
        ("witness", string().optional),
        ("scope", object("ConsentScopeRecord", "What the consent covers.", open: true, [
            ("lendingAndUse", boolean(example: true).required),
            ("makerCloud", boolean().required),
            ("sharing", boolean().required),
            ("research", boolean().required),
        ]).required),
        ("evidence", object("ConsentEvidence", "How the decision was signed.", open: true, [
            ("method", oneOf(NewConsent.Evidence.Method.self).required),
            ("signatureSha256", string(example: .string(String(repeating: "ef", count: 32))).optional),
            ("scanReference", string(example: "同意書綴 2026-11 No.12").optional),
        ]).optional),
        ("copyGiven", boolean().required),
        ("explainedAt", timestamp.required),
        ("decidedAt", timestamp.required),
        ("recordedBy", actorName.required),
        ("withdrawal", object("ConsentWithdrawal", "The withdrawal, if the patient withdrew.", open: true, [
            ("id", JSONSchema.id.required),
            ("reason", string(example: "No longer wishes to upload").required),
            ("channel", oneOf(ConsentWithdrawal.Channel.self).required),
            ("actionsTaken", string(example: "Stopped uploads; device recalled").required),
            ("recoveryRequired", boolean().required),
            ("withdrawnAt", timestamp.required),
            ("recordedBy", actorName.required),
        ]).optional),
    ])

    static let clinic = object("Clinic", "The clinic profile, with when and by whom it was last changed.", open: true, [
        ("name", string(example: "見本クリニック").required),
        ("department", string(example: "循環器内科").required),
        ("phone", string(example: "03-0000-1000").required),
        ("hours", string(example: "平日 9:00〜17:00").required),
        ("afterHoursPhone", string(example: "03-0000-1099").required),
        ("afterHoursReaches", oneOf(ClinicProfile.AfterHoursReaches.self).required),
        ("privacyDesk", string(example: "医事課 個人情報窓口 03-0000-1001").required),
        ("english", clinicEnglish.optional),
        ("presumedLostAfterDays", integer().optional),
        ("updatedAt", timestamp.optional),
        ("updatedBy", actorName.optional),
    ])

    static let handoutVerification = object("HandoutVerification", "What a check code printed on a page says.", open: true, [
        ("loanNumber", string(example: "L-2026-000001").required),
        ("matches", boolean("The code belongs to one of the loan's explanations.", example: true).required),
        ("explanationSequence", integer(example: 1).optional),
        ("textVersion", integer(example: 2).optional),
        ("language", language.optional),
        ("explanationSha256", string(example: .string(String(repeating: "ab", count: 32))).optional),
        ("current", boolean("That explanation is still the loan's current one.", example: true).required),
    ])

    static let problem = object("Problem", "An RFC 9457 problem. `code` is stable; `detail` never holds patient data.", open: true, [
        ("type", string(example: "urn:loan-registry:problem:validation_failed").required),
        ("title", string(example: "Invalid input").required),
        ("status", integer(example: 422).required),
        ("code", string("Stable machine-readable code.", example: "validation_failed").required),
        ("detail", string(example: "Some fields are missing or invalid.").optional),
        ("errors", array(object("FieldProblem", open: true, [
            ("field", string("Path of the field.", example: "signer.name").required),
            ("pointer", string("RFC 6901 JSON pointer to the field.", example: "/signer/name").required),
            ("message", string(example: "must not be empty").required),
        ]), "For `validation_failed`: every offending field.").optional),
        ("missing", array(string(example: "consent_required"), "For a refused hand-over: what is missing.").optional),
    ])

    /// `schema` as an open object: how a response carries a request-shaped object.
    static func openCopy(_ schema: JSONSchema) -> JSONSchema {
        guard case let .object(properties, required, _, additional) = schema.kind else { return schema }
        var copy = schema
        copy.kind = .object(properties: properties, required: required, open: true, additional: additional)
        copy.name = schema.name.map { $0 + "Record" }
        return copy
    }
}
