import Foundation
import Hummingbird

/// Admins edit the site's support appeal and its donation methods. To anyone else the page
/// does not exist.
struct AppealController {
    let hub: DatabaseHub
    let settings: Settings
    let renderer: PageRenderer

    /// Rows of donation methods the form offers.
    static let methodRows = 5

    /// The appeal's form, for the admin group (``NewsroomGateMiddleware/Requirement/admin``).
    func addRoutes(to group: RouterGroup<DatelineRequestContext>) {
        group.get(NewsroomURL.Pattern.appeal, use: form)
        group.post(NewsroomURL.Pattern.appeal, use: save)
    }

    struct AppealForm: Decodable {
        var heading: String?
        var text: String?
        var methodName: [String]?
        var methodURL: [String]?
        var methodNote: [String]?
    }

    private var pages: NewsroomPages { NewsroomPages(settings: settings, renderer: renderer) }


    @Sendable func form(request: Request, context: DatelineRequestContext) async throws -> Response {
        let identity = try context.signedIn()
        return try render(try await SupportAppeal.load(on: try hub.database), identity: identity, notice: nil, error: nil)
    }

    @Sendable func save(request: Request, context: DatelineRequestContext) async throws -> Response {
        let identity = try context.signedIn()
        let form = try await request.decode(as: AppealForm.self, context: context)
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
            return try render(appeal, identity: identity, notice: "Saved. The appeal now shows on release pages and in digests.", error: nil)
        } catch let error as AppealError {
            return try render(typed, identity: identity, notice: nil, error: error.message, status: .unprocessableContent)
        }
    }

    private func render(_ appeal: SupportAppeal, identity: NewsroomIdentity, notice: String?, error: String?, status: HTTPResponse.Status = .ok) throws -> Response {
        var methods = appeal.methods
        while methods.count < Self.methodRows { methods.append(.init(name: "", url: "", note: "")) }
        let page = AdminAppealPage(layout: pages.layout("Support appeal"), csrf: identity.csrfToken, heading: appeal.heading, text: appeal.text, methods: methods, notice: notice, error: error)
        var response = try renderer.page("admin-appeal", page, status: status)
        response.headers[.cacheControl] = "no-store"
        return response
    }
}
