import Hummingbird
import LoanRegistry

/// `/api/v1/loans`: register, hand over, return, cancel; list by status including `overdue`.
struct LoanRoutes {
    let registry: Registry

    func add(to group: RouterGroup<RegistryRequestContext>) {
        group.group("loans")
            .post(use: create)
            .get(use: list)
            .get(":id", use: show)
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
