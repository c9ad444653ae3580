import DatelineCore
import FluentKit
import Foundation
import Hummingbird
import Mustache
import SQLKit

/// The administration's view of who receives releases: subscribers (search by address, filter
/// by status, what each follows, the mail that failed to reach them, removal) and accredited
/// journalists with their personal embargo links and every view of them. Admins only; to anyone
/// else these pages do not exist. Lists are paged, 50 rows at a time, newest first.
struct AdminAudienceController {
    let hub: DatabaseHub
    let settings: Settings
    let renderer: PageRenderer
    let front: NewsroomController

    enum Path {
        static let subscribers: RouterPath = "/newsroom/admin/subscribers"
        static let subscriber: RouterPath = "/newsroom/admin/subscribers/:id"
        static let removeSubscriber: RouterPath = "/newsroom/admin/subscribers/:id/remove"
        static let journalists: RouterPath = "/newsroom/admin/journalists"
        static let link: RouterPath = "/newsroom/admin/embargo-links/:id"
    }

    static let perPage = 50

    func addRoutes(to router: Router<DatelineRequestContext>) {
        router.get(Path.subscribers, use: subscribers)
        router.get(Path.subscriber, use: subscriber)
        router.post(Path.removeSubscriber, use: removeSubscriber)
        router.get(Path.journalists, use: journalists)
        router.get(Path.link, use: link)
    }

    private var pages: NewsroomPages { NewsroomPages(settings: settings, renderer: renderer) }

    private func page(_ template: String, _ context: AudiencePage) throws -> Response {
        var response = try renderer.page(template, context)
        response.headers[.cacheControl] = "no-store"
        return response
    }

    private static func minute(_ date: Date?) -> String { date.map(NewsroomAccess.minute) ?? "" }

    private static func page(_ request: Request) -> Int {
        NewsroomReleaseFilter.page(request.uri.queryParameters)
    }

    /// `/newsroom/admin/subscribers?q=TEXT&status=STATUS&page=N`, and the latest delivery failures.
    @Sendable func subscribers(request: Request, context: DatelineRequestContext) async throws -> Response {
        guard let session = try await front.adminSession(request) else { throw HTTPError(.notFound) }
        let database = try hub.database
        let text = String((request.uri.queryParameters.get("q").map { String($0) } ?? "").trimmingCharacters(in: .whitespaces).lowercased().prefix(200))
        let statuses = ["pending", "confirmed", "unsubscribed", "bounced"]
        let status = request.uri.queryParameters.get("status").map { String($0) }.flatMap { statuses.contains($0) ? $0 : nil }
        let number = Self.page(request)
        let query = SubscriberModel.query(on: database).sort(\.$createdAt, .descending).sort(\.$id, .descending)
            .offset((number - 1) * Self.perPage).limit(Self.perPage + 1)
        if !text.isEmpty {
            query.filter(.sql(embed: "LOWER(\(ident: SubscriberModel.schema).\(ident: "email")) LIKE \(bind: LikePattern.contains(text)) ESCAPE '\\'"))
        }
        if let status { query.filter(\.$status == status) }
        let found = try await query.all()
        let rows = Array(found.prefix(Self.perPage)).map { subscriber in
            AudiencePage.Row(
                label: subscriber.email, path: "/newsroom/admin/subscribers/\(subscriber.id!.uuidString)",
                detail: [subscriber.status, subscriber.cadence == "instant" ? "instant alerts" : "daily digest", subscriber.everything ? "everything" : nil]
                    .compactMap { $0 }.joined(separator: " · "),
                date: Self.minute(subscriber.createdAt)
            )
        }
        let failures = try await OutboxFailure.latest(on: database, limit: Self.perPage)
        func path(_ page: Int) -> String {
            var items: [String] = []
            if !text.isEmpty { items.append("q=\(SiteURL.encodeQueryValue(text))") }
            if let status { items.append("status=\(status)") }
            if page > 1 { items.append("page=\(page)") }
            return "/newsroom/admin/subscribers" + (items.isEmpty ? "" : "?" + items.joined(separator: "&"))
        }
        var context = AudiencePage(layout: pages.layout("Subscribers"), csrf: session.csrfToken, title: "Subscribers", rows: rows)
        context.query = text
        context.statuses = statuses.map { NewsroomReleasesController.Option(value: $0, label: $0.capitalized, selected: $0 == status) }
        context.failures = failures
        context.hasFailures = !failures.isEmpty
        context.newerPath = number > 1 ? path(number - 1) : nil
        context.olderPath = found.count > Self.perPage ? path(number + 1) : nil
        return try page("admin-subscribers", context)
    }

