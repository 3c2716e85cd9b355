import Foundation
import Hummingbird
import LoanRegistry

/// `/`: what the counter has to do today — hand-overs waiting, returns due, overdue loans,
/// wipes, open incidents, an open stocktake. A section the role may not read is left out.
struct TodayPage: Sendable {
    let registry: Registry

    func add(to pages: PageGroup) {
        pages.get("", .signedIn, today)
    }

    struct LoanRow: Encodable {
        let id: String
        let number: String
        let patientNumber: String
        let patientName: String
        let phone: String
        let assetTag: String
        let status: String
        let due: String
        let missing: [String]
        let daysOverdue: Int
        let lastContact: String?
    }

    struct DeviceRow: Encodable {
        let id: String
        let assetTag: String
        let model: String
    }

    struct IncidentRow: Encodable {
        let id: String
        let number: String
        let assetTag: String
        let deadline: String
        let late: Bool
    }

    struct StocktakeRow: Encodable {
        let id: String
        let number: String
        let scanned: Int
        let expected: Int
    }

    struct Content: EncodedPageView {
        let today: String
        let waiting: [LoanRow]
        let dueToday: [LoanRow]
        let overdue: [LoanRow]
        let awaitingWipe: [DeviceRow]
        let incidents: [IncidentRow]
        let stocktake: [StocktakeRow]
        let showLoans: Bool
        let showDevices: Bool
        let showIncidents: Bool
        let showStocktake: Bool
        /// An unreviewed stretch of the access log older than 35 days (managers' home page).
        let reviewOverdueSince: String?
    }

    @Sendable func today(_ page: PageVisit) async throws -> Response {
        let actor = try page.requireActor()
        let language = page.language
        let today = LocalDate(registry.clock.now())
        func row(_ loan: Loan) -> LoanRow {
            LoanRow(id: loan.id, number: loan.number, patientNumber: loan.patient.patientNumber, patientName: loan.patient.name,
                    phone: loan.patient.phone, assetTag: loan.device.assetTag, status: UIText.status(loan.status, language),
                    due: DisplayDate.day(loan.dueDate, language),
                    missing: loan.handoverRequirements.map { UIText.guidance($0, language) },
                    daysOverdue: loan.daysOverdue ?? 0,
                    lastContact: loan.lastContact.map { contact in
                        DisplayDate.moment(contact.contactedAt, language) + " " + UIText.text("outcome." + contact.outcome.rawValue, language)
                    })
        }
        // The sections are read at once: each audited read is a write, and concurrent writes share
        // one commit (group commit), so the page waits for one fsync, not seven.
        let loans = page.may(.readLoans)
        async let drafts = loans ? registry.loans.list(.init(status: .draft), by: actor).items : []
        async let consented = loans ? registry.loans.list(.init(status: .consented), by: actor).items : []
        async let due = loans ? registry.loans.list(.init(status: .active, dueFrom: today, dueTo: today), by: actor).items : []
        async let late = loans ? registry.loans.overdue(by: actor).items : []
        async let wipes = page.may(.readDevices) ? registry.ledger.devices(status: .awaitingWipe, by: actor).items : []
        async let open = page.may(.readIncidents) ? registry.incidents.list(openOnly: true, by: actor) : []
        async let counts = page.may(.readStocktakes) ? registry.stocktakes.list(by: actor) : []
        let waiting = try await (drafts + consented).map(row)
        let dueToday = try await due.map(row)
        let overdue = try await late.map(row)
        let awaitingWipe = try await wipes.map {
            DeviceRow(id: $0.id, assetTag: $0.assetTag, model: "\($0.model.manufacturer) \($0.model.name)")
        }
        let incidents = try await open.map { incident in
            let next = [incident.preliminaryReport, incident.finalReport].first { $0.required && $0.submittedOn == nil }
            return IncidentRow(id: incident.id, number: incident.number, assetTag: incident.assetTag,
                               deadline: next.map { DisplayDate.day($0.dueOn, language) } ?? "—", late: next?.overdue ?? false)
        }
        let stocktake = try await counts.filter { $0.closedAt == nil }.map {
            StocktakeRow(id: $0.id, number: $0.number, scanned: $0.scannedCount, expected: $0.expectedCount)
        }
        var reviewOverdueSince: String?
        if page.may(.signOffAccessReview), let status = try? await registry.reviews.status(asOf: today, by: actor), status.overdue {
            reviewOverdueSince = status.unreviewedSince.map { DisplayDate.day($0, language) }
        }
        let content = Content(today: DisplayDate.day(today, language), waiting: waiting, dueToday: dueToday, overdue: overdue,
                              awaitingWipe: awaitingWipe, incidents: incidents, stocktake: stocktake,
                              showLoans: page.may(.readLoans), showDevices: page.may(.readDevices),
                              showIncidents: page.may(.readIncidents), showStocktake: page.may(.readStocktakes),
                              reviewOverdueSince: reviewOverdueSince)
        return page.render("today", title: page.t("todayTitle"), content: content)
    }
}
