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
        // A script written inside an attribute value: libxml2 reads no element there.
        ("attribute", "<div title=\"<script>\(script)</script>\">Quoted</div>", nil as Int?),
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
        ("json-ld by reference", "<script type=\"application/ld+&#106;son\">{\"@type\":\"NewsArticle\",\"headline\":\"Other headline entirely\",\"pad\":\"\(String(repeating: "x", count: 60))\"}</script>", nil),
        // A script left open runs on to the next "</script" (the footer's), cut as one body.
        ("unclosed", "<p>Last words.</p><script>\(script)", 4),
        // The marker's own text in a page turns the cut off.
        ("marker in page", "<p>~dateline-elided-body-0</p>", 0),
        // A script inside a heading adds nothing to the headline's text.
        ("in the headline", "<h1>Breaking<script>\(script)</script> news</h1>", 5),
    ])
    func trickyPagesReadAsTheWholePage(name: String, insert: String, expectedCuts: Int?) throws {
        let page = Self.page.replacingOccurrences(of: "<main>", with: "<main>" + insert)
        let whole = try #require(Self.read(page, eliding: false), "\(name)")
        #expect(Self.read(page, eliding: true) == whole, "\(name)")
        if let expectedCuts { #expect(Self.elided(page) == expectedCuts, "\(name)") }
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
