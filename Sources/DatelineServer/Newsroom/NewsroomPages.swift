import Foundation
import Hummingbird

/// A form that carries a CSRF token in its `_csrf` field.
protocol CSRFProtected {
    var _csrf: String { get }
}

/// What every newsroom page and form shares: the private layout, the "form expired" refusal,
/// short messages, and reading a form whose CSRF token must match the session's.
struct NewsroomPages {
    let settings: Settings
    let renderer: PageRenderer

    /// The site layout, marked not for indexing: newsroom pages are private.
    func layout(_ title: String) -> PageLayout {
        var layout = PageLayout(settings: settings, title: title)
        layout.meta = [MetaTag(attribute: "name", key: "robots", content: "noindex, nofollow")]
        layout.showSignUp = false
        return layout
    }

    /// A short page with a title and a sentence, not kept by any cache.
    func message(_ title: String, _ text: String, status: HTTPResponse.Status) throws -> Response {
        var response = try renderer.page("message", MessagePage(layout: layout(title), title: title, text: text), status: status)
        response.headers[.cacheControl] = "no-store"
        return response
    }

    /// The answer to a form whose CSRF token is missing or wrong: 403, nothing changed.
    func expiredForm() throws -> Response {
        try message("This form has expired", "For your security, forms work only from the page that showed them. Go back, reload the page, and send it again.", status: .forbidden)
    }

    /// Reads a form and checks its token against the session's; `nil` when either fails.
    static func form<T: Decodable & CSRFProtected>(_ type: T.Type, _ request: Request, session: SessionModel) async throws -> T? {
        guard let form = try await NewsroomController.decodeForm(type, request: request), SignIn.constantTimeEquals(form._csrf, session.csrfToken) else { return nil }
        return form
    }
}

/// A short page with a title and a sentence: refusals and confirmations.
struct MessagePage {
    var layout: PageLayout
    var title: String
    var text: String
}
