import Foundation
import Hummingbird
import NIOCore

/// The fields of an `application/x-www-form-urlencoded` body, as the staff pages post them.
///
/// `+` is a space, then percent-escapes are decoded. A name given twice keeps every value
/// (``values(_:)``); ``subscript(_:)`` gives the first.
struct FormFields: Sendable {
    private(set) var pairs: [(name: String, value: String)]

    init(pairs: [(name: String, value: String)] = []) {
        self.pairs = pairs
    }

    /// Parses `text`; a part that is not valid percent-encoded UTF-8 is kept as sent.
    init(urlEncoded text: String) {
        func decode(_ part: Substring) -> String {
            let spaced = part.replacingOccurrences(of: "+", with: " ")
            return spaced.removingPercentEncoding ?? spaced
        }
        pairs = text.split(separator: "&", omittingEmptySubsequences: true).map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            return (decode(parts[0]), parts.count > 1 ? decode(parts[1]) : "")
        }
    }

    /// The first value of `name`, or `nil`.
    subscript(_ name: String) -> String? {
        pairs.first { $0.name == name }?.value
    }

    /// Every value of `name`, in order.
    func values(_ name: String) -> [String] {
        pairs.filter { $0.name == name }.map(\.value)
    }

    /// The value of `name` with surrounding white space removed; `nil` when missing or blank.
    func text(_ name: String) -> String? {
        guard let value = self[name]?.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty else { return nil }
        return value
    }

    /// `true` for `yes`, `false` for `no`, `nil` for anything else (`unknown`, missing).
    func yesNo(_ name: String) -> Bool? {
        switch self[name] {
        case "yes": true
        case "no": false
        default: nil
        }
    }

    /// Reads the form body of `request` (the body limit applies before this).
    static func read(_ request: Request, context: RegistryRequestContext) async throws -> FormFields {
        let type = request.headers[.contentType]?.lowercased() ?? ""
        guard type.hasPrefix("application/x-www-form-urlencoded") else { return FormFields() }
        let buffer = try await request.body.collect(upTo: context.maxUploadSize)
        return FormFields(urlEncoded: String(buffer: buffer))
    }
}
