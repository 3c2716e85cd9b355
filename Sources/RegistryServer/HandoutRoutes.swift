import Handouts
import Hummingbird
import LoanRegistry
import NIOCore

/// `/api/v1/loans/{id}/handouts/{explanation|consent-form|contact-sheet}.{pdf|html}?lang=ja|ja-easy|en&size=normal|large`.
struct HandoutRoutes {
    let registry: Registry
    let printer: HandoutPrinter

    func add(to api: APIGroup) {
        api.get("loans/:id/handouts/:file", .operation(.printHandouts),
                .init("A printable handout of the loan: explanation, consent form or contact sheet, as PDF or HTML",
                      query: [.init(name: "lang", schema: .language,
                                    description: "Language (default and only choice: the language of the loan's explanation)."),
                              .init(name: "size", schema: .oneOf(Document.PrintSize.allCases.map(\.rawValue)),
                                    description: "normal (default) or large print (body text 14 pt).")],
                      pathParameters: ["file": .oneOf(HandoutKind.allCases.flatMap { ["\($0.rawValue).pdf", "\($0.rawValue).html"] })],
                      answer: .handout), use: handout)
            .get("handouts/verify", .operation(.verifyHandout),
                 .init("Whether a check code printed on a handout (or in its QR code) belongs to the loan, from which "
                       + "explanation, and whether that is still current", query: [
                           .init(name: "loan", schema: .string(minLength: 1, maxLength: 50, example: "L-2026-000001"),
                                 description: "The loan number printed on the page (required)."),
                           .init(name: "code", schema: .string(minLength: 8, maxLength: 20, example: "1A2B-3C4D"),
                                 description: "The check code printed on the page (required)."),
                       ], answer: .json(.handoutVerification)), use: verify)
    }

    @Sendable func handout(_ request: Request, context: RegistryRequestContext) async throws -> Response {
        let file = try context.parameters.require("file")
        let parts = file.split(separator: ".", maxSplits: 1).map(String.init)
        guard parts.count == 2, let kind = HandoutKind(rawValue: parts[0]), ["pdf", "html"].contains(parts[1]) else {
            throw ProblemDetails(status: .notFound, code: "not_found", title: "Not found",
                                 detail: "Handouts are explanation, consent-form and contact-sheet, as .pdf or .html.")
        }
        var language: Patient.Language?
        if let value = request.queryValue("lang") {
            guard let parsed = Patient.Language(rawValue: value) else {
                throw ProblemDetails.validation([FieldError("lang", "must be ja, ja-easy or en")])
            }
            language = parsed
        }
        var size = Document.PrintSize.normal
        if let value = request.queryValue("size") {
            guard let parsed = Document.PrintSize(rawValue: value) else {
                throw ProblemDetails.validation([FieldError("size", "must be normal or large")])
            }
            size = parsed
        }
        let facts = try await registry.loans.handoutFacts(try context.parameters.require("id"), language: language,
                                                          by: try context.requireActor())
        let document: Document
        do {
            document = try Handout.document(kind, facts, size: size)
        } catch let mismatch as Handout.LanguageMismatch {
            throw ProblemDetails(status: .conflict, code: "explanation_language_mismatch", title: "No explanation in this language",
                                 detail: mismatch.description)
        } catch let notOverdue as Handout.NotOverdue {
            throw ProblemDetails(status: .conflict, code: "loan_not_overdue", title: "Loan not overdue", detail: notOverdue.description)
        }
        let name = "\(facts.loan.number)-\(kind.rawValue)-\(facts.language.rawValue)\(size == .large ? "-large" : "").\(parts[1])"
        if parts[1] == "html" {
            return Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
                            body: .init(byteBuffer: ByteBuffer(string: printer.html(document))))
        }
        let pdf = try await printer.pdf(document)
        return Response(status: .ok,
                        headers: [.contentType: "application/pdf", .cacheControl: "no-store",
                                  .contentDisposition: "inline; filename=\"\(name)\""],
                        body: .init(byteBuffer: ByteBuffer(bytes: pdf.data)))
    }
}

extension HandoutRoutes {
    @Sendable func verify(_ request: Request, context: RegistryRequestContext) async throws -> JSONBody<HandoutVerification> {
        var missing: [FieldError] = []
        let loan = request.queryValue("loan")
        let code = request.queryValue("code")
        if loan == nil { missing.append(FieldError("loan", "is required")) }
        if code == nil { missing.append(FieldError("code", "is required")) }
        guard let loan, let code, missing.isEmpty else { throw ProblemDetails.validation(missing) }
        return JSONBody(try await registry.loans.verifyHandout(loan: loan, code: code, by: try context.requireActor()))
    }
}
