import DatelineCore
import Foundation
import Hummingbird
import Syndication

/// News-agency formats of each published release — IPTC ninjs 2.1 and 3.1, NewsML-G2 — and a
/// paginated ninjs list for newsroom systems that poll. All through ``PublicReleases``.
struct AgencyController<Context: RequestContext> {
    let hub: DatabaseHub
    let settings: Settings
    let clock: @Sendable () -> Date

    static var listPageSize: Int { 20 }

    func addRoutes(to router: Router<Context>) {
        router.getAndHead(SiteURL.Pattern.ninjs2) { request, context in
            let release = try await release(context)
            return json(request: request, data: try ReleaseRepresentations(settings: settings).ninjs(release).jsonData(version: .v2), lastModified: release.updatedAt)
        }
        router.getAndHead(SiteURL.Pattern.ninjs3) { request, context in
            let release = try await release(context)
            return json(request: request, data: try ReleaseRepresentations(settings: settings).ninjs(release).jsonData(version: .v3), lastModified: release.updatedAt)
        }
        router.getAndHead(SiteURL.Pattern.newsML) { request, context in
            let release = try await release(context)
            let item = NewsMLG2Item(entry: ReleaseRepresentations(settings: settings).entry(release))
            return ConditionalResponse.make(request: request, body: ByteBuffer(bytes: item.xmlData()), contentType: "\(NewsMLG2Item.mediaType); charset=utf-8", lastModified: release.updatedAt, freshness: .document)
        }
        router.getAndHead(SiteURL.Pattern.ninjsList, use: list)
    }

    private var releases: PublicReleases { get throws { PublicReleases(database: try hub.database, now: clock()) } }

    private func release(_ context: Context) async throws -> Release {
        guard let slug = context.parameters.get("slug").flatMap(\.removingPercentEncoding).flatMap(Slug.init(validating:)),
              let release = try await releases.release(slug: slug)
        else { throw HTTPError(.notFound) }
        return release
    }

    private func json(request: Request, data: Data, lastModified: Date?) -> Response {
        ConditionalResponse.make(request: request, body: ByteBuffer(bytes: data), contentType: "application/json; charset=utf-8", lastModified: lastModified, freshness: .document)
    }

    /// `{"page": 1, "per_page": 20, "next": url|null, "previous": url|null, "items": [ninjs 2.1 …]}`,
    /// most recently changed first (retractions included, with pubstatus `canceled`).
    @Sendable func list(request: Request, context: Context) async throws -> Response {
        let page = request.uri.queryParameters.get("page", as: Int.self) ?? 1
        guard (1...PublicReleases.maximumPage).contains(page) else { throw HTTPError(.notFound) }
        let per = Self.listPageSize
        let found = try await releases.forFeed(.site, limit: per + 1, offset: (page - 1) * per)
        if found.isEmpty && page > 1 { throw HTTPError(.notFound) }
        let representations = ReleaseRepresentations(settings: settings)
        let items = try found.prefix(per).map { try representations.ninjs($0).jsonObject(version: .v2) }
        let document: [String: Any] = [
            "page": page,
            "per_page": per,
            "next": found.count > per ? SiteURL.ninjsList(page: page + 1).absolute(base: settings.baseURL).absoluteString : NSNull(),
            "previous": page > 1 ? SiteURL.ninjsList(page: page - 1).absolute(base: settings.baseURL).absoluteString : NSNull(),
            "items": items,
        ]
        let data = try JSONSerialization.data(withJSONObject: document, options: [.sortedKeys, .withoutEscapingSlashes])
        return json(request: request, data: data, lastModified: found.map(\.updatedAt).max())
    }
}
