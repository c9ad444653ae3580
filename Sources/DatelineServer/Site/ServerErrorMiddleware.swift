import Hummingbird
import Logging
import NIOHTTP1

/// Turns every error a route throws into a response here, inside ``SecurityHeadersMiddleware``,
/// so that error answers carry the security headers too:
/// - an HTTP error (`HTTPResponseError`: a 400, a 413 …) answers as Hummingbird would;
/// - any other error is unexpected: it is logged at `error` level with the request's method
///   and route pattern (not its path or query, which may hold a token), and answers the site's 500 page
///   (`server-error.mustache`), or a plain page when even that cannot be rendered. The error
///   itself is never shown to the client.
struct ServerErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    let renderer: PageRenderer
    let settings: Settings

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as any HTTPResponseError {
            return try error.response(from: request, context: context)
        } catch let error as HTTPParserError {
            // The client broke off or garbled its request (a body cut short, a closed
            // connection): its trouble, not the site's, and no reason to fill the error log.
            context.logger.debug("Request \(request.method) \(Self.route(context)) ended by the client: \(error)")
            return Response(status: .badRequest)
        } catch {
            context.logger.error("Unexpected error answering \(request.method) \(Self.route(context)): \(String(reflecting: error))")
            return serverErrorPage()
        }
    }

    /// The matched route's pattern (`/embargoed/{token}`), never the path itself: some paths
    /// carry a secret (an embargo link's token, a password reset's).
    static func route(_ context: Context) -> String {
        context.endpointPath ?? "(no route)"
    }

    private func serverErrorPage() -> Response {
        let layout = PageLayout(settings: settings, title: "Something went wrong")
        layout.showSignUp = false
        let rendered = try? renderer.page("server-error", ServerErrorPage(layout: layout), status: .internalServerError)
        var response = rendered ?? Response(
            status: .internalServerError,
            headers: [.contentType: PageRenderer.htmlType],
            body: ResponseBody(byteBuffer: ByteBuffer(string: Self.plainPage))
        )
        response.headers[.cacheControl] = "no-store"
        return response
    }

    /// The answer when the templates themselves fail.
    static var plainPage: String {
        """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><title>Something went wrong</title>
        <link rel="stylesheet" href="\(SiteURL.stylesheet.path)"></head>
        <body><main id="main" class="wrap"><h1 class="page-title">Something went wrong</h1>
        <p>The site could not answer this request. The problem has been logged; please try again in a moment.</p>
        <p><a href="\(SiteURL.home().path)">See the latest releases</a></p></main></body></html>
        """
    }
}

/// The 500 page's context.
struct ServerErrorPage {
    var layout: PageLayout
}
