import Foundation
import GRDB
import LoanRegistry
import RegistryTestSupport
import Testing

/// Issue 14's access review: a clinic's October (the baseline) and November with a clock the test
/// moves, several accounts, and known off-hours, holiday, closed-day, volume, no-relationship,
/// failed sign-in and new-address flags; then decisions, the sign-off and the overdue notice.
@Suite struct AccessReviewScenarioTests {
    @Test func aMonthOfReadsGivesExactlyTheExpectedFlags() async throws {
        let clock = MovableClock(MovableClock.noon(LocalDate("2026-10-01")!))
        let test = try await TestRegistry(clock: clock.clock)
        let registry = test.registry
        let sato = try await test.account("sato", role: .staff)
        let tanaka = try await test.account("tanaka", role: .staff)
        let manager = try await test.account("suzuki", role: .manager)
        let auditor = try await test.account("takahashi", role: .auditor)
        let mine = try await test.fixtures.patient(number: "P-A")
        let other = try await test.fixtures.patient(number: "P-B")
        let device = try await test.fixtures.device()
        _ = try await registry.loans.register(NewLoan(deviceId: device.id, patientId: mine.id), by: sato)
        try await registry.clinic.addClosedDay(LocalDate("2026-11-12")!, note: "院内研修", by: manager)
        _ = try await registry.staff.signIn(SignInRequest(login: "sato", password: TestRegistry.password, address: "10.0.0.1"))

        var holidays = HolidayBook()
        let calendar = try await registry.clinic.calendar(by: manager)
        // Four reads of sato's own patient at 10:00 on every working day of October and November,
        // except 10 November, when there are twenty.
        var day = LocalDate("2026-10-01")!
        while day <= LocalDate("2026-11-30")! {
            if calendar.isWorkingDay(day, holidays: &holidays) {
                clock.go(to: day, hour: 10)
                for _ in 0..<(day == LocalDate("2026-11-10")! ? 20 : 4) {
                    _ = try await registry.patients.patient(mine.id, by: sato)
                }
            }
            day = day.adding(days: 1)
        }
        clock.go(to: LocalDate("2026-11-03")!, hour: 10)   // 文化の日
        _ = try await registry.patients.patient(mine.id, by: sato)
        clock.go(to: LocalDate("2026-11-12")!, hour: 11)   // the clinic's closed day
        _ = try await registry.patients.patient(mine.id, by: sato)
        clock.go(to: LocalDate("2026-11-05")!, hour: 20, minute: 30)   // after closing, a patient tanaka never cared for
        _ = try await registry.patients.patient(other.id, by: tanaka)
        clock.go(to: LocalDate("2026-11-06")!, hour: 9)
        for _ in 0..<2 {
            _ = try? await registry.staff.signIn(SignInRequest(login: "tanaka", password: "wrong password 1", address: "10.0.0.2"))
        }
        clock.go(to: LocalDate("2026-11-07")!, hour: 9)
        _ = try await registry.staff.signIn(SignInRequest(login: "sato", password: TestRegistry.password, address: "10.0.0.99"))
        _ = try await registry.staff.signIn(SignInRequest(login: "sato", password: TestRegistry.password, address: "10.0.0.1"))

        clock.go(to: LocalDate("2026-12-02")!, hour: 10)
        let november = try #require(AccessReviewPeriod(id: "2026-11-01..2026-11-30"))
        let review = try await registry.reviews.review(november, by: auditor)
        let newAddressEvent = try #require(review.flags.first { $0.kind == .newAddress }?.events.first)
        #expect(review.flags.map(\.id) == [
            "off_hours:staff:sato:2026-11-03", "off_hours:staff:sato:2026-11-12", "off_hours:staff:tanaka:2026-11-05",
            "volume:staff:sato:2026-11-10",
            "no_care_relationship:staff:tanaka:\(other.id)",
            "failed_sign_ins:staff:tanaka:2026-11-06",
            "new_address:\(newAddressEvent)",
        ])
        let flag = { (id: String) in review.flags.first { $0.id == id } }
        #expect(flag("off_hours:staff:sato:2026-11-03")?.facts == ["reason": "public_holiday", "holiday": "文化の日"])
        #expect(flag("off_hours:staff:sato:2026-11-12")?.facts == ["reason": "closed_day", "closedDay": "院内研修"])
        #expect(flag("off_hours:staff:tanaka:2026-11-05")?.facts["reason"] == "after_closing")
        #expect(flag("volume:staff:sato:2026-11-10")?.count == 20)
        #expect(flag("volume:staff:sato:2026-11-10")?.facts["median"] == "4" && flag("volume:staff:sato:2026-11-10")?.facts["threshold"] == "15")
        #expect(flag("no_care_relationship:staff:tanaka:\(other.id)")?.count == 1)
        #expect(flag("failed_sign_ins:staff:tanaka:2026-11-06")?.count == 2)
        #expect(review.flags.first { $0.kind == .newAddress }?.facts["address"] == "10.0.0.99")

        let workingDays = (1...30).map { LocalDate(String(format: "2026-11-%02d", $0))! }.filter { calendar.isWorkingDay($0, holidays: &holidays) }
        let satoReads = workingDays.count * 4 + 16 + 2
        #expect(review.accounts.map(\.account) == ["staff:sato", "staff:tanaka"])
        #expect(review.accounts[0].reads == satoReads && review.accounts[0].offHoursReads == 2 && review.accounts[0].patients == 1)
        #expect(review.accounts[1].reads == 1 && review.accounts[1].patientsWithoutRelationship == 1)
        #expect(review.reads == satoReads + 1 && review.undecided == 7)

        // Staff cannot review; an auditor cannot sign off; nothing is signed off with flags undecided.
        await #expect(throws: RegistryError.forbidden(.reviewAccess)) { _ = try await registry.reviews.review(november, by: sato) }
        await #expect(throws: RegistryError.forbidden(.signOffAccessReview)) {
            _ = try await registry.reviews.signOff(november, note: "", by: auditor)
        }
        await #expect(throws: RegistryError.accessReviewIncomplete(period: november.id, undecided: 7)) {
            _ = try await registry.reviews.signOff(november, note: "", by: manager)
        }
        await #expect(throws: RegistryError.notFound(entity: "review flag", id: "volume:staff:tanaka:2026-11-10")) {
            _ = try await registry.reviews.decide(november, item: "volume:staff:tanaka:2026-11-10", .justified, note: "x", by: auditor)
        }
        for flag in review.flags {
            let followUp = flag.kind == .noCareRelationship
            _ = try await registry.reviews.decide(november, item: flag.id, followUp ? .followUp : .justified,
                                                  note: followUp ? "本人に確認する" : "業務上の閲覧", by: auditor)
        }
        let signed = try await registry.reviews.signOff(november, note: "11月分確認済み", by: manager)
        #expect(signed.undecided == 0 && signed.signOff?.signedBy == "staff:suzuki" && signed.signOff?.flags == 7)
        #expect(signed.flags.first { $0.kind == .noCareRelationship }?.decision?.decision == .followUp)
        await #expect(throws: RegistryError.accessReviewSignedOff(period: november.id)) {
            _ = try await registry.reviews.decide(november, item: review.flags[0].id, .justified, note: "again", by: auditor)
        }
        let actions = try await registry.read { db in
            try String.fetchAll(db, sql: "SELECT action FROM audit_events WHERE entity_type = 'access_review' ORDER BY seq")
        }
        #expect(actions == ["access_review.read"] + Array(repeating: "access_review.decided", count: 7) + ["access_review.signed_off"])

        // December has no reads at all; the notice shows once the unreviewed stretch passes 35 days.
        let december = try #require(AccessReviewPeriod(id: "2026-12-01..2026-12-01"))
        let empty = try await registry.reviews.review(december, by: manager)
        #expect(empty.reads == 0 && empty.flags.isEmpty && empty.accounts.isEmpty)
        // October (the baseline month) is not signed off: the log is unreviewed since its first day,
        // whatever was signed off after it.
        #expect(try await registry.reviews.status(asOf: LocalDate("2027-01-05")!, by: manager)
                == AccessReviewStatus(reviewedThrough: nil, unreviewedSince: LocalDate("2026-10-01"), overdue: true))
        let october = try #require(AccessReviewPeriod(id: "2026-10-01..2026-10-31"))
        for flag in try await registry.reviews.review(october, by: auditor).flags {
            _ = try await registry.reviews.decide(october, item: flag.id, .justified, note: "確認済み", by: auditor)
        }
        _ = try await registry.reviews.signOff(october, note: "", by: manager)
        #expect(try await registry.reviews.status(asOf: LocalDate("2027-01-05")!, by: manager)
                == AccessReviewStatus(reviewedThrough: LocalDate("2026-11-30"), unreviewedSince: LocalDate("2026-12-01"), overdue: false))
        #expect(try await registry.reviews.status(asOf: LocalDate("2027-01-06")!, by: manager).overdue)
        #expect(try await registry.verify(deep: true).passed)
    }

    @Test func periodsAreNamedByTheirDaysAndBounded() {
        #expect(AccessReviewPeriod(id: "2026-11-01..2026-11-30")?.id == "2026-11-01..2026-11-30")
        #expect(AccessReviewPeriod(id: "2026-11-30..2026-11-01") == nil)
        #expect(AccessReviewPeriod(id: "2025-01-01..2026-12-31") == nil, "more than a year")
        #expect(AccessReviewPeriod(id: "2026-11-01") == nil && AccessReviewPeriod(id: "2026-13-01..2026-13-02") == nil)
    }
}
