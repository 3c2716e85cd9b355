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
