import Crypto
import Foundation
import Hummingbird
import Syndication

/// Responses that caches and feed readers can revalidate: a strong ETag (a digest of the
/// bytes), Last-Modified when the content's last change is known, Cache-Control, and
/// 304 Not Modified for a matching If-None-Match or If-Modified-Since (RFC 9110 §13, RFC 9111 §5.2).
///
/// Every such response says `Vary: Accept-Encoding`: with the page cache on, the same address
/// is answered gzip-coded or plain by the request's Accept-Encoding (``CachedResponse``).
enum ConditionalResponse {
    /// How long readers and shared caches (a CDN in front) may reuse a response without asking
    /// again (RFC 9111 §5.2.2, RFC 5861): `max-age` for browsers and feed readers, a short
    /// `s-maxage` for shared caches, so that a correction or retraction reaches every reader of a
    /// CDN within a minute or two, and `stale-while-revalidate` so that a CDN keeps answering
    /// while it asks again. See docs/operations.md, "The page cache and CDNs".
    enum Freshness {
        case page
        case feed
        case document

        /// Seconds a browser or feed reader may reuse the response.
        var maxAge: Int {
            switch self {
            case .page: 60
            case .feed: 300
            case .document: 600
            }
        }

        /// Seconds a shared cache may reuse the response.
        var sharedMaxAge: Int {
            switch self {
            case .page: 30
            case .feed, .document: 60
            }
        }

        /// Seconds past `s-maxage` a shared cache may answer with the response while it fetches a new one.
        var staleWhileRevalidate: Int { sharedMaxAge }

        var cacheControl: String {
            "public, max-age=\(maxAge), s-maxage=\(sharedMaxAge), stale-while-revalidate=\(staleWhileRevalidate)"
        }
    }

    /// A strong ETag for these bytes: the first 16 bytes of their SHA-256 in lower-case hex, quoted
    /// (RFC 9110 §8.8.3).
    static func strongETag(of body: ByteBuffer) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var tag: [UInt8] = [UInt8(ascii: "\"")]
        for byte in SHA256.hash(data: Data(body.readableBytesView)).prefix(16) {
            tag.append(digits[Int(byte >> 4)])
            tag.append(digits[Int(byte & 0x0F)])
        }
        tag.append(UInt8(ascii: "\""))
        return String(decoding: tag, as: UTF8.self)
    }

    static func make(
        request: Request,
        body: ByteBuffer,
        contentType: String,
        lastModified: Date?,
        freshness: Freshness
    ) -> Response {
        let etag = strongETag(of: body)
        var headers: HTTPFields = [
            .contentType: contentType,
            .eTag: etag,
            .cacheControl: freshness.cacheControl,
            .vary: "Accept-Encoding",
        ]
        if let lastModified { headers[.lastModified] = httpDate(lastModified) }

        if let ifNoneMatch = request.headers[.ifNoneMatch] {
            // A weak comparison is right for GET (RFC 9110 §13.1.2).
            let candidates = ifNoneMatch.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            if candidates.contains("*") || candidates.contains(where: { $0 == etag || $0 == "W/" + etag }) {
                return Response(status: .notModified, headers: headers)
            }
        } else if let since = request.headers[.ifModifiedSince].flatMap(parseHTTPDate), let lastModified,
                  Int(lastModified.timeIntervalSince1970) <= Int(since.timeIntervalSince1970) {
            return Response(status: .notModified, headers: headers)
        }
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: body))
    }

    /// IMF-fixdate (RFC 9110 §5.6.7), e.g. `Sun, 06 Nov 1994 08:49:37 GMT`.
    static func httpDate(_ date: Date) -> String {
        IMFDate.string(from: date)
    }

    static func parseHTTPDate(_ text: String) -> Date? {
        IMFDate.date(from: text)
    }
}
