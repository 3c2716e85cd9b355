import Foundation
public import HTTPTypes
public import Hummingbird
import LoanRegistry

/// An RFC 9457 `application/problem+json` error body with a stable `code`.
///
/// The only place registry errors become HTTP. Its `detail` names records (loan numbers,
/// asset tags), never patient data.
public struct ProblemDetails: HTTPResponseError, Encodable, Sendable {
    /// One offending input field of a validation problem.
    public struct FieldProblem: Encodable, Sendable, Equatable {
        /// JSON path of the field, e.g. `dueDate` or `signer.relationship`.
        public let field: String
        /// The same field as an RFC 6901 JSON pointer, e.g. `/signer/relationship` (for a
        /// query parameter, `/` and its name).
        public let pointer: String
        /// What is wrong with it.
        public let message: String

        public init(field: String, message: String) {
            self.field = field
            self.message = message
            self.pointer = Self.pointer(field)
        }

        /// `signer.name` → `/signer/name`, `items[2].id` → `/items/2/id`, `` → ``.
        static func pointer(_ field: String) -> String {
            guard !field.isEmpty else { return "" }
            var pointer = ""
            for part in field.replacingOccurrences(of: "[", with: ".").replacingOccurrences(of: "]", with: "")
                .split(separator: ".", omittingEmptySubsequences: true) {
                pointer += "/" + part.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
            }
            return pointer
        }
    }

    public let status: HTTPResponse.Status
    /// Stable machine-readable code, e.g. `not_found`.
    public let code: String
    /// Short human summary of the problem type.
    public let title: String
    /// Explanation of this occurrence.
    public let detail: String?
    /// For validation problems: the offending fields.
    public let errors: [FieldProblem]?
    /// Seconds after which a retry may succeed (503).
    public let retryAfter: Int?
    /// For a refused hand-over: every gate requirement not met (`consent_required`, `contact_sheet_required`).
    public let missing: [String]?
    /// For 405: the methods the path takes, sent as `Allow`.
    public let allow: String?
    /// Further RFC 9457 extension members, e.g. `/health`'s `writes` and `writesReason`.
    public var members: [String: String] = [:]

    public init(
        status: HTTPResponse.Status, code: String, title: String, detail: String? = nil,
        errors: [FieldProblem]? = nil, retryAfter: Int? = nil, missing: [String]? = nil, allow: String? = nil
    ) {
        self.allow = allow
        self.status = status
        self.code = code
        self.title = title
        self.detail = detail
        self.errors = errors
        self.retryAfter = retryAfter
        self.missing = missing
    }

    private enum CodingKeys: String, CodingKey {
        case type, title, status, detail, code, errors, missing
    }

    private struct MemberKey: CodingKey {
        let stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode("urn:loan-registry:problem:\(code)", forKey: .type)
        try container.encode(title, forKey: .title)
        try container.encode(Int(status.code), forKey: .status)
        try container.encodeIfPresent(detail, forKey: .detail)
        try container.encode(code, forKey: .code)
        try container.encodeIfPresent(errors, forKey: .errors)
        try container.encodeIfPresent(missing, forKey: .missing)
        var extra = encoder.container(keyedBy: MemberKey.self)
        for (name, value) in members where CodingKeys(stringValue: name) == nil {
            try extra.encode(value, forKey: MemberKey(stringValue: name))
        }
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        // A caller that prefers Japanese (`Accept-Language: ja`) gets the title from the same
        // catalogue the staff pages use; the detail, which names records, stays as it is.
        if Self.prefersJapanese(request), let japanese = ProblemText.text(code, japanese: true), japanese != title {
            var translated = ProblemDetails(status: status, code: code, title: japanese, detail: detail, errors: errors,
                                            retryAfter: retryAfter, missing: missing, allow: allow)
            translated.members = members
            var response = try translated.response(from: request, context: context)
            response.headers[.contentLanguage] = "ja"
            return response
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var headers: HTTPFields = [.contentType: "application/problem+json", .vary: "Accept-Language"]
        if let retryAfter {
            headers[.retryAfter] = String(retryAfter)
        }
        if let allow {
            headers[.allow] = allow
        }
        if status == .unauthorized {
            headers[.wwwAuthenticate] = "Bearer realm=\"loan-registry\""
        }
        let body = try encoder.encode(self)
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }

    /// Whether the first language `Accept-Language` names is Japanese (`ja`, `ja-JP`, …).
    static func prefersJapanese(_ request: Request) -> Bool {
        guard let header = request.headers[.acceptLanguage] else { return false }
        let ranked = header.split(separator: ",").compactMap { part -> (tag: String, weight: Double)? in
            let pieces = part.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            guard let tag = pieces.first?.lowercased(), !tag.isEmpty else { return nil }
            let weight = pieces.dropFirst().first { $0.hasPrefix("q=") }.flatMap { Double($0.dropFirst(2)) } ?? 1
            return (tag, weight)
        }
        guard let best = ranked.filter({ $0.weight > 0 }).max(by: { $0.weight < $1.weight }) else { return false }
        return best.tag == "ja" || best.tag.hasPrefix("ja-")
    }
}
