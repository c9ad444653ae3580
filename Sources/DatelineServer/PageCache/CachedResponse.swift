import CompressNIO
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdCore

/// One rendered public response as the page cache holds it: the plain bytes, the same bytes
/// gzip-coded once (compress-nio), and what to answer with them.
///
/// Each coding is its own representation with its own strong ETag (`"<digest>"` and
/// `"<digest>-gz"`, RFC 9110 §8.8.3), chosen by Accept-Encoding; both answers carry
/// `Vary: Accept-Encoding`, and a matching If-None-Match or If-Modified-Since gets 304 as
/// ``ConditionalResponse`` gives it.
struct CachedResponse: Sendable {
    let identity: ByteBuffer
    /// Nil when gzip would not make the body smaller (a short robots.txt).
    let gzip: ByteBuffer?
    /// Content-Type, Cache-Control, Last-Modified and anything else the route set, without
    /// ETag, Vary, Content-Encoding and Content-Length, which are set per representation.
    let headers: HTTPFields
    let etag: String
    let gzipETag: String
    let lastModified: Date?

    /// Bytes the entry is counted as in the cache's bound: both bodies and the headers.
    var cost: Int {
        identity.readableBytes + (gzip?.readableBytes ?? 0) + headers.reduce(0) { $0 + $1.name.rawName.utf8.count + $1.value.utf8.count } + 128
    }

    /// The route's 200 answer made cacheable: `body` is its whole content, `headers` its headers.
    init(body: ByteBuffer, headers routeHeaders: HTTPFields) {
        identity = ByteBuffer(bytes: body.readableBytesView)
        var source = body
        let compressed = try? source.compress(with: .gzip())
        gzip = compressed.flatMap { $0.readableBytes < body.readableBytes ? ByteBuffer(bytes: $0.readableBytesView) : nil }
        var headers = routeHeaders
        for name in [HTTPField.Name.eTag, .vary, .contentEncoding, .contentLength] { headers[name] = nil }
        self.headers = headers
        // The route's own strong ETag when it gave one (ConditionalResponse: a digest of these bytes).
        let routeTag = routeHeaders[.eTag].flatMap { $0.hasPrefix("\"") && $0.hasSuffix("\"") && $0.count > 2 ? $0 : nil }
        etag = routeTag ?? ConditionalResponse.strongETag(of: body)
        gzipETag = String(etag.dropLast()) + "-gz\""
        lastModified = routeHeaders[.lastModified].flatMap(ConditionalResponse.parseHTTPDate)
    }

    /// The answer to `request`: the representation its Accept-Encoding prefers, or 304 Not
    /// Modified when its If-None-Match names that representation's ETag (a weak comparison, as
    /// RFC 9110 §13.1.2 asks for GET) or, without If-None-Match, its If-Modified-Since is not
    /// older than Last-Modified.
    func response(to request: Request) -> Response {
        let coded = gzip != nil && AcceptEncoding.prefersGzip(request.headers[.acceptEncoding])
        let tag = coded ? gzipETag : etag
        var headers = self.headers
        headers[.eTag] = tag
        headers[.vary] = "Accept-Encoding"
        if let ifNoneMatch = request.headers[.ifNoneMatch] {
            let candidates = ifNoneMatch.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            if candidates.contains("*") || candidates.contains(where: { $0 == tag || $0 == "W/" + tag }) {
                return Response(status: .notModified, headers: headers)
            }
        } else if let since = request.headers[.ifModifiedSince].flatMap(ConditionalResponse.parseHTTPDate), let lastModified,
                  Int(lastModified.timeIntervalSince1970) <= Int(since.timeIntervalSince1970) {
            return Response(status: .notModified, headers: headers)
        }
        if coded { headers[.contentEncoding] = "gzip" }
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: coded ? gzip! : identity))
    }
}
