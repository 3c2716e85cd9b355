import Hummingbird

/// Applies the configured request-body limit to every request's context.
struct BodyLimitMiddleware: RouterMiddleware {
    let maximumBodySize: Int

    func handle(
        _ request: Request, context: RegistryRequestContext,
        next: (Request, RegistryRequestContext) async throws -> Response
    ) async throws -> Response {
        var context = context
        context.maxUploadSize = maximumBodySize
        return try await next(request, context)
    }
}
