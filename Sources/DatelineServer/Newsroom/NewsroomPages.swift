import Foundation
import Hummingbird

/// What every newsroom page shares: the private layout, pages no cache keeps, short messages,
/// and the "form expired" refusal.
struct NewsroomPages: Sendable {
    let settings: Settings
    let renderer: PageRenderer

    /// The site layout, marked not for indexing: newsroom pages are private.
    func layout(_ title: String) -> PageLayout {
        let layout = PageLayout(settings: settings, title: title)
        layout.meta = [MetaTag(attribute: "name", key: "robots", content: "noindex, nofollow")]
        layout.showSignUp = false
        return layout
    }

    /// `template` rendered with `context`, not kept by any cache (`Cache-Control: no-store`).
    func page(_ template: String, _ context: Any, status: HTTPResponse.Status = .ok) throws -> Response {
        var response = try renderer.page(template, context, status: status)
        response.headers[.cacheControl] = "no-store"
        return response
    }

    /// A short page with a title and a sentence, not kept by any cache.
    func message(_ title: String, _ text: String, status: HTTPResponse.Status) throws -> Response {
        try page("message", MessagePage(layout: layout(title), title: title, text: text), status: status)
    }

    /// The answer to a form whose CSRF token is missing or wrong: 403, nothing changed.
    func expiredForm() throws -> Response {
        try message("This form has expired", "For your security, forms work only from the page that showed them. Go back, reload the page, and send it again.", status: .forbidden)
    }

    /// 303 See Other to a newsroom page.
    static func redirect(to url: NewsroomURL, query: String? = nil) -> Response {
        Response(status: .seeOther, headers: [.location: url.path + (query.map { "?" + $0 } ?? "")])
    }
}
