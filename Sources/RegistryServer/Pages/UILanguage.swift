import Foundation
import Hummingbird

/// The language of the staff pages: Japanese first, English by the switch in the header.
///
/// Kept in the `lr_lang` cookie (not patient data); the patient's own language for handouts and
/// the tablet screen is the loan's, not this.
enum UILanguage: String, Sendable, CaseIterable {
    case ja, en

    static let cookieName = "lr_lang"

    /// The language chosen with the switch, else Japanese.
    static func of(_ request: Request) -> UILanguage {
        guard let header = request.headers[.cookie] else { return .ja }
        for part in header.split(separator: ";") {
            let pair = part.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            if pair.count == 2, pair[0] == cookieName, let language = UILanguage(rawValue: pair[1]) { return language }
        }
        return .ja
    }
}
