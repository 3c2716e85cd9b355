import Hummingbird
import LoanRegistry

/// `/api/v1/loans`: register (with the explanation), change, explanation, consent, contact sheet,
/// hand over (gated), return, cancel; list by status including `overdue`.
struct LoanRoutes {
    let registry: Registry

    func add(to group: RouterGroup<RegistryRequestContext>) {
        group.group("loans")
            .post(use: create)
            .get(use: list)
            .get(":id", use: show)
            .patch(":id", use: change)
            .post(":id/explanation", use: refreshExplanation)
            .get(":id/explanations", use: explanations)
            .post(":id/consent", use: consent)
            .get(":id/consents", use: consents)
            .post(":id/contact-sheet", use: contactSheet)
            .post(":id/handover", use: handOver)
            .post(":id/return", use: receiveReturn)
            .post(":id/cancel", use: cancel)
    }

    @Sendable func create(_ request: Request, context: RegistryRequestContext) async throws -> JSONBody<Loan> {
        let input = try await request.decodeStrictly(NewLoan.self, schema: .loan, context: context)
        return JSONBody(try await registry.loans.register(input, by: context.actor), status: .created)
    }

    @Sendable func list(_ request: Request, context: RegistryRequestContext) async throws -> JSONBody<Page<Loan>> {
        let page = try request.pageRequest()
        switch request.uri.queryParameters["status"].map(String.init) {
        case "overdue":
            return JSONBody(try await registry.loans.overdue(asOf: try request.asOfDate(), page, by: context.actor))
        case nil:
            return JSONBody(try await registry.loans.list(page, by: context.actor))
        case let value?:
            guard let status = LoanStatus(rawValue: value) else {
                throw ProblemDetails.validation([FieldError("status", "must be overdue or one of "
                    + LoanStatus.allCases.map(\.rawValue).joined(separator: ", "))])
            }
            return JSONBody(try await registry.loans.list(status: status, page, by: context.actor))
        }
    }

    @Sendable func show(_ request: Request, context: RegistryRequestContext) async throws -> JSONBody<Loan> {
        JSONBody(try await registry.loans.loan(try context.parameters.require("id"), by: context.actor))
    }

    @Sendable func change(_ request: Request, context: RegistryRequestContext) async throws -> JSONBody<Loan> {
        let input = try await request.decodeStrictly(LoanChanges.self, schema: .loanChanges, context: context)
        return JSONBody(try await registry.loans.change(try context.parameters.require("id"), input, by: context.actor))
    }

    @Sendable func refreshExplanation(_ request: Request, context: RegistryRequestContext) async throws -> JSONBody<Loan> {
        JSONBody(try await registry.loans.refreshExplanation(try context.parameters.require("id"), by: context.actor))
    }

    @Sendable func explanations(_ request: Request, context: RegistryRequestContext) async throws -> JSONBody<Items<Explanation>> {
        JSONBody(Items(items: try await registry.loans.explanations(of: try context.parameters.require("id"), by: context.actor)))
    }

    @Sendable func consent(_ request: Request, context: RegistryRequestContext) async throws -> JSONBody<Consent> {
        let input = try await request.decodeStrictly(NewConsent.self, schema: .consent, context: context)
        return JSONBody(try await registry.consents.record(loan: try context.parameters.require("id"), input, by: context.actor),
                        status: .created)
    }

    @Sendable func consents(_ request: Request, context: RegistryRequestContext) async throws -> JSONBody<Items<Consent>> {
        JSONBody(Items(items: try await registry.consents.consents(ofLoan: try context.parameters.require("id"), by: context.actor)))
    }

    @Sendable func contactSheet(_ request: Request, context: RegistryRequestContext) async throws -> JSONBody<Loan> {
        let input = try await request.decodeStrictly(ContactSheetGiven.self, schema: .contactSheet, context: context)
        return JSONBody(try await registry.loans.recordContactSheet(try context.parameters.require("id"), input, by: context.actor))
    }

    @Sendable func handOver(_ request: Request, context: RegistryRequestContext) async throws -> JSONBody<Loan> {
        JSONBody(try await registry.loans.handOver(try context.parameters.require("id"), by: context.actor))
    }

    @Sendable func receiveReturn(_ request: Request, context: RegistryRequestContext) async throws -> JSONBody<Loan> {
        let input = try await request.decodeStrictly(LoanReturn.self, schema: .loanReturn, context: context)
        return JSONBody(try await registry.loans.receiveReturn(try context.parameters.require("id"), input, by: context.actor))
    }

    @Sendable func cancel(_ request: Request, context: RegistryRequestContext) async throws -> JSONBody<Loan> {
        let input = try await request.decodeStrictly(Cancellation.self, schema: .cancellation, context: context)
        return JSONBody(try await registry.loans.cancel(try context.parameters.require("id"), reason: input.reason, by: context.actor))
    }

    struct Cancellation: Decodable {
        let reason: String
    }
}
