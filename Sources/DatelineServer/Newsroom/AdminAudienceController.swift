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

    /// Rows per page of every list.
    static let perPage = 50

    /// Every route, for the admin group (``NewsroomGateMiddleware/Requirement/admin``).
    func addRoutes(to group: RouterGroup<DatelineRequestContext>) {
        group.get(NewsroomURL.Pattern.subscribers, use: subscribers)
        group.get(NewsroomURL.Pattern.subscriber, use: subscriber)
        group.post(NewsroomURL.Pattern.removeSubscriber, use: removeSubscriber)
        group.get(NewsroomURL.Pattern.journalists, use: journalists)
        group.get(NewsroomURL.Pattern.embargoLink, use: link)
    }

    private var pages: NewsroomPages { NewsroomPages(settings: settings, renderer: renderer) }

    private func page(_ template: String, _ context: AudiencePage) throws -> Response {
        try pages.page(template, context)
    }

    private static func minute(_ date: Date?) -> String { date.map(NewsroomAccess.minute) ?? "" }

    private static func page(_ request: Request) -> Int {
        NewsroomReleaseFilter.page(request.uri.queryParameters)
    }

    /// `/newsroom/admin/subscribers?q=TEXT&status=STATUS&page=N`, and the latest delivery failures.
    @Sendable func subscribers(request: Request, context: DatelineRequestContext) async throws -> Response {
        let identity = try context.signedIn()
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
                label: subscriber.email, path: NewsroomURL.subscriber(id: subscriber.id!.uuidString).path,
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
            return NewsroomURL.subscribers.path + (items.isEmpty ? "" : "?" + items.joined(separator: "&"))
        }
        var context = AudiencePage(layout: pages.layout("Subscribers"), csrf: identity.csrfToken, title: "Subscribers", rows: rows)
        context.query = text
        context.statuses = statuses.map { FormOption(value: $0, label: $0.capitalized, selected: $0 == status) }
        context.failures = failures
        context.hasFailures = !failures.isEmpty
        context.newerPath = number > 1 ? path(number - 1) : nil
        context.olderPath = found.count > Self.perPage ? path(number + 1) : nil
        return try page("admin-subscribers", context)
    }

    /// One subscriber: what they follow, every message that failed to reach them, and removal.
    @Sendable func subscriber(request: Request, context: DatelineRequestContext) async throws -> Response {
        let identity = try context.signedIn()
        let database = try hub.database
        guard let id = context.parameters.get("id").flatMap(UUID.init(uuidString:)),
              let subscriber = try await SubscriberModel.find(id, on: database) else { throw HTTPError(.notFound) }
        let follows = try await SubscriberFollowModel.query(on: database).filter(\.$subscriber.$id == id).all()
        var page = AudiencePage(layout: pages.layout(subscriber.email), csrf: identity.csrfToken, title: subscriber.email, rows: follows.map {
            AudiencePage.Row(label: $0.value, path: nil, detail: $0.kind, date: "")
        })
        page.detail = [subscriber.status, subscriber.cadence == "instant" ? "instant alerts" : "daily digest",
                       subscriber.everything ? "follows everything" : nil,
                       subscriber.confirmedAt.map { "confirmed \(Self.minute($0))" },
                       subscriber.bounceReason.map { "bounced: \($0)" }].compactMap { $0 }.joined(separator: " · ")
        page.failures = try await OutboxFailure.latest(on: database, subscriber: id, limit: Self.perPage)
        page.hasFailures = !page.failures.isEmpty
        page.removeAction = NewsroomURL.removeSubscriber(id: id.uuidString).path
        return try self.page("admin-subscriber", page)
    }


    /// Removes a subscriber and everything owed to them (follows, outbox rows), as they could
    /// themselves by unsubscribing; for a complaint or a request made elsewhere.
    @Sendable func removeSubscriber(request: Request, context: DatelineRequestContext) async throws -> Response {
        guard let id = context.parameters.get("id").flatMap(UUID.init(uuidString:)) else { throw HTTPError(.notFound) }
        try await hub.write { database in
            guard let subscriber = try await SubscriberModel.find(id, on: database) else { throw HTTPError(.notFound) }
            try await subscriber.delete(on: database)
        }
        return NewsroomPages.redirect(to: .subscribers)
    }

    /// Journalists and their embargo links, each with its number of views and the last one.
    @Sendable func journalists(request: Request, context: DatelineRequestContext) async throws -> Response {
        let identity = try context.signedIn()
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
                path: NewsroomURL.embargoLink(id: link.id!.uuidString).path,
                detail: "\(link.release.headline) · \(seen.count) view\(seen.count == 1 ? "" : "s")\(last.map { ", last \(Self.minute($0))" } ?? "") · expires \(Self.minute(link.expiresAt))",
                date: Self.minute(link.createdAt)
            )
        }
        var page = AudiencePage(layout: pages.layout("Journalists"), csrf: identity.csrfToken, title: "Journalists and embargo links", rows: rows)
        page.newerPath = number > 1 ? NewsroomURL.journalists.path + (number - 1 > 1 ? "?page=\(number - 1)" : "") : nil
        page.olderPath = links.count > Self.perPage ? NewsroomURL.journalists.path + "?page=\(number + 1)" : nil
        return try self.page("admin-journalists", page)
    }

    /// One embargo link's views: when, from which address, with which browser.
    @Sendable func link(request: Request, context: DatelineRequestContext) async throws -> Response {
        let identity = try context.signedIn()
        let database = try hub.database
        guard let id = context.parameters.get("id").flatMap(UUID.init(uuidString:)),
              let link = try await EmbargoLinkModel.query(on: database).filter(\.$id == id).with(\.$journalist).with(\.$release).first()
        else { throw HTTPError(.notFound) }
        let views = try await EmbargoViewModel.query(on: database).filter(\.$link.$id == id).sort(\.$viewedAt, .descending).limit(500).all()
        var page = AudiencePage(layout: pages.layout("Embargo link"), csrf: identity.csrfToken, title: "\(link.journalist.name): \(link.release.headline)", rows: views.map {
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
