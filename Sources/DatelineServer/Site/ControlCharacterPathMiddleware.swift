import Hummingbird

/// Refuses a request whose path, once percent-decoded, holds a control character (U+0000–U+001F,
/// U+007F–U+009F), with 400 Bad Request.
///
/// No route or file has such a name, and passing one on does harm: a NUL ends a C string, so
/// `/css/site.css%00.txt` reached the stylesheet's bytes while its type was taken from ".txt"
/// (served as `text/plain`), and CR or LF could split a header a path is copied into. Placed
/// ahead of `FileMiddleware` and every route, so nothing behind it sees such a path.
struct ControlCharacterPathMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard Self.hasControlCharacter(request.uri.path) else { return try await next(request, context) }
        return Response(
            status: .badRequest,
            headers: [.contentType: "text/plain; charset=utf-8", .cacheControl: "no-store"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: "Bad request: the address contains a control character (such as %00), which no page of this site has.\n"))
        )
    }

    /// Whether the path, raw or percent-decoded, contains a control character. A path whose
    /// percent-encoding does not decode to UTF-8 is checked byte by byte after decoding.
    static func hasControlCharacter(_ path: String) -> Bool {
        // The usual path, printable ASCII with no percent sign, has none: said without decoding.
        if !path.utf8.contains(where: { $0 < 0x20 || $0 >= 0x7F || $0 == UInt8(ascii: "%") }) { return false }
        return decodedBytes(path).contains { $0 < 0x20 || $0 == 0x7F } || (path.removingPercentEncoding ?? "").unicodeScalars.contains { (0x80...0x9F).contains($0.value) }
    }

    /// The path's bytes with every `%XX` replaced by the byte it names; a `%` not followed by two
    /// hex digits is kept as it is.
    private static func decodedBytes(_ path: String) -> [UInt8] {
        let bytes = Array(path.utf8)
        var result: [UInt8] = []
        result.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "%"), index + 2 < bytes.count, let high = hex(bytes[index + 1]), let low = hex(bytes[index + 2]) {
                result.append(high << 4 | low)
                index += 3
            } else {
                result.append(bytes[index])
                index += 1
            }
        }
        return result
    }

    private static func hex(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
