import Hummingbird
import MultipartKit

/// Refuses every form post of its route group whose `_csrf` field does not match the expected
/// token (OWASP's synchronizer token pattern, or double-submit cookie before sign-in): 403 with
/// the "form expired" page, nothing changed. Safe methods pass untouched.
///
/// The body is read here (up to the context's `maxUploadSize`; `_csrf` is a field of an
/// urlencoded form or a part of a multipart one) and handed on collected, so the
/// route decodes the same bytes with `request.decode(as:context:)`.
struct CSRFMiddleware: RouterMiddleware {
    typealias Context = DatelineRequestContext

    enum Token: Sendable {
        /// The signed-in session's token (``NewsroomIdentity/csrfToken``).
        case session
        /// A random token the form's page also set in this cookie (forms shown before sign-in).
        case cookie(String)
    }

    let token: Token
    let pages: NewsroomPages

    private struct Field: Decodable {
        var _csrf: String?
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard [.post, .put, .patch, .delete].contains(request.method) else { return try await next(request, context) }
        var request = request
        let body = try await request.collectBody(upTo: context.maxUploadSize)
        let sent: String? = if let boundary = FormDecoder.boundary(request.headers[.contentType]) {
            (try? FormDataDecoder().decode(Field.self, from: body, boundary: boundary))?._csrf
        } else {
            (try? URLEncodedFormDecoder().decode(Field.self, from: String(buffer: body)))?._csrf
        }
        let expected: String? = switch token {
        case .session: context.identity?.csrfToken
        case .cookie(let name): request.cookies[name]?.value
        }
        guard let sent, let expected, !expected.isEmpty, SignIn.constantTimeEquals(sent, expected) else {
            return try pages.expiredForm()
        }
        return try await next(request, context)
    }
}
