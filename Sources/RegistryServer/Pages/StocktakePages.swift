import Foundation
import Hummingbird
import LoanRegistry
import NIOCore

/// `/stocktake`: open (manager), scan with a USB barcode scanner (each scan answered at once,
/// unknown tags flashed and sounded), close, sign off, and the printable report.
struct StocktakePages: Sendable {
    let registry: Registry

    func add(to pages: PageGroup) {
        pages.get("stocktake", .operation(.readStocktakes), list)
            .post("stocktake/open", .operation(.openStocktake), open)
            .get("stocktakes/:id/scan", .operation(.scanStocktake), scanPage)
            .post("stocktakes/:id/scan", .operation(.scanStocktake), scan)
            .post("stocktakes/:id/close", .operation(.closeStocktake), close)
            .post("stocktakes/:id/sign-off", .operation(.signOffStocktake), signOff)
    }

    struct Row {
        let id: String
        let number: String
        let opened: String
        let state: String
        let scanned: Int
        let expected: Int
        let open: Bool
        let closedNotSigned: Bool
    }

    struct Content {
        let rows: [Row]
        let canOpen: Bool
        let canSignOff: Bool
    }

    @Sendable func list(_ page: PageVisit) async throws -> Response {
        try await listPage(page)
    }

    func listPage(_ page: PageVisit, status: HTTPResponse.Status = .ok, error: String? = nil) async throws -> Response {
        let language = page.language
        let rows = try await registry.stocktakes.list(by: try page.requireActor()).map { stocktake in
            Row(id: stocktake.id, number: stocktake.number, opened: DisplayDate.moment(stocktake.openedAt, language),
                state: page.t(stocktake.signedOffAt != nil ? "stocktakeSignedOff" : stocktake.closedAt != nil ? "stocktakeClosed" : "stocktakeOpen"),
                scanned: stocktake.scannedCount, expected: stocktake.expectedCount, open: stocktake.closedAt == nil,
                closedNotSigned: stocktake.closedAt != nil && stocktake.signedOffAt == nil)
        }
        return page.render("stocktake", title: page.t("stocktakeTitle"),
                           content: Content(rows: rows, canOpen: page.may(.openStocktake), canSignOff: page.may(.signOffStocktake)),
                           status: status, error: error, notice: page.doneNotice())
    }

    func act(_ page: PageVisit, _ action: (AuditActor) async throws -> String) async throws -> Response {
        do {
            return PageRenderer.redirect(try await action(try page.requireActor()))
        } catch let error as RegistryError {
            return try await listPage(page, status: ProblemDetails(error).status, error: UIText.message(for: error, page.language))
        }
    }

    @Sendable func open(_ page: PageVisit) async throws -> Response {
        try await act(page) { actor in
            "/stocktakes/\(try await registry.stocktakes.open(by: actor).id)/scan"
        }
    }

    struct ScanContent {
        let id: String
        let number: String
        let scanned: Int
        let expected: Int
        let last: String?
        let lastUnknown: Bool
    }

    @Sendable func scanPage(_ page: PageVisit) async throws -> Response {
        let id = try page.parameter("id")
        guard let stocktake = try await registry.stocktakes.list(by: try page.requireActor()).first(where: { $0.id == id || $0.number == id }) else {
            throw RegistryError.notFound(entity: "stocktake", id: id)
        }
        let content = ScanContent(id: stocktake.id, number: stocktake.number, scanned: stocktake.scannedCount,
                                  expected: stocktake.expectedCount, last: nil, lastUnknown: false)
        return page.render("stocktake-scan", title: page.t("stocktakeScanTitle") + " " + stocktake.number, content: content)
    }

    /// One scan. The page's script sends it with `fetch` and shows the answer at once (JSON);
    /// without the script the form posts and the page comes back with the answer.
    @Sendable func scan(_ page: PageVisit) async throws -> Response {
        let id = try page.parameter("id")
        let tag = page.form.text("tag") ?? ""
        let wantsJSON = page.request.headers[.accept]?.contains("application/json") == true
        let message: String
        let unknown: Bool
        var counted = false
        let status: HTTPResponse.Status
        do {
            let result = try await registry.stocktakes.scan(id, assetTag: tag, by: try page.requireActor())
            unknown = !result.known
            counted = !result.duplicate
            status = .ok
            message = tag + " — " + page.t(!result.known ? "scanUnknown" : result.duplicate ? "scanDuplicate"
                                              : result.expectedOnShelf ? "scanFound" : "scanNotExpected")
        } catch let error as RegistryError {
            unknown = true
            status = ProblemDetails(error).status
            message = tag + " — " + UIText.message(for: error, page.language)
        }
        if wantsJSON {
            struct Answer: Encodable { let message: String; let unknown: Bool; let counted: Bool }
            let data = try JSONEncoder().encode(Answer(message: message, unknown: unknown, counted: counted))
            return Response(status: status, headers: PageRenderer.headers(contentType: "application/json"),
                            body: .init(byteBuffer: ByteBuffer(bytes: data)))
        }
        let stocktake = try await registry.stocktakes.list(by: try page.requireActor()).first { $0.id == id }
        let content = ScanContent(id: id, number: stocktake?.number ?? "", scanned: stocktake?.scannedCount ?? 0,
                                  expected: stocktake?.expectedCount ?? 0, last: message, lastUnknown: unknown)
        return page.render("stocktake-scan", title: page.t("stocktakeScanTitle") + " " + (stocktake?.number ?? ""), content: content,
                           status: status)
    }

    @Sendable func close(_ page: PageVisit) async throws -> Response {
        try await act(page) { actor in
            _ = try await registry.stocktakes.close(try page.parameter("id"), by: actor)
            return "/stocktake?done=stocktakeClosed"
        }
    }

    @Sendable func signOff(_ page: PageVisit) async throws -> Response {
        try await act(page) { actor in
            _ = try await registry.stocktakes.signOff(try page.parameter("id"), by: actor)
            return "/stocktake?done=stocktakeSignedOff"
        }
    }
}
