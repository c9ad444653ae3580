import DatelineCore
import ExtrasBase64
import FluentKit
import Foundation
import Hummingbird

/// The newsroom's front door: sign-in (password, throttled), the TOTP second factor (required
/// for admins and editors, and for anyone who turned it on), the dashboard, and sign-out.
/// Every form carries a CSRF token: the session's for signed-in forms, and a double-submit
/// cookie for the sign-in form itself.
struct NewsroomController {
    let hub: DatabaseHub
    let settings: Settings
    let renderer: PageRenderer
    let clock: @Sendable () -> Date

    static let sessionCookie = "dateline_session"
    static let signInCSRFCookie = "dateline_signin_csrf"
    /// Marks a known device (see ``SignIn``): sent only to the newsroom, never to scripts.
    static let deviceCookie = "dateline_device"

    enum Path {
        static let home: RouterPath = "/newsroom"
        static let signIn: RouterPath = "/newsroom/sign-in"
        static let twoFactor: RouterPath = "/newsroom/two-factor"
        static let signOut: RouterPath = "/newsroom/sign-out"
        static let recoveryCodes: RouterPath = "/newsroom/recovery-codes"
        static let timeZone: RouterPath = "/newsroom/time-zone"
    }

    func addRoutes(to router: Router<DatelineRequestContext>) {
        router.get(Path.signIn, use: signInForm)
        router.post(Path.signIn, use: signIn)
        router.get(Path.twoFactor, use: twoFactorForm)
        router.post(Path.twoFactor, use: twoFactor)
        router.get(Path.home, use: home)
        router.post(Path.signOut, use: signOut)
        router.post(Path.recoveryCodes, use: newRecoveryCodes)
        router.post(Path.timeZone, use: setTimeZone)
    }

    private var signInService: SignIn { SignIn(hub: hub, clock: clock) }
    private var secureCookies: Bool { settings.baseURL.scheme == "https" }

    // MARK: Pages

    struct SignInPage {
        var layout: PageLayout
        var csrf: String
        var email: String
        var error: String?
        var action = "/newsroom/sign-in"
    }

    struct TwoFactorPage {
        var layout: PageLayout
        var csrf: String
        var enrolling: Bool
        var secret: String?
        var authenticatorURL: String?
        /// The authenticator URL as a QR code (inline SVG, ``QRCode``).
        var qrSVG: String? = nil
        var error: String?
        var action = "/newsroom/two-factor"
    }

    /// Recovery codes, shown once: at the end of enrolment, or when the user asks for new ones.
    struct RecoveryCodesPage {
        var layout: PageLayout
        var codes: [String]
        var isEnrolment: Bool
    }

    struct HomePage {
        var layout: PageLayout
        var csrf: String
        var name: String
        var email: String
        var role: String
        var organizations: [String]
        var hasOrganizations: Bool
        var isAdmin: Bool
        var twoFactorOn: Bool
        /// Unused recovery codes, when two-factor sign-in is on.
        var recoveryCodesLeft: Int? = nil
        var recoveryCodesAction = "/newsroom/recovery-codes"
        /// The zones, the user's own chosen (UTC until they choose).
        var zones: [NewsroomReleasesController.Option] = []
        var timeZoneAction = "/newsroom/time-zone"
        var signOutAction = "/newsroom/sign-out"
    }

    private var pages: NewsroomPages { NewsroomPages(settings: settings, renderer: renderer) }
    private func layout(_ title: String) -> PageLayout { pages.layout(title) }

    @Sendable func signInForm(request: Request, context: DatelineRequestContext) async throws -> Response {
        try signInPage(email: "", error: nil, status: .ok)
    }

    private func signInPage(email: String, error: String?, status: HTTPResponse.Status) throws -> Response {
        let csrf = SignIn.randomToken()
        var response = try renderer.page("sign-in", SignInPage(layout: layout(error == nil ? "Sign in" : "Error: sign in"), csrf: csrf, email: email, error: error), status: status)
        response.setCookie(Cookie(name: Self.signInCSRFCookie, value: csrf, path: "/newsroom", secure: secureCookies, httpOnly: true, sameSite: .strict))
        response.headers[.cacheControl] = "no-store"
        return response
    }

    struct SignInForm: Decodable {
        var email: String
        var password: String
        var _csrf: String
    }

