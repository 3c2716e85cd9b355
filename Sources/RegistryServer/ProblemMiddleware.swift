import Hummingbird
import Logging

/// Turns every error thrown below it into an RFC 9457 problem response.
///
/// Logs only the error's type and the request's method and route pattern — never bodies,
/// query strings or error messages that could carry patient data.
struct ProblemMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            let problem = ProblemDetails(error)
            if problem.status.code >= 500 {
                context.logger.error(
                    "request failed",
                    metadata: ["method": "\(request.method)", "route": "\(context.endpointPath ?? "-")",
                               "error_type": "\(type(of: error))", "code": "\(problem.code)"])
            }
            return try problem.response(from: request, context: context)
        }
    }
}
