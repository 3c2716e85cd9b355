import Foundation
import Hummingbird
import LoanRegistry

/// `/accounts`: staff accounts for the account administrator (and read by the auditor): the list,
/// adding an account with an initial password, unlocking, disabling and enabling. Clinical
/// staff cannot open it.
struct AccountPages: Sendable {
    let registry: Registry

    func add(to pages: PageGroup) {
        pages.get("accounts", .operation(.readAccounts), list)
            .post("accounts", .operation(.manageAccounts), create)
            .post("accounts/:login/unlock", .operation(.manageAccounts), unlock)
            .post("accounts/:login/active", .operation(.manageAccounts), setActive)
    }

    struct Row {
        let login: String
        let displayName: String
        let role: String
        let active: Bool
        let locked: Bool
        let secondFactor: Bool
        let initial: Bool
    }

    struct Content {
        let rows: [Row]
        let roles: [PatientPages.Choice]
        let canManage: Bool
    }

    @Sendable func list(_ page: PageVisit) async throws -> Response {
        try await listPage(page)
    }

    func listPage(_ page: PageVisit, status: HTTPResponse.Status = .ok, error: String? = nil) async throws -> Response {
        let now = registry.clock.now()
        let rows = try await registry.staff.list(by: try page.requireActor()).map { account in
            Row(login: account.login, displayName: account.displayName, role: UIText.roleName(account.role, page.language),
                active: account.active, locked: (account.lockedUntil ?? .distantPast) > now,
                secondFactor: account.secondFactorEnrolled, initial: account.passwordIsInitial)
        }
        let content = Content(rows: rows, roles: StaffRole.allCases.map {
            .init(value: $0.rawValue, label: UIText.roleName($0, page.language), selected: $0 == .staff)
        }, canManage: page.may(.manageAccounts))
        return page.render("accounts", title: page.t("accountsTitle"), content: content, status: status, error: error,
                           notice: page.doneNotice())
    }

    func act(_ page: PageVisit, done: String, _ action: (AuditActor) async throws -> Void) async throws -> Response {
        do {
            try await action(try page.requireActor())
            return PageRenderer.redirect("/accounts?done=\(done)")
        } catch let error as RegistryError {
            return try await listPage(page, status: ProblemDetails(error).status, error: UIText.message(for: error, page.language))
        }
    }

    @Sendable func create(_ page: PageVisit) async throws -> Response {
        try await act(page, done: "accountAdded") { actor in
            let form = page.form
            _ = try await registry.staff.add(
                NewStaffAccount(login: form.text("login") ?? "", displayName: form.text("displayName") ?? "",
                                role: form.text("role").flatMap(StaffRole.init(rawValue:)) ?? .staff),
                initialPassword: form["initialPassword"] ?? "", by: actor)
        }
    }

    @Sendable func unlock(_ page: PageVisit) async throws -> Response {
        try await act(page, done: "accountUnlocked") { actor in
            _ = try await registry.staff.unlock(try page.parameter("login"), by: actor)
        }
    }

    @Sendable func setActive(_ page: PageVisit) async throws -> Response {
        try await act(page, done: "accountChanged") { actor in
            guard let active = page.form.yesNo("active") else {
                throw RegistryError.validationFailed([FieldError("active", page.t("answerYesNo"))])
            }
            _ = try await registry.staff.setActive(try page.parameter("login"), active, by: actor)
        }
    }
}
