import Hummingbird
import LoanRegistry

/// `/api/v1/loans`: register (with the explanation), change, explanation, consent, contact sheet,
/// hand over (gated), return, cancel; list by status including `overdue`.
struct LoanRoutes {
    let registry: Registry

    func add(to api: APIGroup) {
        api.post("loans", .operation(.registerLoan),
                 .init("Register a loan; its explanation is built at once", body: .newLoan, status: .created,
                       answer: .json(.loan)).linking(OperationDoc.Link.each([
                           (.get, "loans/{id}"), (.patch, "loans/{id}"), (.post, "loans/{id}/explanation"),
                           (.get, "loans/{id}/explanations"), (.post, "loans/{id}/consent"), (.get, "loans/{id}/consents"),
                           (.post, "loans/{id}/contact-sheet"), (.post, "loans/{id}/handover"), (.post, "loans/{id}/return"),
                           (.post, "loans/{id}/cancel"), (.get, "loans/{id}/handouts/{file}"),
                       ])), use: create)
            .get("loans", .operation(.readLoans),
                 .page("List loans (every loan returned is audited as read)", of: .loan, named: "LoanPage", filters: [
                     .init(name: "status", schema: .oneOf(["overdue"] + LoanStatus.allCases.map(\.rawValue)),
                           description: "Only loans in this status; `overdue` for active loans past their due date."),
                     .asOf,
                     .init(name: "patientId", schema: .string(minLength: 1, maxLength: 100, example: "P-000001"),
                           description: "Only this patient's loans (id or patient number)."),
                     .init(name: "deviceId", schema: .string(minLength: 1, maxLength: 100, example: "HOL-0001"),
                           description: "Only loans of this device (id or asset tag)."),
                     .init(name: "dueFrom", schema: .date, description: "Only loans due on or after this day."),
                     .init(name: "dueTo", schema: .date, description: "Only loans due on or before this day."),
                 ]), use: list)
            .get("loans/:id", .operation(.readLoans), .init("Read a loan (by id or number; audited)", answer: .json(.loan)).tagged,
                 use: show)
            .patch("loans/:id", .operation(.changeLoan),
                   .init("Change a loan before hand-over (If-Match required); a new explanation is built", body: .loanChanges,
                         answer: .json(.loan)).tagged, use: change)
            .post("loans/:id/explanation", .operation(.changeLoan),
                  .init("Rebuild the loan's explanation from the current texts and profile", body: .noFields, answer: .json(.loan)),
                  use: refreshExplanation)
            .get("loans/:id/explanations", .operation(.readLoans),
                 .init("Every explanation snapshot of the loan", answer: .json(.list(of: .explanation, "ExplanationList"))),
                 use: explanations)
            .post("loans/:id/consent", .operation(.recordConsent),
                  .init("Record the patient's consent decision on the current explanation", body: .newConsent,
                        status: .created, answer: .json(.consent)).linking(OperationDoc.Link.each([
                            (.get, "consents/{id}"), (.get, "consents/{id}/signature.png"), (.post, "consents/{id}/withdrawal"),
                        ])), use: consent)
            .get("loans/:id/consents", .operation(.readConsents),
                 .init("Every consent decision of the loan", answer: .json(.list(of: .consent, "ConsentList"))), use: consents)
            .post("loans/:id/contact-sheet", .operation(.recordContactSheet),
                  .init("Record that the contact sheet was handed over", body: .contactSheetGiven, answer: .json(.loan)),
                  use: contactSheet)
            .post("loans/:id/handover", .operation(.handOverLoan),
                  .init("Hand the device over (needs consent and the contact sheet)", body: .noFields, answer: .json(.loan)), use: handOver)
            .post("loans/:id/return", .operation(.receiveReturn),
                  .init("Receive the device back", body: .loanReturn, answer: .json(.loan)), use: receiveReturn)
            .post("loans/:id/cancel", .operation(.cancelLoan),
                  .init("Cancel a loan before hand-over", body: .cancellation, answer: .json(.loan)), use: cancel)
            .post("loans/:id/loss", .operation(.reportLoss),
                  .init("The device was lost or stolen: the loan and the device become lost and an incident opens",
                        body: .newLoss, status: .created, answer: .json(.incident)), use: loss)
            .post("loans/:id/contacts", .operation(.recordContactAttempt),
                  .init("Record an attempt to reach the patient (overdue follow-up); the loan shows its last contact",
                        body: .newContactAttempt, status: .created, answer: .json(.loan)), use: contact)
            .post("loans/:id/extension", .operation(.extendLoan),
                  .init("Move the due date of an active loan (the earlier dates are kept)", body: .loanExtension,
                        answer: .json(.loan)), use: extend)
    }

    @Sendable func create(_ request: Request, context: RegistryRequestContext) async throws -> JSONBody<Loan> {
        let input = try await request.decodeStrictly(NewLoan.self, context: context)
        return JSONBody(try await registry.loans.register(input, by: try context.requireActor()), status: .created)
    }

