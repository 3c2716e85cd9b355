import Hummingbird
import LoanRegistry

extension Request {
    /// `limit` and `cursor` from the query string.
    func pageRequest() throws -> PageRequest {
        let query = uri.queryParameters
        var limit: Int?
        if let text = query["limit"] {
            guard let value = Int(String(text)) else {
                throw ProblemDetails.validation([FieldError("limit", "must be a whole number")])
            }
            limit = value
        }
        return try PageRequest(limit: limit, cursor: query["cursor"].map(String.init))
    }

    /// `asOf` (YYYY-MM-DD) from the query string, if given.
    func asOfDate() throws -> LocalDate? {
        guard let text = uri.queryParameters["asOf"] else { return nil }
        guard let date = LocalDate(String(text)) else {
            throw ProblemDetails.validation([FieldError("asOf", "must be a date YYYY-MM-DD")])
        }
        return date
    }
}
