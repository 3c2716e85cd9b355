import Foundation
import Hummingbird

extension Request {
    /// The query string's name–value pairs, read as HTML forms and `URLSearchParams` write them:
    /// `+` is a space, then percent-escapes are decoded (names too). A value that is not valid
    /// percent-encoded UTF-8 is kept as sent, and refused by the checks that read it.
    var formQuery: [(name: String, value: String)] {
        guard let query = uri.query, !query.isEmpty else { return [] }
        func decode(_ part: Substring) -> String {
            let spaced = part.replacingOccurrences(of: "+", with: " ")
            return spaced.removingPercentEncoding ?? spaced
        }
        return query.split(separator: "&", omittingEmptySubsequences: true).map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            return (decode(parts[0]), parts.count > 1 ? decode(parts[1]) : "")
        }
    }

    /// The value of the query parameter `name` (the first, if repeated: repeats are refused earlier).
    func queryValue(_ name: String) -> String? {
        formQuery.first { $0.name == name }?.value
    }
}
