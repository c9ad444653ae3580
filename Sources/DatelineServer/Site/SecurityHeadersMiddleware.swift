import HTTPTypes
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
    static var contentSecurityPolicy: String { SecurityHeaders.contentSecurityPolicy }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        response.headers[SecurityHeaders.frameOptions] = "DENY"
        response.headers[.contentSecurityPolicy] = SecurityHeaders.contentSecurityPolicy
        response.headers[SecurityHeaders.contentTypeOptions] = "nosniff"
        if response.headers[SecurityHeaders.referrerPolicy] == nil {
            response.headers[SecurityHeaders.referrerPolicy] = "strict-origin-when-cross-origin"
        }
        return response
    }
}

/// The values ``SecurityHeadersMiddleware`` sets, made once (every response carries them).
enum SecurityHeaders {
    static let contentSecurityPolicy: String = {
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
    }()

    static let frameOptions = HTTPField.Name("X-Frame-Options")!
    static let contentTypeOptions = HTTPField.Name("X-Content-Type-Options")!
    static let referrerPolicy = HTTPField.Name("Referrer-Policy")!
}
