import Foundation
import HTTPTypes
import Hummingbird
import LoanRegistry

/// A JSON record with its revision as a strong `ETag`, to send back as `If-Match` when changing it.
struct Tagged<Value: Encodable & Sendable>: ResponseGenerator {
    let value: Value
    var status: HTTPResponse.Status = .ok

    init(_ value: Value, status: HTTPResponse.Status = .ok) {
        self.value = value
        self.status = status
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        // Encoded once: the revision is the hash of exactly the body sent (the same encoding).
        let json = try JSONBody<Value>.encode(value)
        var response = JSONBody<Value>.response(json, status: status)
        response.headers[.eTag] = "\"\(Revision.of(encoded: json))\""
        return response
    }
}

extension Request {
    /// What a PUT or PATCH requires of the record it changes: one of the revisions listed in
    /// `If-Match` (quotes and a weak `W/` prefix ignored), `*` for whatever it is now, or none.
    var editPrecondition: EditPrecondition {
        let values = headers[values: .ifMatch].flatMap { $0.split(separator: ",") }
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        if values.contains("*") { return .none }
        return .revisions(Set(values.map { value in
            let tag = value.hasPrefix("W/") ? String(value.dropFirst(2)) : value
            return tag.trimmingCharacters(in: CharacterSet(charactersIn: "\""))
        }))
    }
}
