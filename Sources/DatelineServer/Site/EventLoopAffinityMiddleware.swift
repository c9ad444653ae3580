import Hummingbird

/// Runs the public read routes (those ``PageCacheRoute`` names) on their connection's event
/// loop instead of Swift's shared thread pool: the database's replies arrive on that loop
/// (``DatabaseHub/database`` picks the current loop's connections), so each await resumes on the
/// thread that already holds the request, without waking another.
///
/// Only reads that never block: the newsroom's password hashing and uploads keep running on the
/// shared pool, where they cannot hold up a loop's other connections.
struct EventLoopAffinityMiddleware: RouterMiddleware {
    typealias Context = DatelineRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard PageCacheRoute.of(request.uri) != nil else { return try await next(request, context) }
        return try await withTaskExecutorPreference(EventLoopTaskExecutor(context.eventLoop)) {
            try await next(request, context)
        }
    }
}
