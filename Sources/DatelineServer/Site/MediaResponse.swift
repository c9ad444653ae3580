import FluentKit
import Foundation
import Hummingbird
import NIOCore

/// The answer carrying a media file: its type, an ETag (a rendition's id names one content for
/// ever), a 304 for a matching `If-None-Match` (its bytes never read), and the bytes read from
/// the database only as the body is sent, at most ``downloads`` files at once per process, so
/// that many slow downloads of a large file do not each hold a copy. A document is offered under
/// the name it was uploaded with (RFC 6266) and sandboxed (CSP `sandbox`: no script runs under
/// the site's origin even if a viewer would run one).
enum MediaResponse {
    /// Files read and being sent at once.
    static let downloads = RenderLimit(limit: 8)

    /// `cacheControl`: `public, max-age=…` on the public path, `private, no-store` before the lift.
    static func make(_ file: MediaFile, request: Request, cacheControl: String, database: any Database) -> Response {
        let etag = "\"\(file.id)\""
        var headers: HTTPFields = [
            .contentType: file.mediaType,
            .cacheControl: cacheControl,
            .eTag: etag,
        ]
        if file.kind == .document {
            headers[.contentDisposition] = contentDisposition(file.fileName)
            headers[.contentSecurityPolicy] = "sandbox"
        }
        if let match = request.headers[.ifNoneMatch], match.split(separator: ",").contains(where: { $0.trimmingCharacters(in: .whitespaces) == etag || $0.trimmingCharacters(in: .whitespaces) == "*" }) {
            return Response(status: .notModified, headers: headers)
        }
        let body = ResponseBody(contentLength: file.byteSize) { writer in
            await downloads.acquire()
            defer { downloads.release() }
            let bytes = try await file.bytes(on: database)
            try await writer.write(ByteBuffer(bytes: bytes))
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: headers, body: body)
    }

    /// `inline` with the name as ASCII (others replaced) and as UTF-8 (RFC 5987 `filename*`).
    static func contentDisposition(_ name: String) -> String {
        let ascii = String(name.unicodeScalars.map { $0.isASCII && $0 != "\"" && $0 != "\\" && $0.value >= 0x20 && $0.value != 0x7F ? Character($0) : "_" })
        // RFC 5987 attr-char: ALPHA / DIGIT / "!" / "#" / "$" / "&" / "+" / "-" / "." / "^" / "_" / "`" / "|" / "~"
        let attrChars = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!#$&+-.^_`|~")
        let encoded = name.addingPercentEncoding(withAllowedCharacters: attrChars) ?? ascii
        return "inline; filename=\"\(ascii)\"; filename*=UTF-8''\(encoded)"
    }
}