    @Sendable func list(_ request: Request, context: RegistryRequestContext) async throws -> JSONBody<Page<Loan>> {
        let page = try request.pageRequest()
        var filter = Loans.Filter(patient: try request.text("patientId", maximum: 100), device: try request.text("deviceId", maximum: 100),
                                  dueFrom: try request.date("dueFrom"), dueTo: try request.date("dueTo"))
        switch request.queryValue("status") {
        case "overdue":
            return JSONBody(try await registry.loans.overdue(asOf: try request.asOfDate(), page, filter: filter,
                                                             by: try context.requireActor()))
        case nil:
            break
        case let value?:
            guard let status = LoanStatus(rawValue: value) else {
                throw ProblemDetails.validation([FieldError("status", "must be overdue or one of "
                    + LoanStatus.allCases.map(\.rawValue).joined(separator: ", "))])
            }
            filter.status = status
        }
        guard request.queryValue("asOf") == nil else {
            throw ProblemDetails.validation([FieldError("asOf", "only applies with status=overdue")])
        }
        return JSONBody(try await registry.loans.list(filter, page, by: try context.requireActor()))
    }

    @Sendable func show(_ request: Request, context: RegistryRequestContext) async throws -> Tagged<Loan> {
        Tagged(try await registry.loans.loan(try context.parameters.require("id"), by: try context.requireActor()))
    }

    @Sendable func change(_ request: Request, context: RegistryRequestContext) async throws -> Tagged<Loan> {
        let input = try await request.decodeStrictly(LoanChanges.self, context: context)
        return Tagged(try await registry.loans.change(try context.parameters.require("id"), input,
                                                      precondition: request.editPrecondition, by: try context.requireActor()))
    }

    @Sendable func refreshExplanation(_ request: Request, context: RegistryRequestContext) async throws -> JSONBody<Loan> {
        JSONBody(try await registry.loans.refreshExplanation(try context.parameters.require("id"), by: try context.requireActor()))
    }

    @Sendable func explanations(_ request: Request, context: RegistryRequestContext) async throws -> JSONBody<Items<Explanation>> {
        JSONBody(Items(items: try await registry.loans.explanations(of: try context.parameters.require("id"), by: try context.requireActor())))
    }

    @Sendable func consent(_ request: Request, context: RegistryRequestContext) async throws -> JSONBody<Consent> {
        let input = try await request.decodeStrictly(NewConsent.self, context: context)
        return JSONBody(try await registry.consents.record(loan: try context.parameters.require("id"), input, by: try context.requireActor()),
                        status: .created)
    }

    @Sendable func consents(_ request: Request, context: RegistryRequestContext) async throws -> JSONBody<Items<Consent>> {
        JSONBody(Items(items: try await registry.consents.consents(ofLoan: try context.parameters.require("id"), by: try context.requireActor())))
    }

    @Sendable func contactSheet(_ request: Request, context: RegistryRequestContext) async throws -> JSONBody<Loan> {
        let input = try await request.decodeStrictly(ContactSheetGiven.self, context: context)
        return JSONBody(try await registry.loans.recordContactSheet(try context.parameters.require("id"), input, by: try context.requireActor()))
    }

    @Sendable func handOver(_ request: Request, context: RegistryRequestContext) async throws -> JSONBody<Loan> {
        JSONBody(try await registry.loans.handOver(try context.parameters.require("id"), by: try context.requireActor()))
    }

    @Sendable func receiveReturn(_ request: Request, context: RegistryRequestContext) async throws -> JSONBody<Loan> {
        let input = try await request.decodeStrictly(LoanReturn.self, context: context)
        return JSONBody(try await registry.loans.receiveReturn(try context.parameters.require("id"), input, by: try context.requireActor()))
    }

    @Sendable func cancel(_ request: Request, context: RegistryRequestContext) async throws -> JSONBody<Loan> {
        let input = try await request.decodeStrictly(Cancellation.self, context: context)
        return JSONBody(try await registry.loans.cancel(try context.parameters.require("id"), reason: input.reason, by: try context.requireActor()))
    }

    struct Cancellation: Decodable {
        let reason: String
    }

    @Sendable func extend(_ request: Request, context: RegistryRequestContext) async throws -> JSONBody<Loan> {
        let input = try await request.decodeStrictly(Extension.self, context: context)
        return JSONBody(try await registry.loans.extend(try context.parameters.require("id"), to: input.dueDate,
                                                        reason: input.reason, by: try context.requireActor()))
    }

    @Sendable func loss(_ request: Request, context: RegistryRequestContext) async throws -> JSONBody<Incident> {
        let input = try await request.decodeStrictly(NewLoss.self, context: context)
        return JSONBody(try await registry.loans.reportLoss(try context.parameters.require("id"), input, by: try context.requireActor()),
                        status: .created)
    }

    @Sendable func contact(_ request: Request, context: RegistryRequestContext) async throws -> JSONBody<Loan> {
        let input = try await request.decodeStrictly(NewContactAttempt.self, context: context)
        return JSONBody(try await registry.loans.recordContact(try context.parameters.require("id"), input, by: try context.requireActor()),
                        status: .created)
    }

    struct Extension: Decodable {
        let dueDate: LocalDate
        let reason: String
    }
}
