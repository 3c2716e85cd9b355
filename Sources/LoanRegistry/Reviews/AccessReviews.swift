import Foundation
import GRDB

/// Access-log review (guideline ch. 7): a period's reads of patient data per account, flags for
/// reads outside working hours, unusual volume, reads without a care relationship, failed
/// sign-ins, lockouts and new addresses; reviewers' decisions; a manager's sign-off.
///
/// Reading a review, deciding and signing off are audited. Auditors and managers review;
/// only a manager signs off.
public struct AccessReviews: Sendable {
    let writer: GroupCommitWriter
    let registry: Registry

    /// An unreviewed stretch older than this many days shows on managers' home page.
    public static let overdueAfterDays = 35

    /// The review of `period`, with every flag and its latest decision.
    public func review(_ period: AccessReviewPeriod, by actor: AuditActor) async throws -> AccessReview {
        try actor.authorize(.reviewAccess)
        let review = try await registry.read { db in try AccessReviewComputation.review(period, in: db) }
        let now = registry.clock.now()
        _ = try await writer.write { db in
            try AuditLog.append(.accessReviewRead, entityType: "access_review", entityId: period.id,
                                details: ["flags": String(review.flags.count), "reads": String(review.reads)],
                                by: actor, at: now, in: db)
        }
        return review
    }

    /// Records a decision on one flag of `period`; a later decision on the same flag supersedes it.
    ///
    /// - Throws: ``RegistryError/notFound(entity:id:)`` when the period has no such flag,
    ///   ``RegistryError/accessReviewSignedOff(period:)`` once it is signed off,
    ///   ``RegistryError/validationFailed(_:)`` without a note.
    public func decide(_ period: AccessReviewPeriod, item: String, _ outcome: AccessReviewDecision.Outcome, note: String,
                       by actor: AuditActor) async throws -> AccessFlag {
        try actor.authorize(.reviewAccess)
        let note = note.precomposedStringWithCanonicalMapping.trimmingCharacters(in: .whitespacesAndNewlines)
        var validator = FieldValidator()
        validator.text(note, "note", maximum: 2000)
        validator.require(!item.isEmpty && item.count <= 200, "item", "names a flag of the period (1 to 200 characters)")
        try validator.check()
        let now = registry.clock.now()
        return try await writer.write { db in
            if try Self.isSignedOff(period, db) { throw RegistryError.accessReviewSignedOff(period: period.id) }
            let review = try AccessReviewComputation.review(period, in: db)
            guard var flag = review.flags.first(where: { $0.id == item }) else {
                throw RegistryError.notFound(entity: "review flag", id: item)
            }
            try db.execute(sql: """
                INSERT INTO access_review_decisions (period, item, decision, note, decided_at, decided_by) VALUES (?, ?, ?, ?, ?, ?)
                """, arguments: [period.id, item, outcome.rawValue, note, Timestamp.string(now), actor.id])
            try AuditLog.append(.accessReviewDecided, entityType: "access_review", entityId: period.id,
                                details: ["item": item, "decision": outcome.rawValue], by: actor, at: now, in: db)
            flag.decision = AccessReviewDecision(item: item, decision: outcome, note: note, decidedAt: Timestamp.string(now),
                                                 decidedBy: actor.id)
            return flag
        }
    }

    /// A manager signs off `period` once every flag has a decision and the period has ended.
    ///
    /// - Throws: ``RegistryError/accessReviewIncomplete(period:undecided:)``,
    ///   ``RegistryError/accessReviewSignedOff(period:)``, ``RegistryError/validationFailed(_:)``
    ///   for a period that has not ended yet.
    public func signOff(_ period: AccessReviewPeriod, note: String, by actor: AuditActor) async throws -> AccessReview {
        try actor.authorize(.signOffAccessReview)
        let note = note.precomposedStringWithCanonicalMapping.trimmingCharacters(in: .whitespacesAndNewlines)
        let now = registry.clock.now()
        var validator = FieldValidator()
        validator.text(note, "note", maximum: 2000, required: false)
        validator.require(period.to < LocalDate(now), "to", "has not ended yet: a period is signed off from the day after its last day")
        try validator.check()
        return try await writer.write { db in
            if try Self.isSignedOff(period, db) { throw RegistryError.accessReviewSignedOff(period: period.id) }
            let review = try AccessReviewComputation.review(period, in: db)
            guard review.undecided == 0 else {
                throw RegistryError.accessReviewIncomplete(period: period.id, undecided: review.undecided)
            }
            try db.execute(sql: """
                INSERT INTO access_review_sign_offs (period, from_date, to_date, flags, note, signed_at, signed_by)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """, arguments: [period.id, period.from.description, period.to.description, review.flags.count, note,
                                 Timestamp.string(now), actor.id])
            try AuditLog.append(.accessReviewSignedOff, entityType: "access_review", entityId: period.id,
                                details: ["flags": String(review.flags.count),
                                          "followUps": String(review.flags.filter { $0.decision?.decision == .followUp }.count)],
                                by: actor, at: now, in: db)
            return try AccessReviewComputation.review(period, in: db)
        }
    }

    /// Signed-off periods, newest first.
    public func signOffs(by actor: AuditActor) async throws -> [(period: AccessReviewPeriod, signOff: AccessReview.SignOff)] {
        try actor.authorize(.reviewAccess)
        return try await registry.read { db in
            try Row.fetchAll(db, sql: """
                SELECT period, signed_at, signed_by, flags, note FROM access_review_sign_offs ORDER BY to_date DESC
                """).compactMap { row in
                AccessReviewPeriod(id: row["period"]).map {
                    ($0, AccessReview.SignOff(signedAt: row["signed_at"], signedBy: row["signed_by"], flags: row["flags"], note: row["note"]))
                }
            }
        }
    }

    /// How far the access log has been reviewed, and whether an unreviewed stretch is overdue.
    public func status(asOf day: LocalDate, by actor: AuditActor) async throws -> AccessReviewStatus {
        try actor.authorize(.reviewAccess)
        return try await registry.read { db in try Self.status(asOf: day, in: db) }
    }

    static func status(asOf day: LocalDate, in db: Database) throws -> AccessReviewStatus {
        // Reviewed through: from the first day with events, as far as signed-off periods join up
        // without a gap (a recent sign-off does not hide an older unreviewed stretch).
        guard let first = try String.fetchOne(db, sql: "SELECT occurred_at FROM audit_events ORDER BY seq LIMIT 1")
            .flatMap(Timestamp.date).map(LocalDate.init) else {
            return AccessReviewStatus(reviewedThrough: nil, unreviewedSince: nil, overdue: false)
        }
        var cursor = first
        var through: LocalDate?
        for row in try Row.fetchAll(db, sql: "SELECT from_date, to_date FROM access_review_sign_offs ORDER BY from_date") {
            guard let from = LocalDate(row["from_date"] as String), let to = LocalDate(row["to_date"] as String) else { continue }
            if from > cursor { break }
            if to >= cursor {
                cursor = to.adding(days: 1)
                through = to
            }
        }
        let since: LocalDate? = cursor
        let overdue = since.map { $0.days(until: day) > overdueAfterDays } ?? false
        return AccessReviewStatus(reviewedThrough: through, unreviewedSince: since, overdue: overdue)
    }

    private static func isSignedOff(_ period: AccessReviewPeriod, _ db: Database) throws -> Bool {
        try Row.fetchOne(db, sql: "SELECT 1 FROM access_review_sign_offs WHERE period = ?", arguments: [period.id]) != nil
    }
}
