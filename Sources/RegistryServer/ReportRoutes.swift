import HTTPTypes
import Hummingbird
import LoanRegistry
import NIOCore

/// `/api/v1/reports`: reports for the planning manager.
struct ReportRoutes {
    let registry: Registry

    func add(to api: APIGroup) {
        api.get("reports/overdue", .operation(.readReports),
                .init("Every overdue loan, as JSON or as CSV for Excel", query: [
                    .asOf, .init(name: "format", schema: .oneOf(["json", "csv"]), description: "json (default) or csv."),
                    .init(name: "lang", schema: .language, description: "CSV headings: ja (default) or en."),
                ], answer: .jsonOrCSV(.overdueReport)), use: overdue)
            .get("reports/device-recovery", .operation(.readReports),
                 .page("Devices to recover: active loans whose consent was withdrawn", of: .loan, named: "LoanPage"),
                 use: deviceRecovery)
            .get("reports/presumed-lost", .operation(.readReports),
                 .init("Loans overdue by more than `days` days (default 30): decide whether the device is presumed lost",
                       query: [.asOf, .init(name: "days", schema: .integer(minimum: 1, maximum: 366, example: 30),
                                            description: "Days overdue (default: the clinic's presumedLostAfterDays, else 30).")],
                       answer: .json(.overdueReport)), use: presumedLost)
            .get("reports/disposals", .operation(.readReports),
                 .init("Every disposed device and its evidence, newest first", answer: .json(.list(of: .disposal, "DisposalList"))),
                 use: disposals)
    }

    @Sendable func presumedLost(_ request: Request, context: RegistryRequestContext) async throws -> JSONBody<OverdueBody> {
        let reference = try request.asOfDate() ?? LocalDate(registry.clock.now())
        var days: Int?
        if let value = request.queryValue("days") {
            guard let parsed = Int(value), (1...366).contains(parsed) else {
                throw ProblemDetails.validation([FieldError("days", "must be a whole number from 1 to 366")])
            }
            days = parsed
        }
        return JSONBody(OverdueBody(asOf: reference, items: try await registry.loans.presumedLost(
            afterDays: days, asOf: reference, by: try context.requireActor())))
    }

    @Sendable func disposals(_ request: Request, context: RegistryRequestContext) async throws -> JSONBody<Items<Disposal>> {
        JSONBody(Items(items: try await registry.ledger.disposals(by: try context.requireActor())))
    }

    /// Active loans whose consent was withdrawn while the device was out: devices to recover.
    @Sendable func deviceRecovery(_ request: Request, context: RegistryRequestContext) async throws -> JSONBody<Page<Loan>> {
        JSONBody(try await registry.loans.awaitingRecovery(try request.pageRequest(), by: try context.requireActor()))
    }

    /// Every overdue loan, as JSON (`{"asOf":…, "items":[…]}`) or, with `?format=csv`, CSV for Excel.
    @Sendable func overdue(_ request: Request, context: RegistryRequestContext) async throws -> Response {
        let asOf = try request.asOfDate()
        let format = request.queryValue("format") ?? "json"
        guard ["json", "csv"].contains(format) else {
            throw ProblemDetails.validation([FieldError("format", "must be json or csv")])
        }
        let reference = asOf ?? LocalDate(registry.clock.now())
        let loans = try await registry.loans.overdueReport(asOf: reference, by: try context.requireActor())
        if format == "csv" {
            return Response(
                status: .ok,
                headers: [.contentType: "text/csv; charset=utf-8",
                          .contentDisposition: "attachment; filename=\"overdue-\(reference).csv\""],
                body: .init(byteBuffer: ByteBuffer(bytes: OverdueReport.csv(loans, language: try request.choice("lang") ?? .ja))))
        }
        return try JSONBody(OverdueBody(asOf: reference, items: loans)).response(from: request, context: context)
    }

    struct OverdueBody: Encodable, Sendable {
        let asOf: LocalDate
        let items: [Loan]
    }
}
