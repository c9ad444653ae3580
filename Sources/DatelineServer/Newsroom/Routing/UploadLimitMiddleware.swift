import Hummingbird

/// Raises the body limit of a signed-in group's requests to the largest attachment
/// (`DATELINE_MEDIA_MAX_MB`) plus room for the form's other fields; everywhere else it stays 1 MiB.
struct UploadLimitMiddleware: RouterMiddleware {
    typealias Context = DatelineRequestContext
    let bytes: Int

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        context.uploadLimit = max(context.uploadLimit, bytes)
        return try await next(request, context)
    }
}
