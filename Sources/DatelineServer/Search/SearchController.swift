import DatelineCore
import Foundation
import Hummingbird

/// `/search` (the page), `/search.json` (the same search for programs, docs/search.md) and
/// `/opensearch.xml` (OpenSearch 1.1, so browsers can add the site's search). Neither search
/// route is in the page cache (``PageCacheRoute`` names no such path): each answer is read
/// through ``ReleaseSearch`` at the time of the request. Any query string answers 200.
struct SearchController<Context: RequestContext> {
    let hub: DatabaseHub
    let settings: Settings
    let renderer: PageRenderer
    let clock: @Sendable () -> Date

    func addRoutes(to router: Router<Context>) {
        router.getAndHead(RouterPath(SearchURL.page), use: page)
        router.getAndHead(RouterPath(SearchURL.json), use: json)
        router.getAndHead(RouterPath(SearchURL.openSearch), use: openSearch)
    }

    private func search(_ request: Request) async throws -> (SearchParameters, SearchResults?) {
        var parameters = SearchParameters(query: request.uri.query)
        let search = ReleaseSearch(releases: PublicReleases(database: try hub.database, now: clock()))
        let results = try await search.search(parameters, per: settings.pageSize)
        // The page shown, which is the last when the one asked for is past it.
        if let results { parameters.page = results.page }
        return (parameters, results)
    }

    @Sendable func page(request: Request, context: Context) async throws -> Response {
        let (parameters, results) = try await search(request)
        return try renderer.page("search", SearchPage(settings: settings, parameters: parameters, results: results))
    }

    @Sendable func json(request: Request, context: Context) async throws -> Response {
        let (parameters, results) = try await search(request)
        let body = SearchJSON(parameters: parameters, results: results, base: settings.baseURL)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8"], body: ResponseBody(byteBuffer: ByteBuffer(data: try encoder.encode(body))))
    }

    @Sendable func openSearch(request: Request, context: Context) async throws -> Response {
        let description = OpenSearchDescription(settings: settings)
        return Response(
            status: .ok, headers: [.contentType: "application/opensearchdescription+xml; charset=utf-8"],
            body: ResponseBody(byteBuffer: try renderer.html("opensearch", description))
        )
    }
}

/// The OpenSearch 1.1 description document's values (`opensearch.mustache`).
struct OpenSearchDescription {
    /// At most 16 characters (OpenSearch 1.1).
    var shortName: String
    var siteName: String
    var htmlTemplate: String
    var jsonTemplate: String
    var selfURL: String

    init(settings: Settings) {
        let base = settings.baseURL.absoluteString
        shortName = String(settings.siteName.prefix(16))
        siteName = settings.siteName
        htmlTemplate = base + SearchURL.page + "?q={searchTerms}&page={startPage?}"
        jsonTemplate = base + SearchURL.json + "?q={searchTerms}&page={startPage?}"
        selfURL = base + SearchURL.openSearch
    }
}

/// `/search.json`'s document (docs/search.md).
struct SearchJSON: Encodable {
    struct Organization: Encodable { var name: String; var slug: String; var url: String }
    struct Result: Encodable {
        var headline: String
        var subheadline: String?
        var url: String
        var organization: Organization
        var date: Date
        var language: String
        /// HTML: text escaped, matched words in `<mark>`.
        var snippet: String
        var snippetText: String
    }
    struct Value: Encodable { var value: String; var label: String; var count: Int; var url: String }
    struct Facets: Encodable { var organization: [Value]; var topic: [Value]; var language: [Value]; var year: [Value] }

    var query: String
    var sort: String
    var filters: [String: String]
    var total: Int
    var totalIsLowerBound: Bool
    var page: Int
    var pages: Int
    var results: [Result]
    var facets: Facets
    var next: String?
    var previous: String?

    init(parameters: SearchParameters, results: SearchResults?, base: URL) {
        let root = base.absoluteString
        query = parameters.q
        sort = parameters.sort.rawValue
        var filters: [String: String] = [:]
        if let organization = parameters.organization { filters["organization"] = organization.rawValue }
        if let topic = parameters.topic { filters["topic"] = topic.rawValue }
        if let language = parameters.language { filters["language"] = language.rawValue }
        if let year = parameters.year { filters["year"] = String(year) }
        self.filters = filters
        total = results?.total ?? 0
        totalIsLowerBound = results?.isCapped ?? false
        page = parameters.page
        pages = results?.pageCount ?? 0
        self.results = (results?.hits ?? []).map { hit in
            Result(
                headline: hit.headline, subheadline: hit.subheadline, url: SiteURL.release(hit.slug).absoluteString(base: base),
                organization: Organization(name: hit.organizationName, slug: hit.organizationSlug.rawValue, url: SiteURL.organization(hit.organizationSlug).absoluteString(base: base)),
                date: hit.releasedAt, language: hit.language.rawValue, snippet: hit.snippet.html, snippetText: hit.snippet.plainText
            )
        }
        func values(_ counts: [FacetCount], _ change: @escaping (inout SearchParameters, String) -> Void) -> [Value] {
            counts.map { count in Value(value: count.value, label: count.label, count: count.count, url: root + parameters.with { change(&$0, count.value) }.path(json: true)) }
        }
        let facets = results?.facets ?? SearchFacets()
        self.facets = Facets(
            organization: values(facets.organizations) { $0.organization = Slug(validating: $1) },
            topic: values(facets.topics) { $0.topic = Slug(validating: $1) },
            language: values(facets.languages) { $0.language = LanguageTag($1) },
            year: values(facets.years) { $0.year = Int($1) }
        )
        if let results, results.page < results.pageCount { next = root + parameters.withPage(results.page + 1).path(json: true) }
        if let results, results.page > 1 { previous = root + parameters.withPage(results.page - 1).path(json: true) }
    }
}
