import Foundation
import Hummingbird
import NIOCore

/// The answer carrying a media file: its type, its bytes, an ETag (a rendition's id names one
/// content for ever) and a 304 for a matching `If-None-Match`; a document is offered under the
/// name it was uploaded with (RFC 6266).
enum MediaResponse {
    /// `cacheControl`: `public, max-age=…` on the public path, `private, no-store` before the lift.
    static func make(_ file: MediaFile, request: Request, cacheControl: String) -> Response {
        let etag = "\"\(file.id)\""
        var headers: HTTPFields = [
            .contentType: file.mediaType,
            .cacheControl: cacheControl,
            .eTag: etag,
        ]
        if file.kind == .document {
            let ascii = String(file.fileName.unicodeScalars.map { $0.isASCII && $0 != "\"" && $0 != "\\" && $0.value >= 0x20 ? Character($0) : "_" })
            let encoded = file.fileName.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? ascii
            headers[.contentDisposition] = "inline; filename=\"\(ascii)\"; filename*=UTF-8''\(encoded)"
        }
        if let match = request.headers[.ifNoneMatch], match.split(separator: ",").contains(where: { $0.trimmingCharacters(in: .whitespaces) == etag || $0.trimmingCharacters(in: .whitespaces) == "*" }) {
            return Response(status: .notModified, headers: headers)
        }
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: file.bytes)))
    }
}
