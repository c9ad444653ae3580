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
        router.get(SiteURL.Pattern.ninjs2) { request, context in
            let release = try await release(context)
            return json(request: request, data: try ReleaseRepresentations(settings: settings).ninjs(release).jsonData(version: .v2), lastModified: release.updatedAt)
        }
        router.get(SiteURL.Pattern.ninjs3) { request, context in
            let release = try await release(context)
            return json(request: request, data: try ReleaseRepresentations(settings: settings).ninjs(release).jsonData(version: .v3), lastModified: release.updatedAt)
        }
        router.get(SiteURL.Pattern.newsML) { request, context in
            let release = try await release(context)
            let pictures = Dictionary(release.media.filter { $0.kind == .image }.map { ($0.id, SiteURL.newsMLPicture(release.slug, $0.id).absolute(base: settings.baseURL)) }) { first, _ in first }
            let item = NewsMLG2Item(entry: ReleaseRepresentations(settings: settings).entry(release), pictureItemURLs: release.isRetracted ? [:] : pictures)
            return ConditionalResponse.make(request: request, body: ByteBuffer(bytes: item.xmlData()), contentType: "\(NewsMLG2Item.mediaType); charset=utf-8", lastModified: release.updatedAt, freshness: .document)
        }
        // A photo of a listed release as a NewsML-G2 picture item; anything else, 404.
        router.get(SiteURL.Pattern.newsMLPicture) { request, context in
            let release = try await release(context)
            guard !release.isRetracted, let id = context.parameters.get("file").flatMap(MediaID.init),
                  let media = release.media.first(where: { $0.id == id && $0.kind == .image })
            else { throw HTTPError(.notFound) }
            let item = NewsMLG2PictureItem(entry: ReleaseRepresentations(settings: settings).entry(release), media: media)
            return ConditionalResponse.make(request: request, body: ByteBuffer(bytes: item.xmlData()), contentType: "\(NewsMLG2Item.mediaType); charset=utf-8", lastModified: release.updatedAt, freshness: .document)
        }
        router.get(SiteURL.Pattern.ninjsList, use: list)
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

    /// `{"page": 1|null, "per_page": 20, "next": url|null, "previous": url|null, "items": [ninjs 2.1 …]}`,
    /// most recently changed first (retractions included, with pubstatus `canceled`). `?page=n`
    /// counts pages from the newest; `?before=slug` starts after that release, and is what "next"
    /// links to, so a client paging back through the whole archive costs the same at any depth
    /// (such pages have "page" and "previous" null).
    @Sendable func list(request: Request, context: Context) async throws -> Response {
        let query = request.uri.queryParameters
        // Newer pages are not offered: a client polls the first page.
        guard query.get("after") == nil else { throw HTTPError(.notFound) }
        let per = Self.listPageSize
        let page: Int?
        let found: [Release]
        switch (query.get("page"), query.get("before")) {
        case (nil, let before?):
            guard let slug = Slug(validating: String(before)) else { throw HTTPError(.notFound) }
            page = nil
            found = try await releases.forFeed(.site, limit: per + 1, before: slug)
            if found.isEmpty { throw HTTPError(.notFound) }
        case (let number, nil):
            let value = number.map { Int(String($0)) } ?? 1
            guard let value, (1...PublicReleases.maximumPage).contains(value) else { throw HTTPError(.notFound) }
            page = value
            found = try await releases.forFeed(.site, limit: per + 1, offset: (value - 1) * per)
            if found.isEmpty && value > 1 { throw HTTPError(.notFound) }
        default:
            throw HTTPError(.notFound)
        }
        let representations = ReleaseRepresentations(settings: settings)
        let items = try found.prefix(per).map { try representations.ninjs($0).jsonObject(version: .v2) }
        let document: [String: Any] = [
            "page": page.map { $0 as Any } ?? NSNull(),
            "per_page": per,
            "next": found.count > per ? SiteURL.ninjsListBefore(found[per - 1].slug).absolute(base: settings.baseURL).absoluteString : NSNull(),
            "previous": page.flatMap { $0 > 1 ? SiteURL.ninjsList(page: $0 - 1).absolute(base: settings.baseURL).absoluteString : nil } ?? NSNull(),
            "items": items,
        ]
        let data = try JSONSerialization.data(withJSONObject: document, options: [.sortedKeys, .withoutEscapingSlashes])
        return json(request: request, data: data, lastModified: found.map(\.updatedAt).max())
    }
}
