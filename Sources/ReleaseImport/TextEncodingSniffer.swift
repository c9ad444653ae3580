import CLibXML2
import Foundation

/// Finds the character encoding of a saved web page the way the WHATWG HTML standard's
/// "encoding sniffing algorithm" does, minus network headers (there are none in a file):
/// a byte-order mark first, then a `<meta charset>` / `<meta http-equiv=Content-Type>` or an
/// XML declaration in the first 1024 bytes, then — since nothing was declared — UTF-8 when
/// the bytes are valid UTF-8 and Windows-1252 otherwise (what browsers assume for
/// undeclared Western pages). Unlike a browser, `parserLabel` lets valid UTF-8 beyond ASCII
/// override a declared legacy encoding: saved pages are often re-encoded and keep their `<meta>`.
enum TextEncodingSniffer {
    /// How the encoding was found, so the caller knows whether a fallback is allowed.
    enum Source: Equatable { case byteOrderMark, declared, guessed }

    /// The label to hand to the HTML parser (an IANA/WHATWG name such as "UTF-8",
    /// "windows-1252", "Shift_JIS") and where it came from.
    static func sniff(_ bytes: [UInt8]) -> (label: String, source: Source) {
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { return ("UTF-8", .byteOrderMark) }
        if bytes.starts(with: [0xFF, 0xFE]) { return ("UTF-16LE", .byteOrderMark) }
        if bytes.starts(with: [0xFE, 0xFF]) { return ("UTF-16BE", .byteOrderMark) }
        if let declared = declaredLabel(in: bytes) {
            return (normalized(declared), .declared)
        }
        return (isValidUTF8(bytes) ? "UTF-8" : "windows-1252", .guessed)
    }

    /// The encoding label to hand to libxml2 for `bytes`: the sniffed one when libxml2 (through
    /// iconv) can decode it and, for UTF-8, when the bytes really are UTF-8; otherwise UTF-8 for
    /// valid UTF-8 bytes and Windows-1252 for the rest. Passing a label explicitly also stops
    /// libxml2 from switching encodings half-way when it meets a `<meta>` later in the file.
    static func parserLabel(for bytes: [UInt8]) -> String {
        let (label, source) = sniff(bytes)
        if source == .byteOrderMark { return label }
        // A guessed label already says whether the bytes are valid UTF-8: no second validation.
        if source == .guessed { return label }
        if label.uppercased() == "UTF-8" {
            return isValidUTF8(bytes) ? "UTF-8" : "windows-1252"
        }
        if source == .declared, !isKnown(label) {
            return isValidUTF8(bytes) ? "UTF-8" : "windows-1252"
        }
        // A page saved by a tool that re-encoded it as UTF-8 but kept its `<meta charset>`
        // (Shift_JIS, Windows-1252, ...): text in a legacy encoding whose bytes above 0x7F
        // also form valid UTF-8 throughout is vanishingly rare, so valid UTF-8 wins.
        if bytes.contains(where: { $0 >= 0x80 }), isValidUTF8(bytes) { return "UTF-8" }
        return label
    }

    /// Whether libxml2 has a converter for `label`.
    static func isKnown(_ label: String) -> Bool {
        guard let handler = xmlFindCharEncodingHandler(label) else { return false }
        xmlCharEncCloseFunc(handler)
        return true
    }

    /// WHATWG maps these labels to Windows-1252: pages that say "ISO-8859-1" routinely
    /// hold curly quotes in 0x80–0x9F, which only Windows-1252 decodes.
    static func normalized(_ label: String) -> String {
        let l = label.lowercased()
        switch l {
        case "iso-8859-1", "iso8859-1", "latin1", "latin-1", "l1", "us-ascii", "ascii", "cp1252", "x-cp1252", "iso_8859-1", "cp819", "ibm819":
            return "windows-1252"
        case "utf8", "unicode-1-1-utf-8":
            return "UTF-8"
        // A page cannot really be UTF-16 when its ASCII meta tag was readable; WHATWG says UTF-8.
        case "utf-16", "utf-16le", "utf-16be":
            return "UTF-8"
        default:
            return label
        }
    }

    /// Whether `bytes` are UTF-8, as the standard library's validator says. A page is mostly
    /// ASCII markup: runs of ASCII are passed over eight bytes at a time, and each stretch of
    /// other bytes between two ASCII bytes goes to the validator. An ASCII byte is never part of
    /// a longer sequence, so the stretches of valid text are valid on their own, and a sequence
    /// that an ASCII byte cuts short is invalid in the stretch as in the whole.
    static func isValidUTF8(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBufferPointer { isValidUTF8($0) }
    }

    /// `isValidUTF8` for bytes in place (a page, or a stretch of one).
    static func isValidUTF8(_ buffer: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = buffer.baseAddress else { return true }
        let raw = UnsafeRawPointer(base)
        let count = buffer.count
        var i = 0
        while true {
            while i + 8 <= count, raw.loadUnaligned(fromByteOffset: i, as: UInt64.self) & 0x8080_8080_8080_8080 == 0 { i += 8 }
            while i < count, buffer[i] < 0x80 { i += 1 }
            if i == count { return true }
            var end = i + 1
            while end < count, buffer[end] >= 0x80 { end += 1 }
            let stretch = UnsafeBufferPointer(rebasing: buffer[i..<end])
            guard (try? UTF8Span(validating: Span(_unsafeElements: stretch))) != nil else { return false }
            i = end
        }
    }

    /// The charset a `<meta>` or the XML declaration names within the first 1024 bytes
    /// (the standard's prescan length), read as ASCII.
    static func declaredLabel(in bytes: [UInt8]) -> String? {
        let head = String(decoding: bytes.prefix(1024).map { $0 < 0x80 ? $0 : UInt8(ascii: " ") }, as: UTF8.self).lowercased()
        if head.hasPrefix("<?xml"), let m = xmlDecl.match(head), let label = m[1] { return label }
        for tag in metaTag.matches(head) {
            guard let attributes = tag[0] else { continue }
            if let m = charsetAttribute.match(attributes), let label = m[1] { return label }
        }
        return nil
    }

    private static let xmlDecl = Rx(#"^<\?xml[^>]*\bencoding\s*=\s*["']?([a-z0-9._:-]+)"#)
    private static let metaTag = Rx(#"<meta\b[^>]*>"#)
    /// `charset=` inside either the `charset` attribute or a Content-Type `content` value.
    private static let charsetAttribute = Rx(#"charset\s*=\s*["']?\s*([a-z0-9._:-]+)"#)
}