    /// One subscriber: what they follow, every message that failed to reach them, and removal.
    @Sendable func subscriber(request: Request, context: DatelineRequestContext) async throws -> Response {
        guard let session = try await front.adminSession(request) else { throw HTTPError(.notFound) }
        let database = try hub.database
        guard let id = context.parameters.get("id").flatMap(UUID.init(uuidString:)),
              let subscriber = try await SubscriberModel.find(id, on: database) else { throw HTTPError(.notFound) }
        let follows = try await SubscriberFollowModel.query(on: database).filter(\.$subscriber.$id == id).all()
        var page = AudiencePage(layout: pages.layout(subscriber.email), csrf: session.csrfToken, title: subscriber.email, rows: follows.map {
            AudiencePage.Row(label: $0.value, path: nil, detail: $0.kind, date: "")
        })
        page.detail = [subscriber.status, subscriber.cadence == "instant" ? "instant alerts" : "daily digest",
                       subscriber.everything ? "follows everything" : nil,
                       subscriber.confirmedAt.map { "confirmed \(Self.minute($0))" },
                       subscriber.bounceReason.map { "bounced: \($0)" }].compactMap { $0 }.joined(separator: " · ")
        page.failures = try await OutboxFailure.latest(on: database, subscriber: id, limit: Self.perPage)
        page.hasFailures = !page.failures.isEmpty
        page.removeAction = "/newsroom/admin/subscribers/\(id.uuidString)/remove"
        return try self.page("admin-subscriber", page)
    }

    struct TokenForm: Decodable, CSRFProtected { var _csrf: String }

    /// Removes a subscriber and everything owed to them (follows, outbox rows), as they could
    /// themselves by unsubscribing; for a complaint or a request made elsewhere.
    @Sendable func removeSubscriber(request: Request, context: DatelineRequestContext) async throws -> Response {
        guard let session = try await front.adminSession(request) else { throw HTTPError(.notFound) }
        guard try await NewsroomPages.form(TokenForm.self, request, session: session) != nil else { return try pages.expiredForm() }
        guard let id = context.parameters.get("id").flatMap(UUID.init(uuidString:)) else { throw HTTPError(.notFound) }
        try await hub.write { database in
            guard let subscriber = try await SubscriberModel.find(id, on: database) else { throw HTTPError(.notFound) }
            try await subscriber.delete(on: database)
        }
        return Response(status: .seeOther, headers: [.location: "/newsroom/admin/subscribers"])
    }

    /// Journalists and their embargo links, each with its number of views and the last one.
    @Sendable func journalists(request: Request, context: DatelineRequestContext) async throws -> Response {
        guard let session = try await front.adminSession(request) else { throw HTTPError(.notFound) }
        let database = try hub.database
        let number = Self.page(request)
        let links = try await EmbargoLinkModel.query(on: database).with(\.$journalist).with(\.$release)
            .sort(\.$createdAt, .descending).offset((number - 1) * Self.perPage).limit(Self.perPage + 1).all()
        let shown = Array(links.prefix(Self.perPage))
        let views = try await EmbargoViewModel.query(on: database).filter(\.$link.$id ~~ shown.compactMap(\.id)).all()
        let byLink = Dictionary(grouping: views, by: { $0.$link.id })
        let rows = shown.map { link in
            let seen = byLink[link.id!] ?? []
            let last = seen.map(\.viewedAt).max()
            return AudiencePage.Row(
                label: "\(link.journalist.name) <\(link.journalist.email)>\(link.journalist.outlet.map { ", \($0)" } ?? "")",
                path: "/newsroom/admin/embargo-links/\(link.id!.uuidString)",
                detail: "\(link.release.headline) · \(seen.count) view\(seen.count == 1 ? "" : "s")\(last.map { ", last \(Self.minute($0))" } ?? "") · expires \(Self.minute(link.expiresAt))",
                date: Self.minute(link.createdAt)
            )
        }
        var page = AudiencePage(layout: pages.layout("Journalists"), csrf: session.csrfToken, title: "Journalists and embargo links", rows: rows)
        page.newerPath = number > 1 ? "/newsroom/admin/journalists" + (number - 1 > 1 ? "?page=\(number - 1)" : "") : nil
        page.olderPath = links.count > Self.perPage ? "/newsroom/admin/journalists?page=\(number + 1)" : nil
        return try self.page("admin-journalists", page)
    }

