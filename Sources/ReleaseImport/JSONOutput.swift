import Foundation

/// Writes an `ImportedRelease` as JSON by hand, byte for byte what the Foundation encoders print.
///
/// Why: JSONEncoder (and the CLI's JSONSerialization pass that turned its output into one line)
/// took an eighth of the import time for a value that is only strings, nulls, arrays and objects
/// with fixed keys. The layout copied here is swift-foundation's:
/// - pretty (`JSONEncoder` with `.prettyPrinted, .sortedKeys, .withoutEscapingSlashes`):
///   two-space indent, `"key" : value`, an empty array as `[`, blank line, indent, `]`;
/// - compact (`JSONSerialization` with `.sortedKeys, .withoutEscapingSlashes`): no spaces at all.
/// Both escape only `"`, `\` and U+0000–U+001F (`\b \t \n \f \r`, else `\u00xx` in lower-case hex).
/// Keys are written in sorted (byte) order. The tests compare this writer with JSONEncoder.
struct JSONOutput {
    private(set) var bytes: [UInt8] = []
    private let pretty: Bool
    private var depth = 0

    private init(pretty: Bool) {
        self.pretty = pretty
        bytes.reserveCapacity(8192)
    }

    static func encode(_ r: ImportedRelease, pretty: Bool) -> [UInt8] {
        var w = JSONOutput(pretty: pretty)
        w.release(r)
        return w.bytes
    }

    private mutating func release(_ r: ImportedRelease) {
        // Sorted keys: body, boilerplate, confidence, contacts, date, dateline_city, embargo_until, headline,
        // issuer, language, quotes, release_timing, social_profiles, statement_url, subheadline.
        openObject()
        key("body", first: true); array(r.body) { w, s in w.string(s) }
        key("boilerplate"); optional(r.boilerplate)
        key("confidence"); confidence(r.confidence)
        key("contacts"); array(r.contacts) { w, c in w.contact(c) }
        key("date"); optional(r.date)
        key("dateline_city"); optional(r.datelineCity)
        key("embargo_until"); optional(r.embargoUntil.map(ISO8601.format))
        key("headline"); optional(r.headline)
        key("issuer"); optional(r.issuer)
        key("language"); string(r.language)
        key("quotes"); array(r.quotes) { w, q in w.quote(q) }
        key("release_timing"); optional(r.releaseTiming?.rawValue)
        key("social_profiles"); array(r.socialProfiles) { w, p in w.profile(p) }
        key("statement_url"); optional(r.statementURL)
        key("subheadline"); optional(r.subheadline)
        closeObject()
    }

    private mutating func confidence(_ c: FieldConfidence) {
        openObject()
        for (n, field) in c.byKey.enumerated() {
            key(field.key, first: n == 0)
            number(field.value)
        }
        closeObject()
    }

    /// A number as the Foundation encoders print a Double: whole values without a fraction
    /// ("1", "0"), others in their shortest round-tripping form ("0.87").
    private mutating func number(_ d: Double) {
        let text = d == d.rounded() && abs(d) < 1e15 ? String(Int64(d)) : "\(d)"
        bytes.append(contentsOf: Array(text.utf8))
    }

    private mutating func contact(_ c: ImportedContact) {
        openObject()
        key("email", first: true); optional(c.email)
        key("name"); optional(c.name)
        key("organization"); optional(c.organization)
        key("phone"); optional(c.phone)
        key("title"); optional(c.title)
        closeObject()
    }

    private mutating func quote(_ q: ImportedQuote) {
        openObject()
        key("role", first: true); optional(q.role)
        key("speaker"); optional(q.speaker)
        key("text"); string(q.text)
        closeObject()
    }

    private mutating func profile(_ p: ImportedSocialProfile) {
        openObject()
        key("handle_or_url", first: true); string(p.handleOrURL)
        key("network"); string(p.network)
        closeObject()
    }

    // MARK: layout

    private mutating func newlineAndIndent() {
        bytes.append(0x0A)
        for _ in 0..<(depth * 2) { bytes.append(0x20) }
    }

    private mutating func openObject() {
        bytes.append(UInt8(ascii: "{"))
        depth += 1
    }

    private mutating func closeObject() {
        depth -= 1
        if pretty { newlineAndIndent() }
        bytes.append(UInt8(ascii: "}"))
    }

    private mutating func key(_ k: StaticString, first: Bool = false) {
        k.withUTF8Buffer { keyBytes($0, first: first) }
    }

    private mutating func key(_ k: String, first: Bool = false) {
        keyBytes(Array(k.utf8), first: first)
    }

    private mutating func keyBytes<C: Collection>(_ k: C, first: Bool) where C.Element == UInt8 {
        if !first { bytes.append(UInt8(ascii: ",")) }
        if pretty { newlineAndIndent() }
        bytes.append(UInt8(ascii: "\""))
        bytes.append(contentsOf: k)
        bytes.append(UInt8(ascii: "\""))
        if pretty {
            bytes.append(contentsOf: [0x20, UInt8(ascii: ":"), 0x20])
        } else {
            bytes.append(UInt8(ascii: ":"))
        }
    }

    private mutating func array<T>(_ items: [T], _ element: (inout JSONOutput, T) -> Void) {
        bytes.append(UInt8(ascii: "["))
        depth += 1
        if items.isEmpty {
            // JSONEncoder prints an empty array as "[", an empty line, then "]" at the parent's indent.
            if pretty { bytes.append(0x0A) }
        }
        for (n, item) in items.enumerated() {
            if n > 0 { bytes.append(UInt8(ascii: ",")) }
            if pretty { newlineAndIndent() }
            element(&self, item)
        }
        depth -= 1
        if pretty { newlineAndIndent() }
        bytes.append(UInt8(ascii: "]"))
    }

    private mutating func optional(_ s: String?) {
        if let s { string(s) } else { bytes.append(contentsOf: [0x6E, 0x75, 0x6C, 0x6C]) }
    }

    private static let hex: [UInt8] = Array("0123456789abcdef".utf8)

    private mutating func string(_ s: String) {
        bytes.append(UInt8(ascii: "\""))
        var s = s
        s.withUTF8 { utf8 in
            var runStart = 0
            for i in 0..<utf8.count {
                let b = utf8[i]
                guard b < 0x20 || b == 0x22 || b == 0x5C else { continue }
                if runStart < i { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<i])) }
                runStart = i + 1
                bytes.append(0x5C)
                switch b {
                case 0x22: bytes.append(0x22)
                case 0x5C: bytes.append(0x5C)
                case 0x08: bytes.append(UInt8(ascii: "b"))
                case 0x09: bytes.append(UInt8(ascii: "t"))
                case 0x0A: bytes.append(UInt8(ascii: "n"))
                case 0x0C: bytes.append(UInt8(ascii: "f"))
                case 0x0D: bytes.append(UInt8(ascii: "r"))
                default:
                    bytes.append(contentsOf: [UInt8(ascii: "u"), 0x30, 0x30, Self.hex[Int(b >> 4)], Self.hex[Int(b & 0xF)]])
                }
            }
            if runStart < utf8.count { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart...])) }
        }
        bytes.append(UInt8(ascii: "\""))
    }
}
