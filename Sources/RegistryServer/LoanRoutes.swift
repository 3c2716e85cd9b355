import Hummingbird
import LoanRegistry

/// `/api/v1/loans`: register (with the explanation), change, explanation, consent, contact sheet,
/// hand over (gated), return, cancel; list by status including `overdue`.
struct LoanRoutes {
    let registry: Registry

    func add(to api: APIGroup) {
        api.post("loans", .operation(.registerLoan), use: create)
            .get("loans", .operation(.readLoans), query: pageQuery.union(["status", "asOf"]), use: list)
            .get("loans/:id", .operation(.readLoans), use: show)
            .patch("loans/:id", .operation(.changeLoan), use: change)
            .post("loans/:id/explanation", .operation(.changeLoan), use: refreshExplanation)
            .get("loans/:id/explanations", .operation(.readLoans), use: explanations)
            .post("loans/:id/consent", .operation(.recordConsent), use: consent)
            .get("loans/:id/consents", .operation(.readConsents), use: consents)
            .post("loans/:id/contact-sheet", .operation(.recordContactSheet), use: contactSheet)
            .post("loans/:id/handover", .operation(.handOverLoan), use: handOver)
            .post("loans/:id/return", .operation(.receiveReturn), use: receiveReturn)
            .post("loans/:id/cancel", .operation(.cancelLoan), use: cancel)
    }

    @Sendable func create(_ request: Request, context: RegistryRequestContext) async throws -> JSONBody<Loan> {
        let input = try await request.decodeStrictly(NewLoan.self, schema: .loan, context: context)
        return JSONBody(try await registry.loans.register(input, by: try context.requireActor()), status: .created)
    }

    @Sendable func list(_ request: Request, context: RegistryRequestContext) async throws -> JSONBody<Page<Loan>> {
        let page = try request.pageRequest()
        switch request.uri.queryParameters["status"].map(String.init) {
        case "overdue":
            return JSONBody(try await registry.loans.overdue(asOf: try request.asOfDate(), page, by: try context.requireActor()))
        case nil:
            return JSONBody(try await registry.loans.list(page, by: try context.requireActor()))
        case let value?:
            guard let status = LoanStatus(rawValue: value) else {
                throw ProblemDetails.validation([FieldError("status", "must be overdue or one of "
                    + LoanStatus.allCases.map(\.rawValue).joined(separator: ", "))])
            }
            return JSONBody(try await registry.loans.list(status: status, page, by: try context.requireActor()))
        }
    }

    @Sendable func show(_ request: Request, context: RegistryRequestContext) async throws -> JSONBody<Loan> {
        JSONBody(try await registry.loans.loan(try context.parameters.require("id"), by: try context.requireActor()))
    }

    @Sendable func change(_ request: Request, context: RegistryRequestContext) async throws -> JSONBody<Loan> {
        let input = try await request.decodeStrictly(LoanChanges.self, schema: .loanChanges, context: context)
        return JSONBody(try await registry.loans.change(try context.parameters.require("id"), input, by: try context.requireActor()))
    }

    @Sendable func refreshExplanation(_ request: Request, context: RegistryRequestContext) async throws -> JSONBody<Loan> {
        JSONBody(try await registry.loans.refreshExplanation(try context.parameters.require("id"), by: try context.requireActor()))
    }

    @Sendable func explanations(_ request: Request, context: RegistryRequestContext) async throws -> JSONBody<Items<Explanation>> {
        JSONBody(Items(items: try await registry.loans.explanations(of: try context.parameters.require("id"), by: try context.requireActor())))
    }

    @Sendable func consent(_ request: Request, context: RegistryRequestContext) async throws -> JSONBody<Consent> {
        let input = try await request.decodeStrictly(NewConsent.self, schema: .consent, context: context)
        return JSONBody(try await registry.consents.record(loan: try context.parameters.require("id"), input, by: try context.requireActor()),
                        status: .created)
    }

    @Sendable func consents(_ request: Request, context: RegistryRequestContext) async throws -> JSONBody<Items<Consent>> {
        JSONBody(Items(items: try await registry.consents.consents(ofLoan: try context.parameters.require("id"), by: try context.requireActor())))
    }

    @Sendable func contactSheet(_ request: Request, context: RegistryRequestContext) async throws -> JSONBody<Loan> {
        let input = try await request.decodeStrictly(ContactSheetGiven.self, schema: .contactSheet, context: context)
        return JSONBody(try await registry.loans.recordContactSheet(try context.parameters.require("id"), input, by: try context.requireActor()))
    }

    @Sendable func handOver(_ request: Request, context: RegistryRequestContext) async throws -> JSONBody<Loan> {
        JSONBody(try await registry.loans.handOver(try context.parameters.require("id"), by: try context.requireActor()))
    }

    @Sendable func receiveReturn(_ request: Request, context: RegistryRequestContext) async throws -> JSONBody<Loan> {
        let input = try await request.decodeStrictly(LoanReturn.self, schema: .loanReturn, context: context)
        return JSONBody(try await registry.loans.receiveReturn(try context.parameters.require("id"), input, by: try context.requireActor()))
    }

    @Sendable func cancel(_ request: Request, context: RegistryRequestContext) async throws -> JSONBody<Loan> {
        let input = try await request.decodeStrictly(Cancellation.self, schema: .cancellation, context: context)
        return JSONBody(try await registry.loans.cancel(try context.parameters.require("id"), reason: input.reason, by: try context.requireActor()))
    }

    struct Cancellation: Decodable {
        let reason: String
    }
}
