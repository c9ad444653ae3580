import Foundation
import Testing
@testable import ReleaseImport

/// Script and style elements on a page: their code is never read as text, and JSON-LD scripts
/// are still read as data.
@Suite struct ScriptAndStyleTests {
    static let script = "\n  window.dataLayer = window.dataLayer || []; function gtag(){dataLayer.push(arguments);} gtag('js', new Date()); if (a < b && c > d) { x = '</div>'; }\n"
    static let style = "\n  body { font-family: Georgia, serif; } .share a::after { content: \"→\"; } p > a { color: #0645ad; }\n"

    /// The robustness seed with long scripts and styles in the head and the body.
    static let page = RobustnessTests.htmlSeed
        .replacingOccurrences(of: "<style>p{color:red}</style>", with: "<style>\(style)</style><script async>\(script)</script>")
        .replacingOccurrences(of: "<footer>", with: "<script>\(script)</script><STYLE media=\"print\">\(style)</STYLE><footer>")

    static func read(_ page: String) -> HTMLPage? {
        HTMLDocumentReader.read(Array(page.utf8), encoding: "UTF-8")
    }

    @Test func aPageWithScriptsAndStylesKeepsItsHeadlineAndJSONLD() throws {
        let page = try #require(Self.read(Self.page))
        #expect(page.headline == "City Council Approves New Transit Plan")
        #expect(page.jsonLD.count == 1)
        #expect(!page.lines.joined().contains("dataLayer"))
        #expect(!page.lines.joined().contains("font-family"))
    }

    /// A heading's text is what a reader sees: code inside it adds nothing.
    @Test func aHeadlineHoldsNoScriptOrStyle() throws {
        let page = "<html><body><h1>Breaking<script>document.write('x')</script><style>h1{}</style> news</h1><p>Body text.</p></body></html>"
        #expect(try #require(Self.read(page)).headline == "Breaking news")
    }
}
