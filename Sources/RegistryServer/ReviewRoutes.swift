import Hummingbird
import LoanRegistry

/// `/api/v1/reviews/access`: the access-log review (auditors and managers; sign-off by a manager).
struct ReviewRoutes {
    let registry: Registry

    func add(to api: APIGroup) {
        api.get("reviews/access", .operation(.reviewAccess),
                .init("A period's access review: reads per account and every flag with its decision",
                      description: "Reading a review is audited. The period is at most a year.",
                      query: [.init(name: "from", schema: .date, description: "The first day (Japan). Required."),
                              .init(name: "to", schema: .date, description: "The last day (Japan). Required.")],
                      answer: .json(.accessReview)), use: review)
            .post("reviews/access/:period/decisions", .operation(.reviewAccess),
                  .init("Record a decision on one flag of the period (a later one supersedes it)",
                        body: .accessReviewDecisionRequest, pathParameters: ["period": .reviewPeriod],
                        answer: .json(.accessFlag)), use: decide)
            .post("reviews/access/:period/sign-off", .operation(.signOffAccessReview),
                  .init("Sign off the period once every flag has a decision (manager)",
                        body: .accessReviewSignOffRequest, pathParameters: ["period": .reviewPeriod],
                        answer: .json(.accessReview)), use: signOff)
    }

    @Sendable func review(_ request: Request, context: RegistryRequestContext) async throws -> JSONBody<AccessReview> {
        JSONBody(try await registry.reviews.review(try request.period(), by: try context.requireActor()))
    }

    @Sendable func decide(_ request: Request, context: RegistryRequestContext) async throws -> JSONBody<AccessFlag> {
        let period = try Self.period(context)
        let input = try await request.decodeStrictly(DecisionRequest.self, context: context)
        return JSONBody(try await registry.reviews.decide(period, item: input.item, input.decision, note: input.note,
                                                          by: try context.requireActor()))
    }

    @Sendable func signOff(_ request: Request, context: RegistryRequestContext) async throws -> JSONBody<AccessReview> {
        let period = try Self.period(context)
        let input = try await request.decodeStrictly(SignOffRequest.self, context: context)
        return JSONBody(try await registry.reviews.signOff(period, note: input.note ?? "", by: try context.requireActor()))
    }

    static func period(_ context: RegistryRequestContext) throws -> AccessReviewPeriod {
        guard let period = AccessReviewPeriod(id: try context.parameters.require("period")) else {
            throw ProblemDetails.validation([FieldError("period", "must be YYYY-MM-DD..YYYY-MM-DD, at most a year")])
        }
        return period
    }

    struct DecisionRequest: Decodable {
        let item: String
        let decision: AccessReviewDecision.Outcome
        let note: String
    }

    struct SignOffRequest: Decodable {
        let note: String?
    }
}

extension Request {
    /// The required `from` and `to` query parameters as a period of at most a year.
    func period() throws -> AccessReviewPeriod {
        var problems: [FieldError] = []
        let from = try date("from"), to = try date("to")
        if from == nil { problems.append(FieldError("from", "is required (YYYY-MM-DD)")) }
        if to == nil { problems.append(FieldError("to", "is required (YYYY-MM-DD)")) }
        guard problems.isEmpty, let from, let to else { throw ProblemDetails.validation(problems) }
        guard let period = AccessReviewPeriod(from: from, to: to) else {
            throw ProblemDetails.validation([FieldError("to", "must be on or after from, at most a year later")])
        }
        return period
    }
}
