import Hummingbird

/// Reads the session cookie once per newsroom request and puts the session and its user in
/// ``DatelineRequestContext/identity``. A missing, unknown or expired token leaves it nil; what
/// that means for the route is the ``NewsroomGateMiddleware``'s to decide.
///
/// Our own rather than hummingbird-auth's `SessionMiddleware`: sessions are rows that store only
/// a hash of the token, with the CSRF token and the second-factor state (see ``SignIn``).
struct NewsroomSessionMiddleware: RouterMiddleware {
    typealias Context = DatelineRequestContext
    let signIn: SignIn

    static let cookie = "dateline_session"

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let token = request.cookies[Self.cookie]?.value, !token.isEmpty, token.utf8.count < 200,
              let session = try await signIn.session(token: token)
        else { return try await next(request, context) }
        var context = context
        context.identity = NewsroomIdentity(session: session)
        return try await next(request, context)
    }
}
