import Foundation
import Handouts
import HTTPTypes
import Hummingbird
import LoanRegistry
import Mustache
import NIOCore

/// Renders the staff pages from the Mustache templates compiled into the binary.
///
/// Every page is a template that fills the `body` block of `layout`. `{{…}}` escapes HTML, so a
/// name typed by staff cannot become markup; no template uses `{{{…}}}`.
struct PageRenderer: Sendable {
    /// The templates of each page language, with every `{{t.key}}` already replaced by its text.
    let libraries: [UILanguage: MustacheLibrary]

    /// The templates, parsed once per language; a template that does not parse stops the server at start.
    ///
    /// The words (`{{t.key}}`) are the same on every rendering of a page in one language, so they
    /// are written into the templates here, escaped, instead of being looked up on each request:
    /// profiled, look-ups through the template's context were most of a page's time.
    static let shared: PageRenderer = {
        var libraries: [UILanguage: MustacheLibrary] = [:]
        for language in UILanguage.allCases {
            var library = MustacheLibrary()
            for (name, bytes) in PageAssets.templates {
                let text = withWords(String(decoding: bytes, as: UTF8.self), language)
                do {
                    try library.register(text, named: name)
                } catch {
                    fatalError("The page template \(name) does not parse: \(error)")
                }
            }
            libraries[language] = library
        }
        return PageRenderer(libraries: libraries)
    }()

    /// `template` with each `{{t.key}}` replaced by the key's text in `language`, HTML-escaped.
    static func withWords(_ template: String, _ language: UILanguage) -> String {
        template.replacing(#/\{\{t\.([A-Za-z0-9._\-]+)\}\}/#) { match in
            HTMLRenderer.escapeHTML(UIText.text(String(match.output.1), language))
        }
    }

    /// The security headers of every staff page: no inline script or style, nothing from elsewhere,
    /// not framed, not cached (patient pages), no referrer to other sites (a same-origin one keeps the browser sending `Origin`).
    static let contentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; "
        + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

    /// The view every template sees: the page's own `content` and the frame around it.
    struct View {
        let lang: String
        let title: String
        let csrf: String
        let staff: StaffView?
        let error: String?
        let notice: String?
        let idleSeconds: Int
        let content: Any
        let english: Bool
        /// A signed-in page, which locks itself when left alone (also the tablet screen, which has no menus).
        let signedIn: Bool
        /// Where the language switch comes back to: this page, when it was opened with GET (its path holds ids only).
        let back: String
    }

    /// The signed-in account in the header, and which menus its role may open.
    struct StaffView {
        let login: String
        let role: String
        let patients: Bool
        let loans: Bool
        let devices: Bool
        let overdue: Bool
        let stocktake: Bool
        let incidents: Bool
        let models: Bool
        let accounts: Bool
        let review: Bool
        let evidence: Bool
        let audit: Bool
    }

    /// A page rendered as `text/html`, with the staff pages' headers.
    func page(_ template: String, title: String, content: Any, for page: PageVisit, status: HTTPResponse.Status = .ok,
              error: String? = nil, notice: String? = nil, chrome: Bool = true) -> Response {
        let staff = chrome ? page.actor.map { actor in
            StaffView(login: actor.login ?? actor.id, role: UIText.roleName(actor.role, page.language),
                      patients: page.may(.readPatients), loans: page.may(.registerLoan), devices: page.may(.readDevices),
                      overdue: page.may(.readLoans), stocktake: page.may(.readStocktakes), incidents: page.may(.readIncidents),
                      models: page.may(.registerDeviceModel), accounts: page.may(.readAccounts),
                      review: page.may(.reviewAccess), evidence: page.may(.readReports), audit: page.may(.readAuditLog))
        } : nil
        let view = View(lang: page.language.rawValue, title: title, csrf: page.csrfToken,
                        staff: staff, error: error, notice: notice, idleSeconds: page.idleMinutes * 60, content: content,
                        english: page.language == .en, signedIn: page.actor != nil,
                        back: page.request.method == .get ? page.request.uri.path : "/")
        let html = libraries[page.language]?.render(MustacheView.flatten(view) ?? [:], withTemplate: template) ?? ""
        return Self.html(html, status: status)
    }

    /// `html` with the staff pages' headers.
    static func html(_ html: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: headers(contentType: "text/html; charset=utf-8"),
                 body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    static func headers(contentType: String) -> HTTPFields {
        var headers = HTTPFields()
        headers[.contentType] = contentType
        headers[.cacheControl] = "no-store"
        headers[.contentSecurityPolicy] = contentSecurityPolicy
        headers[HTTPField.Name("Referrer-Policy")!] = "same-origin"
        return headers
    }

    /// A `303 See Other` to `location` (a path of this site), after a form was handled.
    static func redirect(_ location: String) -> Response {
        var headers = HTTPFields()
        headers[.location] = location
        headers[.cacheControl] = "no-store"
        return Response(status: .seeOther, headers: headers)
    }
}