    @Sendable func signIn(request: Request, context: DatelineRequestContext) async throws -> Response {
        let form = try await Self.decodeForm(SignInForm.self, request: request)
        guard let form, let cookie = request.cookies[Self.signInCSRFCookie]?.value, SignIn.constantTimeEquals(cookie, form._csrf) else {
            return try forbidden()
        }
        switch try await signInService.attempt(email: form.email, password: form.password, client: context.clientAddress, deviceCookie: request.cookies[Self.deviceCookie]?.value) {
        case .throttled:
            return try signInPage(email: form.email, error: "Too many failed sign-ins. Wait \(Int(SignIn.throttleWindow / 60)) minutes, then try again; if you forgot your password, ask an administrator.", status: .tooManyRequests)
        case .refused:
            return try signInPage(email: form.email, error: "That email address and password do not match. Check both and try again.", status: .unauthorized)
        case .signedIn(let token, let needsSecondFactor, let deviceToken):
            var response = Response(status: .seeOther, headers: [.location: needsSecondFactor ? "/newsroom/two-factor" : "/newsroom"])
            response.setCookie(Cookie(name: Self.sessionCookie, value: token, maxAge: Int(SignIn.sessionLifetime), path: "/", secure: secureCookies, httpOnly: true, sameSite: .lax))
            response.setCookie(Cookie(name: Self.signInCSRFCookie, value: "", maxAge: 0, path: "/newsroom", secure: secureCookies, httpOnly: true, sameSite: .strict))
            setDeviceCookie(deviceToken, on: &response)
            return response
        }
    }

    private func setDeviceCookie(_ token: String?, on response: inout Response) {
        guard let token else { return }
        response.setCookie(Cookie(name: Self.deviceCookie, value: token, maxAge: Int(SignIn.deviceLifetime), path: "/newsroom", secure: secureCookies, httpOnly: true, sameSite: .strict))
    }

    @Sendable func twoFactorForm(request: Request, context: DatelineRequestContext) async throws -> Response {
        guard let session = try await currentSession(request) else { return redirectToSignIn() }
        return try await twoFactorPage(session: session, error: nil, status: .ok)
    }

