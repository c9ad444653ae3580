import Foundation
import Hummingbird

/// The newsroom's routes, each in the route group whose middleware decides who reaches it:
///
/// | group | session | CSRF token checked on posts |
/// |---|---|---|
/// | sign-in | none needed | double-submit cookie `dateline_signin_csrf` |
/// | password reset | none needed | double-submit cookie `dateline_reset_csrf` |
/// | second factor, sign-out | password given (else to sign-in) | the session's |
/// | signed in: dashboard, releases | both factors (else to sign-in or two-factor) | the session's |
/// | administration | an admin with both factors (else 404) | the session's |
///
/// Every group reads the session once (``NewsroomSessionMiddleware``) and answers an unreadable
/// form with a page (``FormErrorMiddleware``). No handler checks sign-in or CSRF itself.
enum NewsroomRoutes {
    static func add(
        to router: Router<DatelineRequestContext>, hub: DatabaseHub, settings: Settings, renderer: PageRenderer,
        mailer: any Mailer, clock: @escaping @Sendable () -> Date
    ) {
        let pages = NewsroomPages(settings: settings, renderer: renderer)
        let newsroom = router.group()
            .add(middleware: NewsroomSessionMiddleware(signIn: SignIn(hub: hub, clock: clock)))
            .add(middleware: FormErrorMiddleware(pages: pages))
        // Signed-in users may send an attachment; everyone else at most 1 MiB.
        let uploadLimit = settings.mediaMaxMegabytes * 1_048_576 + 1_048_576
        func group(_ requirement: NewsroomGateMiddleware.Requirement) -> RouterGroup<DatelineRequestContext> {
            let group = newsroom.group().add(middleware: NewsroomGateMiddleware(requirement: requirement))
            if requirement != .passwordGiven { group.add(middleware: UploadLimitMiddleware(bytes: uploadLimit)) }
            return group.add(middleware: CSRFMiddleware(token: .session, pages: pages))
        }

        let front = NewsroomController(hub: hub, settings: settings, renderer: renderer, clock: clock)
        front.addSignInRoutes(to: newsroom.group().add(middleware: CSRFMiddleware(token: .cookie(NewsroomController.signInCSRFCookie), pages: pages)))
        PasswordResetController(hub: hub, settings: settings, renderer: renderer, mailer: mailer, clock: clock)
            .addRoutes(to: newsroom.group().add(middleware: CSRFMiddleware(token: .cookie(PasswordResetController.csrfCookie), pages: pages)))

        front.addSecondFactorRoutes(to: group(.passwordGiven))

        let signedIn = group(.signedIn)
        front.addRoutes(to: signedIn)
        NewsroomReleasesController(hub: hub, settings: settings, renderer: renderer, clock: clock).addRoutes(to: signedIn)

        let admin = group(.admin)
        AdminController(hub: hub, settings: settings, renderer: renderer, clock: clock).addRoutes(to: admin)
        AdminAudienceController(hub: hub, settings: settings, renderer: renderer).addRoutes(to: admin)
        AppealController(hub: hub, settings: settings, renderer: renderer).addRoutes(to: admin)
    }
}
