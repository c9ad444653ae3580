import Foundation

/// The bodies of a UTF-8 page's `<script>` and `<style>` elements, cut out before libxml2
/// reads the page, and the check afterwards that libxml2 read the page as the cut predicted.
///
/// Why: scripts and styles are about a quarter of a saved page's bytes, the reader never
/// looks at them (except JSON-LD, which is never cut), and libxml2's HTML parser decodes and
/// copies their every character one call at a time. Without them libxml2 spends about a
/// tenth less on a page; a page's import, the scan included, takes 2 to 3 % less
/// (BENCHMARKS.md).
///
/// How it stays exact: each cut body is replaced by a marker ("~dateline-elided-body-7"; the
/// tilde, rare in pages, makes the check that a page does not already hold one quick), and
/// the tree libxml2 builds must hold every marker, in order, as the whole text of a script or
/// style element named as predicted, read as that element's body (raw text, see `confirm`);
/// otherwise the caller parses the page as it came. When libxml2 reads a script's body from
/// the marker's place, everything before it was read from bytes
/// identical to the original's, and libxml2 2.9's HTML parser in recovery mode reads a script
/// or style body as opaque characters up to the first `</script` (or `</style`), in any case:
/// exactly the bytes cut. What a body holds can otherwise change only the parser's error
/// reports, so a body is cut only when it cannot do more than that in any libxml2 2.9
/// release: it does not open with `<` (a tag or end tag there is parsed as markup), holds no
/// control characters (older releases end a body at one) and is valid UTF-8 (releases differ
/// in what they make of broken sequences).
///
/// Our own code: libxml2 has no option to skip script and style content. The scan is a small
/// guess at where such content is; libxml2's own tree confirms every guess it acts on.
struct RawTextElision {
    /// One cut: the body's byte range in the original page, and whether it is a script's.
    struct Cut {
        var body: Range<Int>
        var isScript: Bool
    }

    /// The cuts, in document order.
    let cuts: [Cut]
    /// The page with each cut body replaced by its marker.
    let elided: [UInt8]

    /// Bodies shorter than this (in bytes) are left: a marker and its check cost more than they save.
    static let shortestCut = 48
    static let markerPrefix = Array("~dateline-elided-body-".utf8)

    private static let commentEnd = Array("-->".utf8), tagEnd = Array(">".utf8), json = Array("json".utf8)
    private static let script = Array("script".utf8), style = Array("style".utf8)
    private static let scriptClose = Array("</script".utf8), styleClose = Array("</style".utf8)

    static func marker(_ index: Int) -> [UInt8] { markerPrefix + Array(String(index).utf8) }

