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
        router.get(RouterPath(SearchURL.page), use: page)
        router.get(RouterPath(SearchURL.json), use: json)
        router.get(RouterPath(SearchURL.openSearch), use: openSearch)
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
