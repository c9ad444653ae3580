import Hummingbird

/// Answers HEAD as HTTP requires (RFC 9110 §9.3.2): the routes registered by
/// ``Router/getAndHead(_:use:)`` answer it with their GET handler, and this middleware keeps the
/// response's status and headers but drops its body.
struct HeadRequestMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard request.method == .head else { return try await next(request, context) }
        var response = try await next(request, context)
        let length = response.body.contentLength
        // The body first: setting it sets Content-Length to the new (empty) body's.
        response.body = ResponseBody()
        if let length {
            response.headers[.contentLength] = String(length)
        }
        return response
    }
}

extension Router {
    /// Registers `handler` for GET and for HEAD on `path`.
    func getAndHead(_ path: RouterPath, use handler: @escaping @Sendable (Request, Context) async throws -> Response) {
        on(path, method: .get, use: handler)
        on(path, method: .head, use: handler)
    }
}
