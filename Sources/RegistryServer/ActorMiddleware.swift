import HTTPTypes
import Hummingbird
import LoanRegistry

/// Names the acting staff member for the audit log from the `X-Staff-Login` header.
///
/// Until staff accounts and bearer tokens arrive, this is declarative, not authentication: the
/// service binds to 127.0.0.1 by default and must sit behind the clinic's own access control.
/// A malformed login is refused with 400 `invalid_staff_login`.
struct ActorMiddleware: RouterMiddleware {
    static let header = HTTPField.Name("X-Staff-Login")

    func handle(
        _ request: Request, context: RegistryRequestContext,
        next: (Request, RegistryRequestContext) async throws -> Response
    ) async throws -> Response {
        var context = context
        if let header = Self.header, let login = request.headers[header] {
            guard (1...64).contains(login.count),
                  login.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "._-@".contains($0)) })
            else {
                throw ProblemDetails(status: .badRequest, code: "invalid_staff_login", title: "Invalid staff login",
                                     detail: "X-Staff-Login must be 1-64 letters, digits or . _ - @")
            }
            context.actor = AuditActor("staff:\(login)")
        }
        return try await next(request, context)
    }
}
