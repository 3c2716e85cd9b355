import Hummingbird
import LoanRegistry

/// `/api/v1/staff` and `/api/v1/security-settings`: account administration (the `admin` role;
/// auditors may read the accounts).
struct StaffRoutes {
    let registry: Registry

    func add(to api: APIGroup) {
        let account = OperationDoc.Answer.json(.staffAccount)
        api.get("staff", .operation(.readAccounts),
                .init("Every staff account", answer: .json(.list(of: .staffAccount, "StaffAccountList"))), use: list)
            .post("staff", .operation(.manageAccounts),
                  .init("Add a staff account with an initial password", body: .newStaffAccount, status: .created,
                        answer: account).linking(OperationDoc.Link.each([
                            (.get, "staff/{login}"), (.post, "staff/{login}/disable"), (.post, "staff/{login}/enable"),
                            (.post, "staff/{login}/unlock"), (.put, "staff/{login}/role"), (.post, "staff/{login}/password-reset"),
                            (.post, "staff/{login}/second-factor-reset"),
                        ], parameter: "login", from: "/login")), use: create)
            .get("staff/:login", .operation(.readAccounts), .init("Read a staff account", answer: account).tagged, use: show)
            .post("staff/:login/disable", .operation(.manageAccounts),
                  .init("Disable an account (its sign-ins end)", body: .noFields, answer: account), use: disable)
            .post("staff/:login/enable", .operation(.manageAccounts), .init("Enable an account", body: .noFields, answer: account), use: enable)
            .post("staff/:login/unlock", .operation(.manageAccounts),
                  .init("Lift a lockout after failed sign-ins", body: .noFields, answer: account), use: unlock)
            .put("staff/:login/role", .operation(.manageAccounts),
                 .init("Change an account's role (If-Match required)", body: .roleChange, answer: account).tagged, use: setRole)
            .post("staff/:login/password-reset", .operation(.manageAccounts),
                  .init("Set a new initial password", body: .passwordReset, answer: account), use: resetPassword)
            .post("staff/:login/second-factor-reset", .operation(.manageAccounts),
                  .init("Remove an account's second factor (lost phone)", body: .noFields, answer: account), use: resetSecondFactor)
            .get("security-settings", .operation(.manageSecuritySettings),
                 .init("The clinic's sign-in rules", answer: .json(.securitySettings)).tagged, use: settings)
            .put("security-settings", .operation(.manageSecuritySettings),
                 .init("Replace the sign-in rules (If-Match required)", body: .securitySettings, answer: .json(.securitySettings)).tagged,
                 use: updateSettings)
    }

    struct NewAccountBody: Decodable {
        let login: String
        let displayName: String
        let role: StaffRole
        /// The owner must change it before the account can do anything.
        let initialPassword: String

    }

    @Sendable func list(_ request: Request, context: RegistryRequestContext) async throws -> JSONBody<Items<StaffAccount>> {
        JSONBody(Items(items: try await registry.staff.list(by: try context.requireActor())))
    }

    @Sendable func create(_ request: Request, context: RegistryRequestContext) async throws -> JSONBody<StaffAccount> {
        let body = try await request.decodeStrictly(NewAccountBody.self, context: context)
        let account = try await registry.staff.add(
            NewStaffAccount(login: body.login, displayName: body.displayName, role: body.role),
            initialPassword: body.initialPassword, by: try context.requireActor())
        return JSONBody(account, status: .created)
    }

    @Sendable func show(_ request: Request, context: RegistryRequestContext) async throws -> Tagged<StaffAccount> {
        Tagged(try await registry.staff.account(try context.parameters.require("login"), by: try context.requireActor()))
    }

    @Sendable func disable(_ request: Request, context: RegistryRequestContext) async throws -> JSONBody<StaffAccount> {
        JSONBody(try await registry.staff.setActive(try context.parameters.require("login"), false, by: try context.requireActor()))
    }

    @Sendable func enable(_ request: Request, context: RegistryRequestContext) async throws -> JSONBody<StaffAccount> {
        JSONBody(try await registry.staff.setActive(try context.parameters.require("login"), true, by: try context.requireActor()))
    }

    @Sendable func unlock(_ request: Request, context: RegistryRequestContext) async throws -> JSONBody<StaffAccount> {
        JSONBody(try await registry.staff.unlock(try context.parameters.require("login"), by: try context.requireActor()))
    }

    struct RoleBody: Decodable {
        let role: StaffRole
    }

    @Sendable func setRole(_ request: Request, context: RegistryRequestContext) async throws -> Tagged<StaffAccount> {
        let body = try await request.decodeStrictly(RoleBody.self, context: context)
        return Tagged(try await registry.staff.setRole(try context.parameters.require("login"), body.role,
                                                       precondition: request.editPrecondition, by: try context.requireActor()))
    }

    struct ResetBody: Decodable {
        let initialPassword: String
    }

    @Sendable func resetPassword(_ request: Request, context: RegistryRequestContext) async throws -> JSONBody<StaffAccount> {
        let body = try await request.decodeStrictly(ResetBody.self, context: context)
        let login = try context.parameters.require("login")
        return JSONBody(try await registry.staff.resetPassword(login, initialPassword: body.initialPassword,
                                                               by: try context.requireActor()))
    }

    @Sendable func resetSecondFactor(_ request: Request, context: RegistryRequestContext) async throws -> JSONBody<StaffAccount> {
        JSONBody(try await registry.staff.resetSecondFactor(login: try context.parameters.require("login"),
                                                            by: try context.requireActor()))
    }

    @Sendable func settings(_ request: Request, context: RegistryRequestContext) async throws -> Tagged<SecuritySettings> {
        Tagged(try await registry.staff.settings(by: try context.requireActor()))
    }

    @Sendable func updateSettings(_ request: Request, context: RegistryRequestContext) async throws -> Tagged<SecuritySettings> {
        let input = try await request.decodeStrictly(SecuritySettings.self, context: context)
        return Tagged(try await registry.staff.updateSettings(input, precondition: request.editPrecondition,
                                                              by: try context.requireActor()))
    }
}
