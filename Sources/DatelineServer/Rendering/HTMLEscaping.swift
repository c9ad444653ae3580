import Mustache

/// HTML text escaping for the templates (`{{% CONTENT_TYPE: HTML}}`, registered by
/// ``PageRenderer/load(resourcesDirectory:)`` in place of swift-mustache's own).
///
/// Escapes the same five characters as swift-mustache (`< > & " '`), but byte by byte over the
/// UTF-8 text: the library looks each `Character` up in a dictionary, which is slow, and misses a
/// quotation mark followed by a combining mark (one grapheme cluster, yet a browser still ends an
/// attribute at the `"`). Text without any of the five is returned as it is.
struct HTMLEscaping: MustacheContentType {
    func escapeText(_ text: String) -> String {
        Self.escaped(text)
    }

    static func escaped(_ text: String) -> String {
        var text = text
        return text.withUTF8 { bytes in
            guard let first = bytes.firstIndex(where: needsEscape) else { return nil }
            var out: [UInt8] = []
            out.reserveCapacity(bytes.count + 32)
            out.append(contentsOf: bytes[..<first])
            for byte in bytes[first...] {
                switch byte {
                case UInt8(ascii: "<"): out.append(contentsOf: "&lt;".utf8)
                case UInt8(ascii: ">"): out.append(contentsOf: "&gt;".utf8)
                case UInt8(ascii: "&"): out.append(contentsOf: "&amp;".utf8)
                case UInt8(ascii: "\""): out.append(contentsOf: "&quot;".utf8)
                case UInt8(ascii: "'"): out.append(contentsOf: "&#39;".utf8)
                default: out.append(byte)
                }
            }
            return String(decoding: out, as: UTF8.self)
        } ?? text
    }

    private static func needsEscape(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "<") || byte == UInt8(ascii: ">") || byte == UInt8(ascii: "&") || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'")
    }
}
