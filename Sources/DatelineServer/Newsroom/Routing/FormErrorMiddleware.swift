import Hummingbird
import NIOCore

/// Answers a newsroom form that could not be read (a field missing or malformed, as
/// `request.decode(as:context:)` reports it with a 400, or a body over the size limit, 413)
/// with the newsroom's message page saying so, instead of Hummingbird's JSON error.
struct FormErrorMiddleware: RouterMiddleware {
    typealias Context = DatelineRequestContext
    let pages: NewsroomPages

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .badRequest {
            return try pages.message("Check the form", "The form could not be read (\(error.body ?? "a field is missing")). Go back, reload the page, and send it again.", status: .badRequest)
        } catch let error as HTTPError where error.status == .contentTooLarge {
            return try tooLarge(context)
        } catch is NIOTooManyBytesError {
            return try tooLarge(context)
        }
    }

    private func tooLarge(_ context: Context) throws -> Response {
        let megabytes = context.maxUploadSize / 1_048_576
        return try pages.message("Too large to send", "The form is larger than the newsroom accepts (\(megabytes) MB). Shorten the text, or send a smaller file, and send it again.", status: .contentTooLarge)
    }
}
