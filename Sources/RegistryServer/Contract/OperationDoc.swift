import HTTPTypes
import LoanRegistry

/// What the OpenAPI document says of one route: summary, query parameters, body and answer.
///
/// Given when the route is added (``APIGroup``), so the document cannot miss a route, and the
/// body schema given here is the one ``Request/decodeStrictly(_:context:)`` checks.
struct OperationDoc: Sendable {
    /// What a successful call answers with.
    enum Answer: Sendable {
        /// A JSON body.
        case json(JSONSchema)
        /// JSON by default, or CSV with `format=csv`.
        case jsonOrCSV(JSONSchema)
        /// JSON by default, CSV with `format=csv`, a printable PDF with `format=pdf`.
        case jsonCSVOrPDF(JSONSchema)
        /// A printable handout: PDF or HTML, chosen by the file name.
        case handout
        /// A printable PDF.
        case pdf
        /// A PNG image.
        case png
        /// No body.
        case empty
    }

    /// One query parameter.
    struct QueryParameter: Sendable {
        let name: String
        let schema: JSONSchema
        let description: String

        static let limit = QueryParameter(name: "limit", schema: .integer(minimum: 1, maximum: PageRequest.maximumLimit, example: 50),
                                          description: "Items per page (default 50, at most \(PageRequest.maximumLimit)).")
        static let cursor = QueryParameter(name: "cursor", schema: .string(maxLength: 200, example: "MTI"),
                                           description: "`nextCursor` of the previous page.")
        static let asOf = QueryParameter(name: "asOf", schema: .date,
                                         description: "The day to judge overdue loans on (default: today in Japan).")
    }

    /// An OpenAPI link: an operation that can use a field of this answer as a path parameter
    /// (schemathesis follows them to test whole flows).
    struct Link: Sendable {
        let method: HTTPRequest.Method
        /// Relative to `/api/v1`, e.g. `loans/{id}/consent`.
        let path: String
        /// Path parameter → JSON pointer into the answer, e.g. `id` → `/id`.
        let parameters: [String: String]

        /// Links to each of `operations` (method and path), filling `parameter` from `pointer`.
        static func each(_ operations: [(HTTPRequest.Method, String)], parameter: String = "id",
                         from pointer: String = "/id") -> [Link] {
            operations.map { Link(method: $0.0, path: $0.1, parameters: [parameter: pointer]) }
        }
    }

    let summary: String
    var links: [Link] = []
    /// The answer carries the record's revision as `ETag` (see ``Tagged``).
    var etag = false
    var description: String?
    var query: [QueryParameter] = []
    var body: JSONSchema?
    /// Schemas of path parameters other than plain text (`{file}` of a handout).
    var pathParameters: [String: JSONSchema] = [:]
    var status: HTTPResponse.Status = .ok
    var answer: Answer

    /// A route answering `answer` (200 unless `status`), reading `body` when given.
    init(_ summary: String, description: String? = nil, query: [QueryParameter] = [], body: JSONSchema? = nil,
         pathParameters: [String: JSONSchema] = [:], status: HTTPResponse.Status = .ok, answer: Answer) {
        self.pathParameters = pathParameters
        self.summary = summary
        self.description = description
        self.query = query
        self.body = body
        self.status = status
        self.answer = answer
    }

    /// A list route: `limit` and `cursor`, plus `filters`.
    static func page(_ summary: String, of item: JSONSchema, named name: String, filters: [QueryParameter] = [],
                     description: String? = nil) -> OperationDoc {
        OperationDoc(summary, description: description, query: [.limit, .cursor] + filters,
                     answer: .json(.page(of: item, name)))
    }

    /// This operation, answering the record's revision as `ETag`.
    var tagged: OperationDoc {
        var copy = self
        copy.etag = true
        return copy
    }

    /// This operation, with `links` from its answer.
    func linking(_ links: [Link]) -> OperationDoc {
        var copy = self
        copy.links += links
        return copy
    }
}
