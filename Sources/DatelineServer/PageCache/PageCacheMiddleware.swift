import HTTPTypes
import Hummingbird
import HummingbirdCore

/// Puts the page cache in front of the public read routes (``PageCacheRoute``): GET and HEAD
/// are answered from a held response when there is one; otherwise the route renders, and a
/// 200 that sets no cookie and allows storing is held (both codings) and answered from, so a
/// miss is coded and validated as a hit is.
///
/// Sits inside ``NotFoundMiddleware``: a 404 (an unknown path, a hidden or missing release) is
/// thrown past it and never held, so hidden slugs cost nothing and cannot fill the cache.
struct PageCacheMiddleware<Context: RequestContext>: RouterMiddleware {
    let cache: PageCache

    static var statusHeader: HTTPField.Name { HTTPField.Name("X-Cache")! }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard request.method == .get || request.method == .head else { return try await next(request, context) }
        // A route asked without a query is held under its path as it is, so a held path is
        // answered before its route is worked out (the usual hit: a release page, a feed).
        if request.uri.query?.isEmpty ?? true, case .hit(let held) = cache.lookup(request.uri.path, countsMiss: false) {
            return marked(held.response(to: request), "hit")
        }
        guard let route = PageCacheRoute.of(request.uri) else { return try await next(request, context) }
        if case .hit(let held) = cache.lookup(route.key) {
            return marked(held.response(to: request), "hit")
        }
        let ticket = cache.ticket()
        // The route renders its whole 200 even for a conditional request; the answer to the
        // condition comes from what is held. It renders exactly what the key names: query
        // parameters it does not read are taken off.
        var head = request.head
        head.headerFields[.ifNoneMatch] = nil
        head.headerFields[.ifModifiedSince] = nil
        head.path = route.target
        let response = try await next(Request(head: head, body: request.body), context)
        guard response.status == .ok, response.headers[.setCookie] == nil,
              !(response.headers[.cacheControl] ?? "").contains("no-store"), !(response.headers[.cacheControl] ?? "").contains("private")
        else { return response }
        let collector = BodyCollector()
        try await response.body.write(collector.writer)
        let held = CachedResponse(body: collector.body, headers: response.headers)
        await cache.store(held, route: route, ticket: ticket)
        return marked(held.response(to: request), "miss")
    }

    private func marked(_ response: Response, _ status: String) -> Response {
        guard cache.reportsStatus else { return response }
        var response = response
        response.headers[Self.statusHeader] = status
        return response
    }
}

/// Gathers a response body's bytes, however the route wrote them.
struct BodyCollector {
    private let box = Box()

    final class Box: @unchecked Sendable {
        var buffer = ByteBuffer()
    }

    struct Writer: ResponseBodyWriter {
        let box: Box
        mutating func write(_ buffer: ByteBuffer) async throws {
            var buffer = buffer
            box.buffer.writeBuffer(&buffer)
        }
        consuming func finish(_ trailingHeaders: HTTPFields?) async throws {}
    }

    var writer: Writer { Writer(box: box) }
    var body: ByteBuffer { box.buffer }
}
