import Foundation
import Hummingbird
import LoanRegistry

/// Returns at the counter: scan or type the asset tag, record condition and accessories, then —
/// for a device that stores patient data — the wipe, verified by a second staff member who
/// confirms with their own password; and a printable return receipt.
struct ReturnPages: Sendable {
    let registry: Registry
    /// The sign-in slow-down, which the verifier's password check goes through like any sign-in.
    let throttle: SignInThrottle

    func add(to pages: PageGroup) {
        pages.get("returns", .operation(.receiveReturn), findForm)
            .post("returns", .operation(.receiveReturn), find)
            .get("loans/:id/return", .operation(.receiveReturn), returnForm)
            .post("loans/:id/return", .operation(.receiveReturn), receive)
            .get("loans/:id/receipt", .operation(.readLoans), receipt)
            .get("devices/:id/wipe", .operation(.recordWipe), wipeForm)
            .post("devices/:id/wipe", .operation(.recordWipe), wipe)
    }

    struct FindContent { var tag = "" }

    @Sendable func findForm(_ page: PageVisit) async throws -> Response {
        page.render("return-find", title: page.t("returnsTitle"), content: FindContent())
    }

    @Sendable func find(_ page: PageVisit) async throws -> Response {
        let tag = page.form.text("tag") ?? ""
        let actor = try page.requireActor()
        do {
            let device = try await registry.ledger.device(tag, by: actor)
            guard let loan = try await registry.loans.list(.init(status: .active, device: device.id), by: actor).items.first else {
                throw RegistryError.validationFailed([FieldError("tag", device.assetTag + " — " + page.t("notOnLoan"))])
            }
            return PageRenderer.redirect("/loans/\(loan.id)/return")
        } catch let error as RegistryError {
            return page.render("return-find", title: page.t("returnsTitle"), content: FindContent(tag: tag),
                               status: ProblemDetails(error).status, error: UIText.message(for: error, page.language))
        }
    }

    struct ReturnContent {
        let id: String
        let number: String
        let patientName: String
        let assetTag: String
        let model: String
        let conditions: [PatientPages.Choice]
        let storesData: Bool
        let accessoriesYes: Bool
        let accessoriesNo: Bool
        let notes: String
    }

    @Sendable func returnForm(_ page: PageVisit) async throws -> Response {
        try await returnPage(page, id: try page.parameter("id"))
    }

    func returnPage(_ page: PageVisit, id: String, status: HTTPResponse.Status = .ok, error: String? = nil) async throws -> Response {
        let actor = try page.requireActor()
        let loan = try await registry.loans.loan(id, by: actor)
        let device = try await registry.ledger.device(loan.device.id, by: actor)
        let content = ReturnContent(
            id: loan.id, number: loan.number, patientName: loan.patient.name, assetTag: loan.device.assetTag,
            model: "\(loan.device.manufacturer) \(loan.device.modelName)",
            conditions: LoanReturn.Condition.allCases.map {
                .init(value: $0.rawValue, label: page.t("condition." + $0.rawValue),
                      selected: $0.rawValue == (page.form["condition"] ?? LoanReturn.Condition.ok.rawValue))
            }, storesData: device.model.storesPatientData, accessoriesYes: page.form["accessoriesComplete"] == "yes",
            accessoriesNo: page.form["accessoriesComplete"] == "no", notes: page.form["notes"] ?? "")
        return page.render("return", title: page.t("returnTitle") + " " + loan.number, content: content, status: status, error: error)
    }

    @Sendable func receive(_ page: PageVisit) async throws -> Response {
        let id = try page.parameter("id")
        let form = page.form
        do {
            let actor = try page.requireActor()
            guard let condition = form.text("condition").flatMap(LoanReturn.Condition.init(rawValue:)) else {
                throw RegistryError.validationFailed([FieldError("condition", page.t("chooseCondition"))])
            }
            guard let accessories = form.yesNo("accessoriesComplete") else {
                throw RegistryError.validationFailed([FieldError("accessoriesComplete", page.t("answerYesNo"))])
            }
            let loan = try await registry.loans.receiveReturn(
                id, LoanReturn(condition: condition, accessoriesComplete: accessories, notes: form.text("notes")), by: actor)
            let device = try await registry.ledger.device(loan.device.id, by: actor)
            if device.status == .awaitingWipe {
                return PageRenderer.redirect("/devices/\(device.id)/wipe?loan=\(loan.id)")
            }
            return PageRenderer.redirect("/loans/\(loan.id)/receipt")
        } catch let error as RegistryError {
            return try await returnPage(page, id: id, status: ProblemDetails(error).status, error: UIText.message(for: error, page.language))
        }
    }

    struct ReceiptContent {
        let clinic: String
        let number: String
        let patientName: String
        let patientNumber: String
        let assetTag: String
        let serial: String
        let model: String
        let returnedAt: String
        let condition: String
        let accessories: String
        let receivedBy: String
        let dataDeletion: String
    }

