import Handouts
import Hummingbird
import LoanRegistry
import NIOCore

/// `/api/v1/stocktakes`: stocktake sessions (guideline ⑦).
struct StocktakeRoutes {
    let registry: Registry
    let printer: HandoutPrinter

    func add(to api: APIGroup) {
        api.post("stocktakes", .operation(.openStocktake),
                 .init("Open a stocktake: the expected list is frozen (manager; one open at a time)", body: .noFields,
                       status: .created, answer: .json(.stocktake)), use: open)
            .get("stocktakes", .operation(.readStocktakes),
                 .init("Every stocktake, newest first", answer: .json(.list(of: .stocktake, "StocktakeList"))), use: list)
            .post("stocktakes/:id/scans", .operation(.scanStocktake),
                  .init("Record an asset tag found; an unknown tag is kept as unexpected, a second scan counts once",
                        body: .stocktakeScanRequest, answer: .json(.stocktakeScan)), use: scan)
            .post("stocktakes/:id/close", .operation(.closeStocktake),
                  .init("Close the stocktake (no more scans) and answer its report", body: .noFields,
                        answer: .json(.stocktakeReport)), use: close)
            .post("stocktakes/:id/sign-off", .operation(.signOffStocktake),
                  .init("Sign off a closed stocktake (manager)", body: .noFields, answer: .json(.stocktake)), use: signOff)
            .get("stocktakes/:id/report", .operation(.readStocktakes),
                 .init("The stocktake's report, as JSON, CSV, or a printable PDF (棚卸報告書)", query: [
                     .init(name: "format", schema: .oneOf(["json", "csv", "pdf"]), description: "json (default), csv or pdf."),
                     .init(name: "lang", schema: .language, description: "CSV headings: ja (default) or en."),
                 ], answer: .jsonCSVOrPDF(.stocktakeReport)), use: report)
    }

    @Sendable func open(_ request: Request, context: RegistryRequestContext) async throws -> JSONBody<Stocktake> {
        JSONBody(try await registry.stocktakes.open(by: try context.requireActor()), status: .created)
    }

    @Sendable func list(_ request: Request, context: RegistryRequestContext) async throws -> JSONBody<Items<Stocktake>> {
        JSONBody(Items(items: try await registry.stocktakes.list(by: try context.requireActor())))
    }

    @Sendable func scan(_ request: Request, context: RegistryRequestContext) async throws -> JSONBody<StocktakeScan> {
        let input = try await request.decodeStrictly(ScanRequest.self, context: context)
        return JSONBody(try await registry.stocktakes.scan(try context.parameters.require("id"), assetTag: input.assetTag,
                                                           by: try context.requireActor()))
    }

    struct ScanRequest: Decodable {
        let assetTag: String
    }

    @Sendable func close(_ request: Request, context: RegistryRequestContext) async throws -> JSONBody<StocktakeReport> {
        JSONBody(try await registry.stocktakes.close(try context.parameters.require("id"), by: try context.requireActor()))
    }

    @Sendable func signOff(_ request: Request, context: RegistryRequestContext) async throws -> JSONBody<Stocktake> {
        JSONBody(try await registry.stocktakes.signOff(try context.parameters.require("id"), by: try context.requireActor()))
    }

    @Sendable func report(_ request: Request, context: RegistryRequestContext) async throws -> Response {
        let format = request.queryValue("format") ?? "json"
        guard ["json", "csv", "pdf"].contains(format) else {
            throw ProblemDetails.validation([FieldError("format", "must be json, csv or pdf")])
        }
        let actor = try context.requireActor()
        let report = try await registry.stocktakes.report(try context.parameters.require("id"), by: actor)
        if format == "pdf" {
            let clinic = (try? await registry.clinic.profile(by: actor))??.name ?? ""
            let pdf = try await printer.pdf(StocktakeSheet.document(report, clinicName: clinic))
            return Response(status: .ok,
                            headers: [.contentType: "application/pdf", .cacheControl: "no-store",
                                      .contentDisposition: "inline; filename=\"stocktake-\(report.stocktake.number).pdf\""],
                            body: .init(byteBuffer: ByteBuffer(bytes: pdf.data)))
        }
        if format == "csv" {
            return Response(status: .ok,
                            headers: [.contentType: "text/csv; charset=utf-8",
                                      .contentDisposition: "attachment; filename=\"stocktake-\(report.stocktake.number).csv\""],
                            body: .init(byteBuffer: ByteBuffer(bytes: report.csv(language: try request.choice("lang") ?? .ja))))
        }
        return try JSONBody(report).response(from: request, context: context)
    }
}
