import Hummingbird

/// Headers every response carries: no page may be framed by another site (so no button of the
/// newsroom can be clicked through a disguise), content types are not sniffed, links leak only
/// the origin to other sites, and a Content-Security-Policy (CSP Level 3) that runs no script at
/// all.
struct SecurityHeadersMiddleware<Context: RequestContext>: RouterMiddleware {
    /// The site's policy. Dateline runs no script, so `script-src 'none'`: an injected `<script>`
    /// or event handler does nothing even if escaping ever failed. The JSON-LD block
    /// (`<script type="application/ld+json">`) is a data block, which browsers never execute, so
    /// the policy does not touch it. Styles come only from the site's own stylesheet (no inline
    /// `style`), forms post only to the site, `<base>` and plugins are refused, and no other site
    /// may frame a page.
    static var contentSecurityPolicy: String {
        [
            "default-src 'self'",
            "script-src 'none'",
            "style-src 'self'",
            "img-src 'self'",
            "form-action 'self'",
            "base-uri 'none'",
            "object-src 'none'",
            "frame-ancestors 'none'",
        ].joined(separator: "; ")
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        response.headers[.init("X-Frame-Options")!] = "DENY"
        response.headers[.contentSecurityPolicy] = Self.contentSecurityPolicy
        response.headers[.init("X-Content-Type-Options")!] = "nosniff"
        if response.headers[.init("Referrer-Policy")!] == nil {
            response.headers[.init("Referrer-Policy")!] = "strict-origin-when-cross-origin"
        }
        return response
    }
}