    @Sendable func receipt(_ page: PageVisit) async throws -> Response {
        let actor = try page.requireActor()
        let loan = try await registry.loans.loan(try page.parameter("id"), by: actor)
        guard let returnedAt = loan.returnedAt, let record = loan.returnRecord else {
            throw RegistryError.loanNotActive(number: loan.number, status: loan.status)
        }
        let clinic = (try? await registry.clinic.profile(by: actor)) ?? nil
        let device = try await registry.ledger.device(loan.device.id, by: actor)
        let content = ReceiptContent(
            clinic: clinic?.name ?? "", number: loan.number, patientName: loan.patient.name,
            patientNumber: loan.patient.patientNumber, assetTag: loan.device.assetTag, serial: loan.device.serialNumber,
            model: "\(loan.device.manufacturer) \(loan.device.modelName)",
            returnedAt: DisplayDate.moment(returnedAt, page.language), condition: page.t("condition." + record.condition.rawValue),
            accessories: page.t(record.accessoriesComplete ? "accessoriesAll" : "accessoriesMissing"), receivedBy: UIText.actorName(record.receivedBy, page.language),
            dataDeletion: device.model.storesPatientData
                ? page.t(device.status == .awaitingWipe ? "receiptWipePending" : "receiptWiped") : page.t("receiptNoData"))
        return page.render("receipt", title: page.t("receiptTitle"), content: content)
    }

    struct WipeContent {
        let id: String
        let assetTag: String
        let model: String
        let methods: [PatientPages.Choice]
        let performer: String
        let loanId: String?
        // What was typed, kept when the page comes back with a problem (never the password).
        let exportedYes: Bool
        let exportedNo: Bool
        let exportReference: String
        let notes: String
        let verifierLogin: String
    }

    @Sendable func wipeForm(_ page: PageVisit) async throws -> Response {
        try await wipePage(page, id: try page.parameter("id"), loanId: page.query("loan"))
    }

    func wipePage(_ page: PageVisit, id: String, loanId: String?, status: HTTPResponse.Status = .ok,
                  error: String? = nil) async throws -> Response {
        let actor = try page.requireActor()
        let device = try await registry.ledger.device(id, by: actor)
        let declared = try await registry.ledger.model(device.modelId, by: actor).securityProfile.wipeMethod
        let form = page.form
        let chosen = form.text("method").flatMap(SecurityProfile.WipeMethod.init(rawValue:)) ?? declared
        let methods = (declared.map { [$0] } ?? SecurityProfile.WipeMethod.allCases).map {
            PatientPages.Choice(value: $0.rawValue, label: page.t("wipe." + $0.rawValue), selected: $0 == chosen)
        }
        let content = WipeContent(id: device.id, assetTag: device.assetTag, model: "\(device.model.manufacturer) \(device.model.name)",
                                  methods: methods, performer: actor.login ?? "", loanId: loanId,
                                  exportedYes: form["dataExportedFirst"] == "yes", exportedNo: form["dataExportedFirst"] == "no",
                                  exportReference: form["exportReference"] ?? "", notes: form["notes"] ?? "",
                                  verifierLogin: form["verifierLogin"] ?? "")
        return page.render("wipe", title: page.t("wipeTitle") + " " + device.assetTag, content: content, status: status, error: error)
    }

    @Sendable func wipe(_ page: PageVisit) async throws -> Response {
        let id = try page.parameter("id")
        let form = page.form
        let loanId = form.text("loan")
        do {
            let actor = try page.requireActor()
            guard let method = form.text("method").flatMap(SecurityProfile.WipeMethod.init(rawValue:)) else {
                throw RegistryError.validationFailed([FieldError("method", page.t("chooseWipeMethod"))])
            }
            guard let exported = form.yesNo("dataExportedFirst") else {
                throw RegistryError.validationFailed([FieldError("dataExportedFirst", page.t("answerYesNo"))])
            }
            // The second person proves who they are with their own sign-in (password, and the code
            // when their account has a second factor); that sign-in ends at once.
            let verifierLogin = form.text("verifierLogin") ?? ""
            guard verifierLogin != actor.login else {
                throw RegistryError.validationFailed([FieldError("verifiedBy", page.t("verifierMustDiffer"))])
            }
            let code = form.text("verifierCode")
            let session = try await throttle.guarding(page.context.remoteAddress) {
                try await registry.staff.signIn(SignInRequest(
                    login: verifierLogin, password: form["verifierPassword"] ?? "", totp: code, kind: .bearer,
                    address: page.context.remoteAddress))
            }
            do {
                _ = try await registry.ledger.recordWipe(id, NewSanitization(
                    method: method, performedBy: actor.login ?? "", verifiedBy: session.account.login, dataExportedFirst: exported,
                    exportReference: form.text("exportReference"), notes: form.text("notes")), by: actor)
            } catch {
                try? await registry.staff.signOut(token: session.token)
                throw error
            }
            // The wipe is recorded: a failing sign-out must not report it as failed. The token was
            // never shown to anyone and ends with its lifetime at the latest.
            try? await registry.staff.signOut(token: session.token)
            if let loanId { return PageRenderer.redirect("/loans/\(loanId)/receipt") }
            return PageRenderer.redirect("/devices/\(id)?done=wiped")
        } catch let error as RegistryError {
            return try await wipePage(page, id: id, loanId: loanId, status: ProblemDetails(error).status,
                                      error: UIText.message(for: error, page.language))
        }
    }
}
