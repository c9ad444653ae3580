import Hummingbird

/// Lets a request into a newsroom route group only with the identity the group needs; handlers
/// behind it never check sign-in themselves.
struct NewsroomGateMiddleware: RouterMiddleware {
    typealias Context = DatelineRequestContext

    enum Requirement: Sendable {
        /// A session that has passed the password, the second factor perhaps still owed (the
        /// two-factor page, sign-out). Without one: to the sign-in page.
        case passwordGiven
        /// Both factors given. Without a session: to sign-in; with the second factor owed: to it.
        case signedIn
        /// An admin with both factors. Anyone else gets the 404 page, as if nothing were there.
        case admin
    }

    let requirement: Requirement

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let identity = context.identity
        switch requirement {
        case .passwordGiven:
            guard identity != nil else { return NewsroomPages.redirect(to: .signIn) }
        case .signedIn:
            guard let identity else { return NewsroomPages.redirect(to: .signIn) }
            guard identity.isFullySignedIn else { return NewsroomPages.redirect(to: .twoFactor) }
        case .admin:
            guard let identity, identity.isFullySignedIn, identity.isAdmin else { throw HTTPError(.notFound) }
        }
        return try await next(request, context)
    }
}
