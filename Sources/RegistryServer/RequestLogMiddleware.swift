import Hummingbird
import Logging

/// Logs one line per request: method, route pattern (`/api/v1/patients/{id}`) and status.
///
/// Replaces Hummingbird's `LogRequestsMiddleware`, which logs the concrete path: a path may hold
/// a patient number (`/patients/P-000123`), and patient data never goes to a log.
struct RequestLogMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let response = try await next(request, context)
        context.logger.info(
            "request",
            metadata: ["method": "\(request.method)", "route": "\(context.endpointPath ?? "unmatched")",
                       "status": "\(response.status.code)"])
        return response
    }
}
