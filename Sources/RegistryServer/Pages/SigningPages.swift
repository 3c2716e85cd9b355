import Foundation
import Hummingbird
import LoanRegistry

/// `/loans/{id}/sign`: the patient-facing tablet screen. Staff open it for one loan and hand the
/// tablet over; it shows the explanation in large type (read aloud where the browser can), the
/// scope questions, the signer, a signature pad, and 「同意する」/「同意しない」. The decision is
/// recorded with the explanation's hash, the PNG and the pen strokes, and the screen locks back
/// to the staff sign-in.
struct SigningPages: Sendable {
    let registry: Registry
    let secureCookies: Bool

    func add(to pages: PageGroup) {
        pages.get("loans/:id/sign", .operation(.recordConsent), form)
            .post("loans/:id/sign", .operation(.recordConsent), sign)
    }

    struct Content {
        let id: String
        let number: String
        let text: String
        let sha256: String
        let speechLang: String
        let patientName: String
        let scopeQuestions: [LoanPages.ScopeQuestion]
        let lang: String
        // What was given, kept when the page comes back with a problem (the pad redraws the strokes).
        let proxy: Bool
        let signerName: String
        let relationship: String
        let proxyReason: String
        let strokes: String
    }

    @Sendable func form(_ page: PageVisit) async throws -> Response {
        try await signingPage(page, id: try page.parameter("id"))
    }

    func signingPage(_ page: PageVisit, id: String, status: HTTPResponse.Status = .ok, failure: (any Error)? = nil) async throws -> Response {
        let actor = try page.requireActor()
        let explained = try await registry.loans.currentExplanation(of: id, by: actor)
        let loan = explained.loan
        // Nothing to sign without the exact text: a patient never agrees to an empty screen.
        guard LoanLifecycle.isPreparing(loan.status), loan.consent == nil, let current = explained.explanation,
              let text = current.text, !text.isEmpty else {
            throw RegistryError.invalidLoanTransition(number: loan.number, from: loan.status, to: .consented)
        }
        let model = try await registry.ledger.model(try await registry.ledger.device(loan.device.id, by: actor).modelId, by: actor)
        // The patient's screen speaks the patient's language, whatever the staff pages use.
        let patientLanguage: UILanguage = loan.language.isJapanese ? .ja : .en
        let visit = PageVisit(request: page.request, context: page.context, language: patientLanguage, actor: page.actor,
                              sessionToken: page.sessionToken, form: page.form, idleMinutes: page.idleMinutes)
        let form = page.form
        let content = Content(id: loan.id, number: loan.number, text: text, sha256: current.sha256,
                              speechLang: loan.language.isJapanese ? "ja-JP" : "en-US", patientName: loan.patient.name,
                              scopeQuestions: LoanPages.scopeQuestions(model.securityProfile, patientLanguage).map { question in
                                  var answered = question
                                  answered.yes = form[question.name] == "yes"
                                  answered.no = form[question.name] == "no"
                                  return answered
                              },
                              lang: loan.language.rawValue, proxy: form["signerKind"] == "proxy",
                              signerName: form["signerName"] ?? loan.patient.name, relationship: form["relationship"] ?? "",
                              proxyReason: form["proxyReason"] ?? "", strokes: form["strokes"] ?? "")
        return visit.render("sign", title: visit.t("signTitle"), content: content, status: status,
                            error: failure.map { UIText.message(for: $0, patientLanguage) }, chrome: false)
    }

    @Sendable func sign(_ page: PageVisit) async throws -> Response {
        let id = try page.parameter("id")
        let form = page.form
        do {
            let actor = try page.requireActor()
            // Only one of the two buttons decides: Enter in a field is no decision.
            guard let decision = form["decision"].flatMap(NewConsent.Decision.init(rawValue:)) else {
                throw RegistryError.validationFailed([FieldError("decision", page.t("chooseDecision"))])
            }
            var strokes: SignatureStrokes?
            if let json = form.text("strokes") {
                do {
                    strokes = try JSONDecoder().decode(SignatureStrokes.self, from: Data(json.utf8))
                } catch {
                    throw RegistryError.validationFailed([FieldError("signature.strokes", page.t("strokesInvalid"))])
                }
            }
            let png = form.text("png").map { $0.hasPrefix("data:image/png;base64,") ? String($0.dropFirst(22)) : $0 }
            let evidence: NewConsent.Evidence? = png == nil && strokes == nil
                ? nil : .init(method: .tablet, pngBase64: png, strokes: strokes)
            _ = try await registry.consents.record(loan: id, NewConsent(
                explanationSha256: form["explanationSha256"] ?? "", signer: LoanPages.signer(from: form), decision: decision,
                explainedBy: actor.login ?? "", scope: decision == .granted ? LoanPages.scope(from: form) : nil,
                signature: evidence), by: actor)
        } catch let error as RegistryError {
            return try await signingPage(page, id: id, status: ProblemDetails(error).status, failure: error)
        }
        // The tablet goes back to the counter locked: the staff member signs in again.
        if let token = page.sessionToken { try await registry.staff.signOut(token: token) }
        let outcome = form["decision"] == "refused" ? "refused=1" : "signed=1"
        var response = PageRenderer.redirect("/signin?\(outcome)&next=" + "/loans/\(id)".addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)
        response.headers[.setCookie] = SessionCookie.clear(secure: secureCookies)
        return response
    }
}