    private func twoFactorPage(session: SessionModel, error: String?, status: HTTPResponse.Status) async throws -> Response {
        let user = session.user
        let enrolling = !user.totpEnabled
        if enrolling && user.totpSecret == nil {
            user.totpSecret = SignIn.newTOTPSecret()
            try await hub.write { try await user.save(on: $0) }
        }
        let secret = enrolling ? user.totpSecret : nil
        var page = TwoFactorPage(
            layout: layout(error == nil ? "Two-factor sign-in" : "Error: two-factor sign-in"),
            csrf: session.csrfToken,
            enrolling: enrolling,
            secret: secret.map { String(base32Encoding: Array($0.utf8)) },
            authenticatorURL: secret.map { "otpauth://totp/\(settings.siteName):\(user.email)?secret=\(String(base32Encoding: Array($0.utf8)))&issuer=\(settings.siteName)".addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed) ?? "" },
            error: error
        )
        page.qrSVG = page.authenticatorURL.flatMap { QRCode.svg($0, label: "QR code of the key, for an authenticator app") }
        var response = try renderer.page("two-factor", page, status: status)
        response.headers[.cacheControl] = "no-store"
        return response
    }

    struct CodeForm: Decodable {
        var code: String
        var _csrf: String
    }

    @Sendable func twoFactor(request: Request, context: DatelineRequestContext) async throws -> Response {
        guard let session = try await currentSession(request) else { return redirectToSignIn() }
        guard let form = try await Self.decodeForm(CodeForm.self, request: request), SignIn.constantTimeEquals(form._csrf, session.csrfToken) else {
            return try forbidden()
        }
        switch try await signInService.checkCode(form.code, session: session, client: context.clientAddress, deviceCookie: request.cookies[Self.deviceCookie]?.value) {
        case .exhausted:
            var response = try pages.message("Too many wrong codes", "For your safety you have been signed out. Sign in again in a few minutes.", status: .tooManyRequests)
            response.setCookie(Cookie(name: Self.sessionCookie, value: "", maxAge: 0, path: "/", secure: secureCookies, httpOnly: true, sameSite: .lax))
            return response
        case .wrong:
            return try await twoFactorPage(session: session, error: "That code is not right. Type the six digits your authenticator app shows now.", status: .unauthorized)
        case .accepted(let token, let deviceToken, let recoveryCodes, _):
            var response = try recoveryCodes.map { try recoveryCodesPage($0, isEnrolment: true) } ?? Response(status: .seeOther, headers: [.location: "/newsroom"])
            response.setCookie(Cookie(name: Self.sessionCookie, value: token, maxAge: Int(SignIn.sessionLifetime), path: "/", secure: secureCookies, httpOnly: true, sameSite: .lax))
            setDeviceCookie(deviceToken, on: &response)
            return response
        }
    }

    @Sendable func home(request: Request, context: DatelineRequestContext) async throws -> Response {
        guard let session = try await currentSession(request) else { return redirectToSignIn() }
        guard session.secondFactorPassed else { return Response(status: .seeOther, headers: [.location: "/newsroom/two-factor"]) }
        let user = session.user
        let organizations = try await user.$organizations.get(on: hub.database).map(\.name).sorted()
        var response = try renderer.page("newsroom", HomePage(
            layout: layout("Newsroom"), csrf: session.csrfToken, name: user.name, email: user.email,
            role: user.role, organizations: organizations, hasOrganizations: !organizations.isEmpty,
            isAdmin: user.userRole == .admin, twoFactorOn: user.totpEnabled,
            recoveryCodesLeft: user.totpEnabled ? try await RecoveryCodes.remaining(for: try user.requireID(), on: hub.database) : nil,
            zones: NewsroomFormChoices.zones(selected: user.timeZone ?? "UTC")
        ))
        response.headers[.cacheControl] = "no-store"
        return response
    }

    struct TokenForm: Decodable {
        var _csrf: String
    }

    private func recoveryCodesPage(_ codes: [String], isEnrolment: Bool) throws -> Response {
        var response = try renderer.page("recovery-codes", RecoveryCodesPage(layout: layout("Recovery codes"), codes: codes, isEnrolment: isEnrolment))
        response.headers[.cacheControl] = "no-store"
        return response
    }

    /// New recovery codes for a signed-in user with two-factor sign-in on; the earlier ones stop working.
    @Sendable func newRecoveryCodes(request: Request, context: DatelineRequestContext) async throws -> Response {
        guard let session = try await currentSession(request) else { return redirectToSignIn() }
        guard session.secondFactorPassed, session.user.totpEnabled else { return Response(status: .seeOther, headers: [.location: "/newsroom/two-factor"]) }
        guard let form = try await Self.decodeForm(TokenForm.self, request: request), SignIn.constantTimeEquals(form._csrf, session.csrfToken) else {
            return try forbidden()
        }
        let user = session.user
        let userID = try user.requireID()
        let codes = try await hub.write { [clock] database in try await RecoveryCodes.issue(for: userID, actor: user.email, at: clock(), on: database) }
        return try recoveryCodesPage(codes, isEnrolment: false)
    }

    struct TimeZoneForm: Decodable {
        var _csrf: String
        var zone: String
    }

    /// Saves the zone the user reads newsroom times in (an IANA name).
    @Sendable func setTimeZone(request: Request, context: DatelineRequestContext) async throws -> Response {
        guard let session = try await currentSession(request) else { return redirectToSignIn() }
        guard session.secondFactorPassed else { return Response(status: .seeOther, headers: [.location: "/newsroom/two-factor"]) }
        guard let form = try await Self.decodeForm(TimeZoneForm.self, request: request), SignIn.constantTimeEquals(form._csrf, session.csrfToken) else {
            return try forbidden()
        }
        guard NewsroomFormChoices.zone(named: form.zone) != nil else {
            return try pages.message("Choose a time zone", "'\(form.zone.prefix(64))' is not a time zone; choose one from the list.", status: .badRequest)
        }
        let user = session.user
        user.timeZone = form.zone
        try await hub.write { try await user.save(on: $0) }
        return Response(status: .seeOther, headers: [.location: "/newsroom"])
    }

    @Sendable func signOut(request: Request, context: DatelineRequestContext) async throws -> Response {
        guard let session = try await currentSession(request) else { return redirectToSignIn() }
        guard let form = try await Self.decodeForm(TokenForm.self, request: request), SignIn.constantTimeEquals(form._csrf, session.csrfToken) else {
            return try forbidden()
        }
        try await signInService.signOut(session)
        var response = Response(status: .seeOther, headers: [.location: "/"])
        response.setCookie(Cookie(name: Self.sessionCookie, value: "", maxAge: 0, path: "/", secure: secureCookies, httpOnly: true, sameSite: .lax))
        return response
    }

    // MARK: Helpers

    /// The session of an admin who has passed the second factor, or nil: administration
    /// pages then answer 404, as if they did not exist.
    func adminSession(_ request: Request) async throws -> SessionModel? {
        guard let session = try await currentSession(request), session.secondFactorPassed, session.user.userRole == .admin else { return nil }
        return session
    }

    func currentSession(_ request: Request) async throws -> SessionModel? {
        guard let token = request.cookies[Self.sessionCookie]?.value, !token.isEmpty else { return nil }
        return try await signInService.session(token: token)
    }

    private func redirectToSignIn() -> Response {
        Response(status: .seeOther, headers: [.location: "/newsroom/sign-in"])
    }

    private func forbidden() throws -> Response { try pages.expiredForm() }

    /// Reads an `application/x-www-form-urlencoded` body (at most 64 KiB); `nil` when it does not decode.
    static func decodeForm<T: Decodable>(_ type: T.Type, request: Request) async throws -> T? {
        var request = request
        let body = try await request.collectBody(upTo: 64 * 1024)
        return try? URLEncodedFormDecoder().decode(type, from: String(buffer: body))
    }
}
