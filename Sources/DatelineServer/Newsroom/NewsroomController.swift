import DatelineCore
import ExtrasBase64
import FluentKit
import Foundation
import Hummingbird

/// The newsroom's front door: sign-in (password, throttled), the TOTP second factor (required
/// for admins and editors, and for anyone who turned it on), the dashboard, and sign-out.
/// ``NewsroomRoutes`` puts each route in its group: sign-in before any session (its form
/// carries a double-submit cookie), two-factor and sign-out behind a password-given session,
/// the rest behind a full sign-in.
struct NewsroomController {
    let hub: DatabaseHub
    let settings: Settings
    let renderer: PageRenderer
    let clock: @Sendable () -> Date

    static let signInCSRFCookie = "dateline_signin_csrf"
    /// Marks a known device (see ``SignIn``): sent only to the newsroom, never to scripts.
    static let deviceCookie = "dateline_device"

    /// The sign-in form, for the group without a session.
    func addSignInRoutes(to group: RouterGroup<DatelineRequestContext>) {
        group.get(NewsroomURL.Pattern.signIn, use: signInForm)
        group.post(NewsroomURL.Pattern.signIn, use: signIn)
    }

    /// The second factor and sign-out, for the group of sessions that passed the password.
    func addSecondFactorRoutes(to group: RouterGroup<DatelineRequestContext>) {
        group.get(NewsroomURL.Pattern.twoFactor, use: twoFactorForm)
        group.post(NewsroomURL.Pattern.twoFactor, use: twoFactor)
        group.post(NewsroomURL.Pattern.signOut, use: signOut)
    }

    /// The dashboard and the user's own settings, for the signed-in group.
    func addRoutes(to group: RouterGroup<DatelineRequestContext>) {
        group.get(NewsroomURL.Pattern.home, use: home)
        group.post(NewsroomURL.Pattern.recoveryCodes, use: newRecoveryCodes)
        group.post(NewsroomURL.Pattern.timeZone, use: setTimeZone)
    }

    private var signInService: SignIn { SignIn(hub: hub, clock: clock) }
    private var secureCookies: Bool { settings.baseURL.scheme == "https" }
    private var pages: NewsroomPages { NewsroomPages(settings: settings, renderer: renderer) }

    // MARK: Sign-in

    @Sendable func signInForm(request: Request, context: DatelineRequestContext) async throws -> Response {
        try signInPage(email: "", error: nil, status: .ok)
    }

    private func signInPage(email: String, error: String?, status: HTTPResponse.Status) throws -> Response {
        let csrf = SignIn.randomToken()
        var response = try pages.page("sign-in", SignInPage(layout: pages.layout(error == nil ? "Sign in" : "Error: sign in"), csrf: csrf, email: email, error: error), status: status)
        response.setCookie(Cookie(name: Self.signInCSRFCookie, value: csrf, path: NewsroomURL.cookiePath, secure: secureCookies, httpOnly: true, sameSite: .strict))
        return response
    }

    struct SignInForm: Decodable {
        var email: String
        var password: String
    }

    @Sendable func signIn(request: Request, context: DatelineRequestContext) async throws -> Response {
        let form = try await request.decode(as: SignInForm.self, context: context)
        switch try await signInService.attempt(email: form.email, password: form.password, client: context.clientAddress, deviceCookie: request.cookies[Self.deviceCookie]?.value) {
        case .throttled:
            return try signInPage(email: form.email, error: "Too many failed sign-ins. Wait \(Int(SignIn.throttleWindow / 60)) minutes, then try again; if you forgot your password, ask an administrator.", status: .tooManyRequests)
        case .refused:
            return try signInPage(email: form.email, error: "That email address and password do not match. Check both and try again.", status: .unauthorized)
        case .signedIn(let token, let needsSecondFactor, let deviceToken):
            var response = NewsroomPages.redirect(to: needsSecondFactor ? .twoFactor : .home)
            setSessionCookie(token, on: &response)
            response.setCookie(Cookie(name: Self.signInCSRFCookie, value: "", maxAge: 0, path: NewsroomURL.cookiePath, secure: secureCookies, httpOnly: true, sameSite: .strict))
            setDeviceCookie(deviceToken, on: &response)
            return response
        }
    }

    /// Sets the session cookie to `token`, or clears it when `token` is nil.
    private func setSessionCookie(_ token: String?, on response: inout Response) {
        response.setCookie(Cookie(name: NewsroomSessionMiddleware.cookie, value: token ?? "", maxAge: token == nil ? 0 : Int(SignIn.sessionLifetime), path: "/", secure: secureCookies, httpOnly: true, sameSite: .lax))
    }

    private func setDeviceCookie(_ token: String?, on response: inout Response) {
        guard let token else { return }
        response.setCookie(Cookie(name: Self.deviceCookie, value: token, maxAge: Int(SignIn.deviceLifetime), path: NewsroomURL.cookiePath, secure: secureCookies, httpOnly: true, sameSite: .strict))
    }

    // MARK: Second factor

