import Foundation
import Testing
@testable import ReleaseImport

/// Script and style bodies cut before libxml2 reads a page (`RawTextElision`): whatever the
/// page, what the reader gets must be what it gets from the whole page, and the cut must
/// really happen on ordinary pages (or the comparison would prove nothing).
@Suite struct RawTextElisionTests {
    static let script = "\n  window.dataLayer = window.dataLayer || []; function gtag(){dataLayer.push(arguments);} gtag('js', new Date()); if (a < b && c > d) { x = '</div>'; }\n"
    static let style = "\n  body { font-family: Georgia, serif; } .share a::after { content: \"→\"; } p > a { color: #0645ad; }\n"

    /// The robustness seed with long scripts and styles in the head and the body.
    static let page = RobustnessTests.htmlSeed
        .replacingOccurrences(of: "<style>p{color:red}</style>", with: "<style>\(style)</style><script async>\(script)</script>")
        .replacingOccurrences(of: "<footer>", with: "<script>\(script)</script><STYLE media=\"print\">\(style)</STYLE><footer>")

    static func read(_ page: String, eliding: Bool) -> HTMLPage? {
        HTMLDocumentReader.read(Array(page.utf8), encoding: "UTF-8", elidingRawText: eliding)
    }

    static func elided(_ page: String) -> Int {
        HTMLTree.parse(Array(page.utf8), encoding: "UTF-8", options: HTMLDocumentReader.parseOptions)?.elidedBodies ?? -1
    }

    @Test func anOrdinaryPageIsReadWithoutItsScriptsAndStyles() throws {
        #expect(Self.elided(Self.page) == 4)
        let whole = try #require(Self.read(Self.page, eliding: false))
        #expect(Self.read(Self.page, eliding: true) == whole)
        #expect(whole.headline == "City Council Approves New Transit Plan")
        #expect(whole.jsonLD.count == 1)
    }

    /// Pages where a plain search for `<script` guesses wrong, or where a body could change
    /// how libxml2 reads on: each is read as the whole page is, cut or not. The counts are the
    /// bodies cut, the seed page's four included; 0 means libxml2 read the cut page otherwise
    /// than predicted and the whole page was parsed.
    @Test(arguments: [
        // A style written inside an attribute the reader keeps: libxml2 reads no element there.
        ("attribute", "<meta property=\"og:description\" content=\"<style>\(style)</style>\"><p>Quoted</p>", 0),
        // A prefixed element is no script to libxml2 (its content is markup), though the tree
        // names it "script": a marker that lands in it is not raw text.
        ("prefixed element", "<x:script <script>x</x:script><h2>Heading of the release</h2><p>First paragraph of the release.</p></script></x:script>", 0),
        // A marker written with a character reference stands in for one that landed elsewhere.
        ("marker by reference", "<meta property=\"twitter:title\" content=\"<style>\(style)</style>\"><x:style>&#126;dateline-elided-body-2</x:style>", 0),
        // A body of characters libxml2 drops (U+FFFF) gives its element no text at all.
        ("noncharacters", "<script>\(String(repeating: "\u{FFFF}", count: 20))</script>", 4),
        // libxml2 2.9.14 also ends a comment at "--!>", before the scan's "-->".
        ("comment closed by --!>", "<!-- a --!><script>\(script)</script><!-- b --><p>After.</p>", 4),
        // A middle guess that fails (inside an attribute) sends the whole page back.
        ("middle guess", "<style>\(style)</style><a title=\"<script>\(script)</script>\">link</a><style>\(style)</style>", 0),
        // "<script/>" is an empty element: what follows is markup.
        ("self-closing", "<script src=\"a.js\"/>Visible words the reader keeps, long enough to be worth a cut.</script>", 4),
        // A body opening with an end tag or a tag is parsed as markup first.
        ("opens with a tag", "<script></p>\(script)</script><style><b>\(style)</style>", 4),
        // Upper and mixed case, and an end tag that only starts with the name.
        ("case", "<SCRIPT>\(script)</SCRIPT><Style>\(style)</sTyLe>", 6),
        // An end tag that only starts with the name ends the body but not the element, so the
        // script's text goes on past the cut: the check sees more than the marker and falls back.
        ("longer end tag", "<script>\(script)</scripts>var tail = 1;\(script)</script>", 0),
        // A commented-out script is not cut, and the comment is stepped over.
        ("comment", "<!-- <script>\(script)</script> --><p>After the comment.</p>", 4),
        // Control characters and bytes that are not UTF-8 stay for libxml2 to judge.
        ("control", "<script>\(script)\u{1}\(script)</script>", 4),
        // JSON-LD is read, so never cut; a type spelled with a reference is caught after the parse.
        ("json-ld by reference", "<script type=\"application/ld+&#106;son\">{\"@type\":\"NewsArticle\",\"headline\":\"Other headline entirely\",\"pad\":\"\(String(repeating: "x", count: 60))\"}</script>", 0),
        // A script left open runs on to the next "</script" (the footer's), cut as one body.
        ("unclosed", "<p>Last words.</p><script>\(script)", 4),
        // The marker's own text in a page turns the cut off.
        ("marker in page", "<p>~dateline-elided-body-0</p>", 0),
        // A script inside a heading adds nothing to the headline's text.
        ("in the headline", "<h1>Breaking<script>\(script)</script> news</h1>", 5),
    ])
    func trickyPagesReadAsTheWholePage(name: String, insert: String, expectedCuts: Int) throws {
        let page = Self.page.replacingOccurrences(of: "<main>", with: "<main>" + insert)
        let whole = try #require(Self.read(page, eliding: false), "\(name)")
        #expect(Self.read(page, eliding: true) == whole, "\(name)")
        #expect(Self.elided(page) == expectedCuts, "\(name)")
    }

    /// A heading's text is what a reader sees: code inside it adds nothing.
    @Test func aHeadlineHoldsNoScriptOrStyle() throws {
        let page = "<html><body><h1>Breaking<script>document.write('x')</script><style>h1{}</style> news</h1><p>Body text.</p></body></html>"
        for eliding in [false, true] {
            #expect(try #require(Self.read(page, eliding: eliding)).headline == "Breaking news")
        }
    }

    @Test func invalidUTF8InABodyIsLeftToLibxml2() throws {
        var bytes = Array(Self.page.utf8)
        let at = try #require(bytes.firstRange(of: Array("window.dataLayer".utf8)))
        bytes.insert(contentsOf: [0xC3, 0x28, 0xFF], at: at.lowerBound)
        let whole = HTMLDocumentReader.read(bytes, encoding: "UTF-8", elidingRawText: false)
        #expect(HTMLDocumentReader.read(bytes, encoding: "UTF-8", elidingRawText: true) == whole)
    }

    /// Mutated pages (the robustness test's mutations) read the same both ways; some are cut.
    @Test(arguments: [UInt64(11), 12, 13])
    func mutatedPagesReadAsTheWholePage(seed: UInt64) {
        var rng = SeededGenerator(state: seed)
        var cut = 0
        for n in 0..<120 {
            let bytes = RobustnessTests.mutate(Array(Self.page.utf8), &rng)
            let whole = HTMLDocumentReader.read(bytes, encoding: "UTF-8", elidingRawText: false)
            #expect(HTMLDocumentReader.read(bytes, encoding: "UTF-8", elidingRawText: true) == whole, "seed \(seed) case \(n)")
            if let page = String(validating: bytes, as: UTF8.self), Self.elided(page) > 0 { cut += 1 }
        }
        #expect(cut >= 20)
    }
}
