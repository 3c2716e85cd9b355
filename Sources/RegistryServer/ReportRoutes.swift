import Handouts
import HTTPTypes
import Hummingbird
import LoanRegistry
import NIOCore

/// `/api/v1/reports`: reports for the planning manager.
struct ReportRoutes {
    let registry: Registry
    let printer: HandoutPrinter
    /// The checkpoint folder the evidence report's verification checks.
    let checkpoints: CheckpointStore?

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
            .get("reports/evidence", .operation(.readReports),
                 .init("The evidence report for the planning manager: counts and every exception per obligation, "
                       + "the audit verification and the signed checkpoints",
                       description: "Producing it is audited; `exceptions` lists each `{clause, code, reference}`.",
                       query: Self.periodQuery, answer: .json(.evidenceReport)), use: evidence)
            .get("reports/evidence.pdf", .operation(.readReports),
                 .init("The evidence report as a printable PDF (証跡報告書), with the signed checkpoints",
                       query: Self.periodQuery, answer: .pdf), use: evidencePDF)
    }

    static let periodQuery: [OperationDoc.QueryParameter] = [
        .init(name: "from", schema: .date, description: "The first day (Japan). Required."),
        .init(name: "to", schema: .date, description: "The last day (Japan). Required."),
    ]

    @Sendable func evidence(_ request: Request, context: RegistryRequestContext) async throws -> JSONBody<EvidenceReport> {
        JSONBody(try await registry.evidence.report(try request.period(), checkpoints: checkpoints, by: try context.requireActor()))
    }

    @Sendable func evidencePDF(_ request: Request, context: RegistryRequestContext) async throws -> Response {
        let report = try await registry.evidence.report(try request.period(), checkpoints: checkpoints, by: try context.requireActor())
        let pdf = try await printer.pdf(EvidenceSheet.document(report))
        return Response(status: .ok,
                        headers: [.contentType: "application/pdf", .cacheControl: "no-store",
                                  .contentDisposition: "inline; filename=\"evidence-\(report.period.from)-\(report.period.to).pdf\""],
                        body: .init(byteBuffer: ByteBuffer(bytes: pdf.data)))
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
