import Hummingbird

/// Answers every "not found" — an unknown path, or a release that is not public — with the same
/// 404 page, so that a missing release and an unpublished one cannot be told apart.
struct NotFoundMiddleware<Context: RequestContext>: RouterMiddleware {
    let renderer: PageRenderer
    let settings: Settings

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound {
            let page = NotFoundPage(layout: PageLayout(settings: settings, title: "Page not found"))
            return try renderer.page("not-found", page, status: .notFound)
        }
    }
}
