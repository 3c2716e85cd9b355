import Foundation
import Hummingbird
import LoanRegistry

extension Request {
    /// `limit` and `cursor` from the query string.
    func pageRequest() throws -> PageRequest {
        var limit: Int?
        if let text = queryValue("limit") {
            guard let value = Int(text) else {
                throw ProblemDetails.validation([FieldError("limit", "must be a whole number")])
            }
            limit = value
        }
        return try PageRequest(limit: limit, cursor: queryValue("cursor"))
    }

    /// The text query parameter `name`, if given: at most `maximum` characters (code points), no
    /// control or format characters.
    func text(_ name: String, maximum: Int) throws -> String? {
        guard let value = queryValue(name) else { return nil }
        let scalars = value.unicodeScalars
        guard !value.trimmingCharacters(in: .whitespaces).isEmpty, scalars.count <= maximum,
              !scalars.contains(where: { [Unicode.GeneralCategory.control, .format].contains($0.properties.generalCategory) }) else {
            throw ProblemDetails.validation([FieldError(name, "must be 1 to \(maximum) visible characters")])
        }
        return value
    }

    /// The query parameter `name` as one of `T`'s cases, if given.
    func choice<T: CaseIterable & RawRepresentable>(_ name: String) throws -> T? where T.RawValue == String {
        guard let value = queryValue(name) else { return nil }
        guard let choice = T(rawValue: value) else {
            throw ProblemDetails.validation([FieldError(name, "must be one of " + T.allCases.map(\.rawValue).joined(separator: ", "))])
        }
        return choice
    }

    /// The date query parameter `name` (YYYY-MM-DD), if given.
    func date(_ name: String) throws -> LocalDate? {
        guard let text = queryValue(name) else { return nil }
        guard let date = LocalDate(String(text)) else {
            throw ProblemDetails.validation([FieldError(name, "must be a date YYYY-MM-DD")])
        }
        return date
    }

    /// `asOf` (YYYY-MM-DD) from the query string, if given.
    func asOfDate() throws -> LocalDate? {
        guard let text = queryValue("asOf") else { return nil }
        guard let date = LocalDate(String(text)) else {
            throw ProblemDetails.validation([FieldError("asOf", "must be a date YYYY-MM-DD")])
        }
        return date
    }
}
