import Foundation
import Hummingbird

/// Admins edit the site's support appeal and its donation methods. To anyone else the page
/// does not exist.
struct AppealController {
    let hub: DatabaseHub
    let settings: Settings
    let renderer: PageRenderer
    let front: NewsroomController

    static let path: RouterPath = "/newsroom/admin/appeal"
    /// Rows of donation methods the form offers.
    static let methodRows = 5

    func addRoutes(to router: Router<DatelineRequestContext>) {
        router.get(Self.path, use: form)
        router.post(Self.path, use: save)
    }

    struct AppealPage {
        var layout: PageLayout
        var csrf: String
        var heading: String
        var text: String
        var methods: [SupportAppeal.DonationMethod]
        var notice: String?
        var error: String?
    }

    struct AppealForm: Decodable, CSRFProtected {
        var _csrf: String
        var heading: String?
        var text: String?
        var methodName: [String]?
        var methodURL: [String]?
        var methodNote: [String]?
    }

    private var pages: NewsroomPages { NewsroomPages(settings: settings, renderer: renderer) }

    private func admin(_ request: Request) async throws -> SessionModel? {
        try await front.adminSession(request)
    }

    @Sendable func form(request: Request, context: DatelineRequestContext) async throws -> Response {
        guard let session = try await admin(request) else { throw HTTPError(.notFound) }
        return try render(try await SupportAppeal.load(on: try hub.database), session: session, notice: nil, error: nil)
    }

    @Sendable func save(request: Request, context: DatelineRequestContext) async throws -> Response {
        guard let session = try await admin(request) else { throw HTTPError(.notFound) }
        guard let form = try await NewsroomPages.form(AppealForm.self, request, session: session) else { return try pages.expiredForm() }
        let names = form.methodName ?? [], urls = form.methodURL ?? [], notes = form.methodNote ?? []
        let rows = max(names.count, urls.count, notes.count)
        func at(_ list: [String], _ index: Int) -> String { index < list.count ? PlainText.clean(list[index]) : "" }
        let typed = SupportAppeal(
            heading: PlainText.clean(form.heading ?? ""),
            text: PlainText.clean(form.text ?? ""),
            methods: (0..<rows).map { SupportAppeal.DonationMethod(name: at(names, $0), url: at(urls, $0), note: at(notes, $0)) }
        )
        do {
            let appeal = try typed.validated()
            try await hub.write { try await appeal.save(on: $0) }
            return try render(appeal, session: session, notice: "Saved. The appeal now shows on release pages and in digests.", error: nil)
        } catch let error as AppealError {
            return try render(typed, session: session, notice: nil, error: error.message, status: .unprocessableContent)
        }
    }

    private func render(_ appeal: SupportAppeal, session: SessionModel, notice: String?, error: String?, status: HTTPResponse.Status = .ok) throws -> Response {
        var methods = appeal.methods
        while methods.count < Self.methodRows { methods.append(.init(name: "", url: "", note: "")) }
        let page = AppealPage(layout: pages.layout("Support appeal"), csrf: session.csrfToken, heading: appeal.heading, text: appeal.text, methods: methods, notice: notice, error: error)
        var response = try renderer.page("admin-appeal", page, status: status)
        response.headers[.cacheControl] = "no-store"
        return response
    }
}