    /// One embargo link's views: when, from which address, with which browser.
    @Sendable func link(request: Request, context: DatelineRequestContext) async throws -> Response {
        guard let session = try await front.adminSession(request) else { throw HTTPError(.notFound) }
        let database = try hub.database
        guard let id = context.parameters.get("id").flatMap(UUID.init(uuidString:)),
              let link = try await EmbargoLinkModel.query(on: database).filter(\.$id == id).with(\.$journalist).with(\.$release).first()
        else { throw HTTPError(.notFound) }
        let views = try await EmbargoViewModel.query(on: database).filter(\.$link.$id == id).sort(\.$viewedAt, .descending).limit(500).all()
        var page = AudiencePage(layout: pages.layout("Embargo link"), csrf: session.csrfToken, title: "\(link.journalist.name): \(link.release.headline)", rows: views.map {
            AudiencePage.Row(label: Self.minute($0.viewedAt), path: nil, detail: [$0.clientAddress, $0.userAgent].compactMap { $0 }.joined(separator: " · "), date: "")
        })
        page.detail = "Expires \(Self.minute(link.expiresAt)); \(views.count) view\(views.count == 1 ? "" : "s") logged."
        return try self.page("admin-journalists", page)
    }
}

/// A message that did not reach its subscriber: `failed` (refused for good) or `unconfirmed`
/// (no answer after it was handed over), with the server's last words.
struct OutboxFailure: Sendable {
    var email: String
    var kind: String
    var state: String
    var error: String
    var at: String

    static func latest(on database: any Database, subscriber: UUID? = nil, limit: Int) async throws -> [OutboxFailure] {
        let sql = database as! any SQLDatabase
        var statement = SQLQueryString("""
            SELECT s.email, o.kind, o.state, o.last_error, o.created_at FROM outbox o JOIN subscribers s ON s.id = o.subscriber_id \
            WHERE o.state IN ('failed', 'unconfirmed')
            """)
        if let subscriber {
            statement.appendInterpolation(unsafeRaw: " AND o.subscriber_id = ")
            statement.appendInterpolation(bind: subscriber)
        }
        statement.appendInterpolation(unsafeRaw: " ORDER BY o.created_at DESC, o.id DESC LIMIT \(limit)")
        return try await sql.raw(statement).all().map { row in
            OutboxFailure(
                email: try row.decode(column: "email", as: String.self), kind: try row.decode(column: "kind", as: String.self),
                state: try row.decode(column: "state", as: String.self), error: try row.decode(column: "last_error", as: String?.self) ?? "",
                at: NewsroomAccess.minute(try row.decode(column: "created_at", as: Date.self))
            )
        }
    }
}

/// The audience pages' context: a list of rows, a filter and pages, delivery failures.
struct AudiencePage {
    var layout: PageLayout
    var csrf: String
    var title: String
    var detail: String? = nil
    var rows: [Row] { didSet { hasRows = !rows.isEmpty } }
    var hasRows: Bool
    var query = ""
    var statuses: [NewsroomReleasesController.Option] = []
    var failures: [OutboxFailure] = []
    var hasFailures = false
    var removeAction: String? = nil
    var newerPath: String? = nil
    var olderPath: String? = nil

    init(layout: PageLayout, csrf: String, title: String, detail: String? = nil, rows: [Row]) {
        self.layout = layout
        self.csrf = csrf
        self.title = title
        self.detail = detail
        self.rows = rows
        hasRows = !rows.isEmpty
    }

    struct Row {
        var label: String
        var path: String?
        var detail: String
        var date: String
    }
}

extension AudiencePage: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "layout": layout
        case "csrf": csrf
        case "title": title
        case "detail": detail
        case "rows": rows
        case "hasRows": hasRows
        case "query": query
        case "statuses": statuses
        case "failures": failures
        case "hasFailures": hasFailures
        case "removeAction": removeAction
        case "newerPath": newerPath
        case "olderPath": olderPath
        default: nil
        }
    }
}

extension AudiencePage.Row: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "label": label
        case "path": path
        case "detail": detail
        case "date": date
        default: nil
        }
    }
}

extension OutboxFailure: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "email": email
        case "kind": kind
        case "state": state
        case "error": error
        case "at": at
        default: nil
        }
    }
}
