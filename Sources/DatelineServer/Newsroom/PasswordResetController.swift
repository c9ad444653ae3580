import DatelineCore
import FluentKit
import Foundation
import Hummingbird
import HummingbirdBcrypt
import SQLKit

/// "Forgot your password?": an emailed link that works once, for an hour. The request page
/// answers the same whether or not the address has an account, so it reveals none; using a link
/// signs every session of the account out.
struct PasswordResetController {
    let hub: DatabaseHub
    let settings: Settings
    let renderer: PageRenderer
    let mailer: any Mailer
    let clock: @Sendable () -> Date

    /// How long a reset link works.
    static let lifetime: TimeInterval = 3600
    /// Reset mails per address per hour, so nobody can flood a stranger's inbox.
    static let perAddressPerHour = 3
    static let csrfCookie = "dateline_reset_csrf"

    /// The request form and the reset link's form, for the group without a session, whose
    /// ``CSRFMiddleware`` checks the double-submit cookie ``csrfCookie``.
    func addRoutes(to group: RouterGroup<DatelineRequestContext>) {
        group.get(NewsroomURL.Pattern.forgotPassword, use: requestForm)
        group.post(NewsroomURL.Pattern.forgotPassword, use: requestLink)
        group.get(NewsroomURL.Pattern.resetPassword, use: resetForm)
        group.post(NewsroomURL.Pattern.resetPassword, use: reset)
    }

    private var pages: NewsroomPages { NewsroomPages(settings: settings, renderer: renderer) }
    private func layout(_ title: String) -> PageLayout { pages.layout(title) }

    /// A page with a fresh double-submit CSRF token (cookie and hidden field).
    private func formPage(_ template: String, _ make: (String) -> Any, status: HTTPResponse.Status = .ok) throws -> Response {
        let csrf = SignIn.randomToken()
        var response = try renderer.page(template, make(csrf), status: status)
        response.setCookie(Cookie(name: Self.csrfCookie, value: csrf, path: NewsroomURL.cookiePath, secure: settings.baseURL.scheme == "https", httpOnly: true, sameSite: .strict))
        response.headers[.cacheControl] = "no-store"
        response.headers[.init("Referrer-Policy")!] = "no-referrer"
        return response
    }

    @Sendable func requestForm(request: Request, context: DatelineRequestContext) async throws -> Response {
        try formPage("forgot-password") { PasswordRequestPage(layout: layout("Reset your password"), csrf: $0, sent: false) }
    }

    struct RequestForm: Decodable {
        var email: String
    }

    @Sendable func requestLink(request: Request, context: DatelineRequestContext) async throws -> Response {
        let form = try await request.decode(as: RequestForm.self, context: context)
        let email = form.email.trimmingCharacters(in: .whitespaces).lowercased()
        let now = clock()
        let database = try hub.database
        if let user = try await UserModel.query(on: database).filter(\.$email == email).first(), let userID = user.id {
            let recent = try await PasswordResetModel.query(on: database).filter(\.$user.$id == userID).filter(\.$createdAt >= now.addingTimeInterval(-3600)).count()
            if recent < Self.perAddressPerHour {
                let token = SignIn.randomToken()
                let reset = PasswordResetModel()
                reset.tokenHash = SignIn.hash(token)
                reset.$user.id = userID
                reset.createdAt = now
                reset.expiresAt = now.addingTimeInterval(Self.lifetime)
                try await hub.write { try await reset.create(on: $0) }
                let link = NewsroomURL.resetPassword(token: token).absolute(settings)
                try await mailer.send(MailMessage(
                    to: user.email,
                    subject: "Reset your \(settings.siteName) password",
                    text: """
                    Hello \(user.name),

                    Someone asked to reset the password of your \(settings.siteName) newsroom account.
                    To choose a new password, open this link within an hour:

                    \(link)

                    The link works once. If you did not ask for it, ignore this message: your
                    password stays as it is.
                    """
                ))
            }
        }
        // The same answer whether or not the address has an account.
        return try formPage("forgot-password") { PasswordRequestPage(layout: layout("Check your email"), csrf: $0, sent: true) }
    }

    /// The reset link's record, when it is known, unused and unexpired.
    private func validReset(_ context: DatelineRequestContext) async throws -> PasswordResetModel? {
        guard let token = context.parameters.get("token"), (40...50).contains(token.count) else { return nil }
        return try await PasswordResetModel.query(on: hub.database)
            .filter(\.$tokenHash == SignIn.hash(token))
            .filter(\.$usedAt == nil)
            .filter(\.$expiresAt > clock())
            .with(\.$user)
            .first()
    }

    private func deadLink() throws -> Response {
        try pages.message("This link no longer works", "Reset links work once, for an hour. Ask for a new one on the sign-in page.", status: .notFound)
    }

    @Sendable func resetForm(request: Request, context: DatelineRequestContext) async throws -> Response {
        guard try await validReset(context) != nil, let token = context.parameters.get("token") else { return try deadLink() }
        return try formPage("reset-password") { PasswordResetPage(layout: layout("Choose a new password"), csrf: $0, action: NewsroomURL.resetPassword(token: token).path, error: nil) }
    }

    struct ResetForm: Decodable {
        var password: String
    }

    @Sendable func reset(request: Request, context: DatelineRequestContext) async throws -> Response {
        let form = try await request.decode(as: ResetForm.self, context: context)
        guard let reset = try await validReset(context), let token = context.parameters.get("token") else { return try deadLink() }
        var problem: String?
        if form.password.count < Accounts.minimumPasswordLength { problem = AccountError.weakPassword.description }
        if form.password.utf8.count > Accounts.maximumPasswordBytes { problem = AccountError.longPassword.description }
        if let problem {
            return try formPage("reset-password", { PasswordResetPage(layout: layout("Choose a new password"), csrf: $0, action: NewsroomURL.resetPassword(token: token).path, error: "Choose another password: \(problem).") }, status: .badRequest)
        }
        let hash = Bcrypt.hash(form.password, cost: settings.bcryptCost)
        let now = clock()
        let changed = try await hub.write { database -> Bool in
            // Single use even under parallel requests: only the request that marks the link used goes on.
            let claimed = try await (database as! any SQLDatabase).update(PasswordResetModel.schema)
                .set("used_at", to: now)
                .where("id", .equal, try reset.requireID())
                .where("used_at", .is, SQLLiteral.null)
                .returning("id")
                .all()
            guard !claimed.isEmpty else { return false }
            let user = reset.user
            user.passwordHash = hash
            try await user.save(on: database)
            let userID = try user.requireID()
            // The account's other links stop working too.
            try await PasswordResetModel.query(on: database).filter(\.$user.$id == userID).filter(\.$usedAt == nil).set(\.$usedAt, to: now).update()
            // A reset is often a response to a stolen password: every open session ends.
            try await SessionModel.query(on: database).filter(\.$user.$id == userID).delete()
            return true
        }
        guard changed else { return try deadLink() }
        return try pages.message("Your password is changed", "Sign in with your new password.", status: .ok)
    }
}
