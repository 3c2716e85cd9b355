import LoanRegistry

/// The audit log, its verification and the access review, as the API answers and reads them.
extension JSONSchema {
    static let auditEvent = object("AuditEvent", "One event of the hash-chained audit log.", open: true, [
        ("seq", integer(minimum: 1, example: 42).required),
        ("occurredAt", timestamp.required),
        ("actor", actorName.required),
        ("action", string(example: "patient.read").required),
        ("entityType", string(example: "patient").required),
        ("entityId", string().required),
        ("details", string("Canonical JSON (sorted keys): identifiers and state names, never patient data; rowDigests "
                           + "lists the SHA-256 of each row the event wrote.", example: "{\"number\":\"L-2026-000001\"}").required),
        ("previousHash", string(example: .string(String(repeating: "0", count: 64))).required),
        ("hash", string(example: .string(String(repeating: "ab", count: 32))).required),
    ])

    static let auditCheckpoint = object("AuditCheckpoint", "A signed statement of the chain's head.", open: true, [
        ("number", integer(minimum: 1).required),
        ("seq", integer(minimum: 0).required),
        ("headHash", string().required),
        ("eventCount", integer(minimum: 0).required),
        ("at", string().required),
        ("publicKey", string("Ed25519 public key, hex.").required),
        ("signature", string("Ed25519 signature of the checkpoint text, hex.").required),
    ])

    static let verification = object("Verification", "What verification found; passed only when every check did.", open: true, [
        ("passed", boolean().required),
        ("integrity", array(string()).required),
        ("foreignKeyViolations", integer(minimum: 0).required),
        ("auditChain", object("AuditChainVerification", open: true, [
            ("eventsChecked", integer(minimum: 0).required),
            ("headHash", string().required),
            ("firstBreak", object("AuditChainBreak", open: true, [
                ("seq", integer().required), ("reason", string().required),
            ]).optional),
        ]).required),
        ("triggers", object("TriggerVerification", open: true, [
            ("expected", integer(minimum: 0).required),
            ("releasedHash", string().required),
            ("actualHash", string().required),
            ("findings", array(object("TriggerFinding", open: true, [
                ("name", string().required), ("problem", oneOf(["missing", "changed", "unexpected"]).required),
            ])).required),
        ]).required),
        ("checkpoints", object("CheckpointVerification", open: true, [
            ("checkpointsChecked", integer(minimum: 0).required),
            ("latest", auditCheckpoint.optional),
            ("logPresent", boolean().required),
            ("problems", array(string()).required),
        ]).optional),
        ("rows", object("RowCoverageVerification", open: true, [
            ("rowsChecked", integer(minimum: 0).required),
            ("findingCount", integer(minimum: 0).required),
            ("findings", array(object("RowFinding", open: true, [
                ("table", string().required), ("id", string().required),
                ("problem", oneOf(RowCoverageVerification.Problem.self).required),
                ("lastEventSeq", integer().optional),
            ])).required),
        ]).optional),
    ])

    static let reviewPeriod = string("Days of the review, inclusive, in Japan: `YYYY-MM-DD..YYYY-MM-DD`, at most a year.",
                                     minLength: 22, maxLength: 22,
                                     pattern: "^[0-9]{4}-[0-9]{2}-[0-9]{2}\\.\\.[0-9]{4}-[0-9]{2}-[0-9]{2}$",
                                     example: "2026-11-01..2026-11-30")

    static let accessReviewDecision = object("AccessReviewDecision", open: true, [
        ("item", string().required),
        ("decision", oneOf(AccessReviewDecision.Outcome.self).required),
        ("note", string().required),
        ("decidedAt", string().required),
        ("decidedBy", actorName.required),
    ])

    static let accessFlag = object("AccessFlag", "Something in the access log a reviewer must decide on.", open: true, [
        ("id", string(example: "off_hours:staff:sato:2026-11-03").required),
        ("kind", oneOf(AccessFlag.Kind.self).required),
        ("account", actorName.required),
        ("day", JSONSchema.date.optional),
        ("patientId", JSONSchema.id.optional),
        ("count", integer(minimum: 1).required),
        ("events", array(integer(minimum: 1)).required),
        ("facts", object("AccessFlagFacts", open: true, additional: string(), []).required),
        ("decision", accessReviewDecision.optional),
    ])

    static let accessReview = object("AccessReview", "A period's reads of patient data per account, and every flag.", open: true, [
        ("period", object("AccessReviewPeriod", open: true, [
            ("id", reviewPeriod.required), ("from", JSONSchema.date.required), ("to", JSONSchema.date.required),
        ]).required),
        ("reads", integer(minimum: 0).required),
        ("undecided", integer(minimum: 0).required),
        ("accounts", array(object("AccessReviewAccount", open: true, [
            ("account", actorName.required),
            ("reads", integer(minimum: 0).required),
            ("offHoursReads", integer(minimum: 0).required),
            ("patients", integer(minimum: 0).required),
            ("patientsWithoutRelationship", integer(minimum: 0).required),
            ("days", integer(minimum: 0).required),
            ("flags", integer(minimum: 0).required),
        ])).required),
        ("flags", array(accessFlag).required),
        ("calendar", object("ClinicCalendar", open: true, [
            ("weekly", object("WeeklyHours", "Hours per weekday, 0 Sunday … 6 Saturday; a missing day is closed.", open: true,
                              additional: object("Hours", open: true, [("opens", string(example: "08:00").required),
                                                                       ("closes", string(example: "19:00").required)]), []).required),
            ("closedDays", array(object("ClosedDay", open: true, [("day", JSONSchema.date.required),
                                                                  ("note", string().required)])).required),
        ]).required),
        ("signOff", object("AccessReviewSignOff", open: true, [
            ("signedAt", string().required), ("signedBy", actorName.required),
            ("flags", integer(minimum: 0).required), ("note", string().required),
        ]).optional),
    ])

