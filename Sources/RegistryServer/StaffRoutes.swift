import Hummingbird
import LoanRegistry

/// `/api/v1/staff` and `/api/v1/security-settings`: account administration (the `admin` role;
/// auditors may read the accounts).
struct StaffRoutes {
    let registry: Registry

    func add(to api: APIGroup) {
        api.get("staff", .operation(.readAccounts), use: list)
            .post("staff", .operation(.manageAccounts), use: create)
            .get("staff/:login", .operation(.readAccounts), use: show)
            .post("staff/:login/disable", .operation(.manageAccounts), use: disable)
            .post("staff/:login/enable", .operation(.manageAccounts), use: enable)
            .post("staff/:login/unlock", .operation(.manageAccounts), use: unlock)
            .put("staff/:login/role", .operation(.manageAccounts), use: setRole)
            .post("staff/:login/password-reset", .operation(.manageAccounts), use: resetPassword)
            .post("staff/:login/second-factor-reset", .operation(.manageAccounts), use: resetSecondFactor)
            .get("security-settings", .operation(.manageSecuritySettings), use: settings)
            .put("security-settings", .operation(.manageSecuritySettings), use: updateSettings)
    }

    struct NewAccountBody: Decodable {
        let login: String
        let displayName: String
        let role: StaffRole
        /// The owner must change it before the account can do anything.
        let initialPassword: String

        static let schema = FieldSchema(NewStaffAccount.fieldNames.union(["initialPassword"]))
    }

    @Sendable func list(_ request: Request, context: RegistryRequestContext) async throws -> JSONBody<Items<StaffAccount>> {
        JSONBody(Items(items: try await registry.staff.list(by: try context.requireActor())))
    }

    @Sendable func create(_ request: Request, context: RegistryRequestContext) async throws -> JSONBody<StaffAccount> {
        let body = try await request.decodeStrictly(NewAccountBody.self, schema: NewAccountBody.schema, context: context)
        let account = try await registry.staff.add(
            NewStaffAccount(login: body.login, displayName: body.displayName, role: body.role),
            initialPassword: body.initialPassword, by: try context.requireActor())
        return JSONBody(account, status: .created)
    }

    @Sendable func show(_ request: Request, context: RegistryRequestContext) async throws -> JSONBody<StaffAccount> {
        JSONBody(try await registry.staff.account(try context.parameters.require("login"), by: try context.requireActor()))
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
        static let schema = FieldSchema(["role"])
    }

    @Sendable func setRole(_ request: Request, context: RegistryRequestContext) async throws -> JSONBody<StaffAccount> {
        let body = try await request.decodeStrictly(RoleBody.self, schema: RoleBody.schema, context: context)
        return JSONBody(try await registry.staff.setRole(try context.parameters.require("login"), body.role,
                                                         by: try context.requireActor()))
    }

    struct ResetBody: Decodable {
        let initialPassword: String
        static let schema = FieldSchema(["initialPassword"])
    }

    @Sendable func resetPassword(_ request: Request, context: RegistryRequestContext) async throws -> JSONBody<StaffAccount> {
        let body = try await request.decodeStrictly(ResetBody.self, schema: ResetBody.schema, context: context)
        let login = try context.parameters.require("login")
        return JSONBody(try await registry.staff.resetPassword(login, initialPassword: body.initialPassword,
                                                               by: try context.requireActor()))
    }

    @Sendable func resetSecondFactor(_ request: Request, context: RegistryRequestContext) async throws -> JSONBody<StaffAccount> {
        JSONBody(try await registry.staff.resetSecondFactor(login: try context.parameters.require("login"),
                                                            by: try context.requireActor()))
    }

    @Sendable func settings(_ request: Request, context: RegistryRequestContext) async throws -> JSONBody<SecuritySettings> {
        JSONBody(try await registry.staff.settings(by: try context.requireActor()))
    }

    @Sendable func updateSettings(_ request: Request, context: RegistryRequestContext) async throws -> JSONBody<SecuritySettings> {
        let input = try await request.decodeStrictly(SecuritySettings.self, schema: FieldSchema(SecuritySettings.fieldNames),
                                                     context: context)
        return JSONBody(try await registry.staff.updateSettings(input, by: try context.requireActor()))
    }
}