    @Sendable func twoFactorForm(request: Request, context: DatelineRequestContext) async throws -> Response {
        try await twoFactorPage(identity: try context.signedIn(), error: nil, status: .ok)
    }

    private func twoFactorPage(identity: NewsroomIdentity, error: String?, status: HTTPResponse.Status) async throws -> Response {
        let user = identity.user
        let enrolling = !user.totpEnabled
        if enrolling && user.totpSecret == nil {
            user.totpSecret = SignIn.newTOTPSecret()
            try await hub.write { try await user.save(on: $0) }
        }
        let secret = enrolling ? user.totpSecret.map { String(base32Encoding: Array($0.utf8)) } : nil
        var page = TwoFactorPage(
            layout: pages.layout(error == nil ? "Two-factor sign-in" : "Error: two-factor sign-in"),
            csrf: identity.csrfToken,
            enrolling: enrolling,
            secret: secret,
            authenticatorURL: secret.map { "otpauth://totp/\(settings.siteName):\(user.email)?secret=\($0)&issuer=\(settings.siteName)".addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed) ?? "" },
            error: error
        )
        page.qrSVG = page.authenticatorURL.flatMap { QRCode.svg($0, label: "QR code of the key, for an authenticator app") }
        return try pages.page("two-factor", page, status: status)
    }

    struct CodeForm: Decodable {
        var code: String
    }

    @Sendable func twoFactor(request: Request, context: DatelineRequestContext) async throws -> Response {
        let identity = try context.signedIn()
        let form = try await request.decode(as: CodeForm.self, context: context)
        switch try await signInService.checkCode(form.code, session: identity.session, client: context.clientAddress, deviceCookie: request.cookies[Self.deviceCookie]?.value) {
        case .exhausted:
            var response = try pages.message("Too many wrong codes", "For your safety you have been signed out. Sign in again in a few minutes.", status: .tooManyRequests)
            setSessionCookie(nil, on: &response)
            return response
        case .wrong:
            return try await twoFactorPage(identity: identity, error: "That code is not right. Type the six digits your authenticator app shows now.", status: .unauthorized)
        case .accepted(let token, let deviceToken, let recoveryCodes, _):
            var response = try recoveryCodes.map { try recoveryCodesPage($0, isEnrolment: true) } ?? NewsroomPages.redirect(to: .home)
            setSessionCookie(token, on: &response)
            setDeviceCookie(deviceToken, on: &response)
            return response
        }
    }

    @Sendable func signOut(request: Request, context: DatelineRequestContext) async throws -> Response {
        try await signInService.signOut(try context.signedIn().session)
        var response = Response(status: .seeOther, headers: [.location: SiteURL.home().path])
        setSessionCookie(nil, on: &response)
        return response
    }

    // MARK: Signed in

    @Sendable func home(request: Request, context: DatelineRequestContext) async throws -> Response {
        let identity = try context.signedIn()
        let user = identity.user
        let organizations = try await user.$organizations.get(on: hub.database).map(\.name).sorted()
        return try pages.page("newsroom", NewsroomHomePage(
            layout: pages.layout("Newsroom"), csrf: identity.csrfToken, name: user.name, email: user.email,
            role: user.role, organizations: organizations, hasOrganizations: !organizations.isEmpty,
            isAdmin: identity.isAdmin, twoFactorOn: user.totpEnabled,
            recoveryCodesLeft: user.totpEnabled ? try await RecoveryCodes.remaining(for: try user.requireID(), on: hub.database) : nil,
            zones: NewsroomFormChoices.zones(selected: user.timeZone ?? "UTC")
        ))
    }

    private func recoveryCodesPage(_ codes: [String], isEnrolment: Bool) throws -> Response {
        try pages.page("recovery-codes", RecoveryCodesPage(layout: pages.layout("Recovery codes"), codes: codes, isEnrolment: isEnrolment))
    }

    /// New recovery codes for a signed-in user with two-factor sign-in on; the earlier ones stop working.
    @Sendable func newRecoveryCodes(request: Request, context: DatelineRequestContext) async throws -> Response {
        let user = try context.signedIn().user
        guard user.totpEnabled else { return NewsroomPages.redirect(to: .twoFactor) }
        let userID = try user.requireID()
        let codes = try await hub.write { [clock] database in try await RecoveryCodes.issue(for: userID, actor: user.email, at: clock(), on: database) }
        return try recoveryCodesPage(codes, isEnrolment: false)
    }

    struct TimeZoneForm: Decodable {
        var zone: String
    }

    /// Saves the zone the user reads newsroom times in (an IANA name).
    @Sendable func setTimeZone(request: Request, context: DatelineRequestContext) async throws -> Response {
        let user = try context.signedIn().user
        let form = try await request.decode(as: TimeZoneForm.self, context: context)
        guard NewsroomFormChoices.zone(named: form.zone) != nil else {
            return try pages.message("Choose a time zone", "'\(form.zone.prefix(64))' is not a time zone; choose one from the list.", status: .badRequest)
        }
        user.timeZone = form.zone
        try await hub.write { try await user.save(on: $0) }
        return NewsroomPages.redirect(to: .home)
    }
}