    static let accessReviewDecisionRequest = object("AccessReviewDecisionRequest", "A decision on one flag.", [
        ("item", string("The flag's id.", minLength: 1, maxLength: 200, example: "off_hours:staff:sato:2026-11-03").required),
        ("decision", oneOf(AccessReviewDecision.Outcome.self).required),
        ("note", string("Why.", minLength: 1, maxLength: 2000, example: "急変対応のため").required),
    ])

    static let accessReviewSignOffRequest = object("AccessReviewSignOffRequest", "A manager's sign-off.", [
        ("note", string(maxLength: 2000, example: "11月分、確認しました").optional),
    ])
}

extension JSONSchema {
    static let evidenceReport = object("EvidenceReport", "Counts and exceptions per obligation (③ ⑦ ⑧ ⑨⑩⑪, access logs).", open: true, [
        ("period", object("EvidencePeriod", open: true, [("id", reviewPeriod.required), ("from", JSONSchema.date.required),
                                                         ("to", JSONSchema.date.required)]).required),
        ("generatedAt", timestamp.required),
        ("generatedBy", actorName.required),
        ("clinicName", string().required),
        ("consent", object("EvidenceConsent", open: true, [
            ("loansHandedOver", integer(minimum: 0).required),
            ("handedOverWithoutConsentOrContactSheet", integer(minimum: 0).required),
            ("contactSheetsGiven", integer(minimum: 0).required),
            ("refusedConsents", integer(minimum: 0).required),
            ("consents", array(object("EvidenceConsentGroup", open: true, [
                ("textVersion", integer(minimum: 1).required), ("language", string().required),
                ("decision", oneOf(["granted", "refused"]).required), ("count", integer(minimum: 1).required),
            ])).required),
            ("withdrawals", array(object("EvidenceWithdrawal", open: true, [
                ("loanNumber", string().required), ("withdrawnAt", string().required), ("channel", string().required),
                ("recoveryRequired", boolean().required), ("actionsTaken", string().required),
            ])).required),
        ]).required),
        ("ledger", object("EvidenceLedger", open: true, [
            ("devicesByStatus", object("DevicesByStatus", open: true, additional: integer(minimum: 0), []).required),
            ("devicesByWhereabouts", array(object("EvidenceWhereabouts", open: true, [
                ("whereabouts", string().required), ("count", integer(minimum: 1).required),
            ])).required),
            ("stocktakes", array(object("EvidenceStocktake", open: true, [
                ("number", string().required), ("openedAt", string().required), ("closedAt", string().optional),
                ("signedOffBy", string().optional), ("expected", integer(minimum: 0).required),
                ("missing", array(string()).required), ("unexpected", array(string()).required),
            ])).required),
        ]).required),
        ("incidents", object("EvidenceIncidents", open: true, [
            ("incidents", array(object("EvidenceIncident", open: true, [
                ("number", string().required), ("kind", oneOf(["lost", "stolen"]).required), ("discoveredOn", string().required),
                ("reportable", boolean().required), ("preliminaryDueOn", string().required),
                ("preliminarySubmittedOn", string().optional), ("finalDueOn", string().required),
                ("finalSubmittedOn", string().optional),
                ("deadlines", oneOf(["met", "missed", "open", "not_reportable"]).required),
            ])).required),
        ]).required),
        ("deletion", object("EvidenceDeletion", open: true, [
            ("wipes", array(object("EvidenceWipe", open: true, [
                ("assetTag", string().required), ("method", string().required), ("performedBy", string().required),
                ("verifiedBy", string().required), ("recordedAt", string().required),
            ])).required),
            ("disposals", array(object("EvidenceDisposal", open: true, [
                ("assetTag", string().required), ("method", string().required), ("evidence", string().required),
                ("certificateNumber", string().optional), ("recordedAt", string().required),
            ])).required),
            ("disposedWithoutEvidence", integer(minimum: 0).required),
        ]).required),
        ("accessLogs", object("EvidenceAccessLogs", open: true, [
            ("reads", integer(minimum: 0).required),
            ("flagsByKind", object("FlagsByKind", open: true, additional: integer(minimum: 0), []).required),
            ("decided", integer(minimum: 0).required),
            ("followUps", integer(minimum: 0).required),
            ("signedOffBy", string().optional),
            ("signedOffAt", string().optional),
            ("verificationProblems", array(string()).required),
            ("auditEvents", integer(minimum: 0).required),
        ]).required),
        ("exceptions", array(object("EvidenceException", open: true, [
            ("clause", oneOf(["③", "⑦", "⑧", "⑨⑩⑪", "access"]).required),
            ("code", string(example: "handed_over_without_consent").required),
            ("reference", string(example: "L-2026-000001").required),
        ])).required),
        ("auditVerified", boolean().required),
        ("latestCheckpoint", auditCheckpoint.optional),
        ("dailyCheckpoints", array(auditCheckpoint).required),
    ])
}
