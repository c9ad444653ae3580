import Hummingbird

/// Headers every response carries: no page may be framed by another site (so no button of the
/// newsroom can be clicked through a disguise), content types are not sniffed, and links leak
/// only the origin to other sites.
struct SecurityHeadersMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        response.headers[.init("X-Frame-Options")!] = "DENY"
        response.headers[.contentSecurityPolicy] = "frame-ancestors 'none'"
        response.headers[.init("X-Content-Type-Options")!] = "nosniff"
        if response.headers[.init("Referrer-Policy")!] == nil {
            response.headers[.init("Referrer-Policy")!] = "strict-origin-when-cross-origin"
        }
        return response
    }
}