    /// Plans the cuts for `page` (UTF-8 bytes). `nil` when there is nothing worth cutting, or
    /// when the page already holds the marker text (a marker must be unambiguous).
    init?(page: [UInt8]) {
        let found = page.withUnsafeBufferPointer { Self.scan($0) }
        guard !found.isEmpty else { return nil }
        if page.withUnsafeBufferPointer({ Self.find(Self.markerPrefix, in: $0, from: 0, ignoringCase: false) }) != nil { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(page.count - found.reduce(0) { $0 + $1.body.count } + found.count * 32)
        var copied = 0
        for (index, cut) in found.enumerated() {
            out.append(contentsOf: page[copied..<cut.body.lowerBound])
            out.append(contentsOf: Self.marker(index))
            copied = cut.body.upperBound
        }
        out.append(contentsOf: page[copied...])
        cuts = found
        elided = out
    }

    /// The script and style bodies of `page` worth cutting. Comments are stepped over, so that
    /// a commented-out script costs no fallback; anything else the scan misjudges (a tag
    /// inside an attribute value, a `<script>` written inside another element's text) makes
    /// the check fail, never a wrong tree.
    private static func scan(_ page: UnsafeBufferPointer<UInt8>) -> [Cut] {
        var cuts: [Cut] = []
        var i = 0
        let n = page.count
        while let lt = find(lessThan: page, from: i) {
            i = lt + 1
            if startsWith(page, at: lt + 1, "!--") {
                // libxml2 ends a comment at the first "-->" after "<!--" plus at least two characters
                // (2.9.14 also at "--!>", which can only come earlier: a script after it is not cut).
                guard let end = find(commentEnd, in: page, from: lt + 4, ignoringCase: false) else { break }
                i = end + 3
                continue
            }
            let isScript: Bool
            if startsWith(page, at: lt + 1, "script", ignoringCase: true) {
                isScript = true
            } else if startsWith(page, at: lt + 1, "style", ignoringCase: true) {
                isScript = false
            } else {
                continue
            }
            let name = isScript ? script : style
            let afterName = lt + 1 + name.count
            // The element's name must end there (libxml2 reads letters, digits, ':', '-', '_' and '.' as part of it).
            guard afterName < n, !isNameByte(page[afterName]) else { continue }
            guard let gt = find(tagEnd, in: page, from: afterName, ignoringCase: false) else { break }
            guard let close = find(isScript ? scriptClose : styleClose, in: page, from: gt + 1, ignoringCase: true) else { break }
            i = close
            let body = (gt + 1)..<close
            // "<script .../>" is an empty element to libxml2; JSON-LD is read; short bodies are not worth it.
            if page[gt - 1] == UInt8(ascii: "/") || body.count < shortestCut { continue }
            if find(json, in: UnsafeBufferPointer(rebasing: page[lt..<gt]), from: 0, ignoringCase: true) != nil { continue }
            guard isOpaque(UnsafeBufferPointer(rebasing: page[body])) else { continue }
            cuts.append(Cut(body: body, isScript: isScript))
        }
        return cuts
    }

    /// A body whose content can change nothing but libxml2's error reports (see the type's
    /// comment). U+FFFE and U+FFFF are refused too: libxml2 drops them from a body, and a body
    /// of nothing else would leave its element without the text node the marker gives it.
    private static func isOpaque(_ body: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let first = body.first, first != UInt8(ascii: "<") else { return false }
        var previous: (UInt8, UInt8) = (0, 0)
        for b in body {
            if b < 0x20 && b != 0x09 && b != 0x0A && b != 0x0D { return false }
            if (b == 0xBE || b == 0xBF) && previous == (0xEF, 0xBF) { return false }
            previous = (previous.1, b)
        }
        return TextEncodingSniffer.isValidUTF8(body)
    }

    /// Checks `tree`, parsed from `elided`, against the plan, and removes the markers from it.
    /// `false` when libxml2 did not read some marker as the whole body of the element the cut
    /// predicted, or read a cut script as JSON-LD; the tree is then not to be used.
    ///
    /// A marker counts only as raw text (read by libxml2's script and style reading, which ends
    /// a body at the first `</` and the element's name): text that merely looks like one, in an
    /// element named "x:script" or written with a character reference, is ordinary markup text.
    func confirm(in tree: inout HTMLTree) -> Bool {
        var next = 0
        var bodies: [Int32] = []
        for node in 0..<Int32(tree.nodes.count) where tree.isElement(node) {
            let element = tree[node]
            let text = element.firstChild
            guard text >= 0, text == element.lastChild, tree.isText(text), tree[text].isRawText else { continue }
            let isMarker = tree.withTextBytes(text) { $0.count > Self.markerPrefix.count && $0.starts(with: Self.markerPrefix) }
            guard isMarker else { continue }
            guard next < cuts.count, tree.withTextBytes(text, { $0.elementsEqual(Self.marker(next)) }) else { return false }
            guard tree.tagNames[Int(element.tag)] == (cuts[next].isScript ? "script" : "style") else { return false }
            if cuts[next].isScript, (tree.attribute(node, .type) ?? "").lowercased().containsASCII("json") { return false }
            bodies.append(node)
            next += 1
        }
        guard next == cuts.count else { return false }
        for element in bodies { tree.removeChildren(of: element) }
        tree.elidedBodies = bodies.count
        return true
    }

    // MARK: byte search

    private static func isNameByte(_ b: UInt8) -> Bool {
        switch b {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
             UInt8(ascii: ":"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."):
            true
        default:
            false
        }
    }

    private static func startsWith(_ page: UnsafeBufferPointer<UInt8>, at i: Int, _ s: StaticString, ignoringCase: Bool = false) -> Bool {
        let count = s.utf8CodeUnitCount
        guard i + count <= page.count else { return false }
        let p = s.utf8Start
        for k in 0..<count {
            let b = ignoringCase ? Rx.lowerASCII(page[i + k]) : page[i + k]
            if b != p[k] { return false }
        }
        return true
    }

    private static func find(lessThan page: UnsafeBufferPointer<UInt8>, from i: Int) -> Int? {
        guard let base = page.baseAddress, i < page.count, let p = memchr(base + i, Int32(UInt8(ascii: "<")), page.count - i) else { return nil }
        return base.distance(to: p.assumingMemoryBound(to: UInt8.self))
    }

    /// The offset of the first `needle` (lower-case ASCII when `ignoringCase`) at or after `from`.
    private static func find(_ needle: [UInt8], in page: UnsafeBufferPointer<UInt8>, from: Int, ignoringCase: Bool) -> Int? {
        guard let base = page.baseAddress, let first = needle.first else { return nil }
        let last = page.count - needle.count
        var i = from
        while i <= last {
            // memchr for the first byte (either case), then the rest compared.
            var at = last + 1
            if let p = memchr(base + i, Int32(first), last - i + 1) { at = base.distance(to: p.assumingMemoryBound(to: UInt8.self)) }
            if ignoringCase, first >= UInt8(ascii: "a"), first <= UInt8(ascii: "z"), at > i,
               let p = memchr(base + i, Int32(first - 0x20), at - i) {
                at = base.distance(to: p.assumingMemoryBound(to: UInt8.self))
            }
            guard at <= last else { return nil }
            var k = 1
            while k < needle.count, (ignoringCase ? Rx.lowerASCII(base[at + k]) : base[at + k]) == needle[k] { k += 1 }
            if k == needle.count { return at }
            i = at + 1
        }
        return nil
    }
}
