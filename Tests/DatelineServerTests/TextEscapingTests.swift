import Foundation
import Mustache
import Testing
@testable import DatelineServer
@testable import Syndication

/// The byte-wise escapers on the page path, each against a reference: swift-mustache's and
/// Foundation's own escaping on random text, and a JSON parser for the JSON-LD.
@Suite("Text escaping for pages, URLs and JSON-LD")
struct TextEscapingTests {
    /// Random text drawn from ASCII, the five HTML specials, Latin, combining marks, CJK, emoji and
    /// the line and paragraph separators.
    static func randomTexts(count: Int, seed: UInt64) -> [String] {
        var generator = MediaFuzzTests.Generator(state: seed)
        let pool: [String] = ["a", "Z", "0", " ", "<", ">", "&", "\"", "'", "/", "?", "#", "=", "+", "%", "~", "-", "_", ".", "!", "@",
                              "é", "\u{301}", "\u{338}", "ß", "中", "文", "🇪🇺", "👩‍💻", "\u{2028}", "\u{2029}", "\n", "\t", "\\", "\u{7F}", "\u{0}"]
        return (0..<count).map { _ in
            String((0..<Int.random(in: 0...24, using: &generator)).map { _ in pool.randomElement(using: &generator)! }.joined())
        }
    }

    @Test("HTML escaping replaces exactly < > & \" ' by their references, even before a combining mark")
    func html() {
        for text in Self.randomTexts(count: 2_000, seed: 7) {
            var expected = ""
            for scalar in text.unicodeScalars {
                switch scalar {
                case "<": expected += "&lt;"
                case ">": expected += "&gt;"
                case "&": expected += "&amp;"
                case "\"": expected += "&quot;"
                case "'": expected += "&#39;"
                default: expected.unicodeScalars.append(scalar)
                }
            }
            #expect(HTMLEscaping.escaped(text) == expected, "\(text.debugDescription)")
        }
        // swift-mustache's own escaping leaves a quotation mark followed by a combining mark as it is.
        #expect(HTMLEscaping.escaped("x\"\u{301} onmouseover=y") == "x&quot;\u{301} onmouseover=y")
    }

    @Test("Percent-encoding gives Foundation's text for a query value and a path segment, and encodes all but unreserved for share links")
    func percent() {
        let query = CharacterSet.urlQueryAllowed.subtracting(CharacterSet(charactersIn: "&=+#"))
        let path = CharacterSet.urlPathAllowed.subtracting(CharacterSet(charactersIn: "/?#"))
        for text in Self.randomTexts(count: 2_000, seed: 11) {
            #expect(PercentEncoding.encode(text, allowing: .queryValue) == text.addingPercentEncoding(withAllowedCharacters: query), "\(text.debugDescription)")
            #expect(PercentEncoding.encode(text, allowing: .pathSegment) == text.addingPercentEncoding(withAllowedCharacters: path), "\(text.debugDescription)")
            let unreserved = PercentEncoding.encode(text, allowing: .unreserved)
            #expect(unreserved.removingPercentEncoding == text)
            #expect(unreserved.utf8.allSatisfy { $0 == UInt8(ascii: "%") || PercentEncoding.Allowed.unreserved.contains($0) })
        }
        #expect(PercentEncoding.encode("Café & co", allowing: .unreserved) == "Caf%C3%A9%20%26%20co")
    }

    @Test("JSON-LD text parses to the same value, and carries no < > & or line separators raw")
    func jsonLD() throws {
        for text in Self.randomTexts(count: 1_000, seed: 13) {
            let data = try JSONEncoder().encode(["headline": text])
            let safe = NewsArticleJSONLD.scriptSafe(data)
            #expect(!safe.contains("<") && !safe.contains(">") && !safe.contains("&"))
            #expect(!safe.unicodeScalars.contains("\u{2028}") && !safe.unicodeScalars.contains("\u{2029}"))
            #expect(try JSONDecoder().decode([String: String].self, from: Data(safe.utf8)) == ["headline": text])
        }
    }

    @Test("Every template names its content type on its first line, and HTML means the byte-wise escaper once the renderer is loaded")
    func templatesUseTheEscaper() async throws {
        let folder = repositoryRoot.appendingPathComponent("Resources/Templates")
        let files = try #require(FileManager.default.enumerator(atPath: folder.path)).compactMap { $0 as? String }.filter { $0.hasSuffix(".mustache") }
        #expect(files.count > 30)
        for file in files {
            let first = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8).prefix { $0 != "\n" }
            let expected = file.hasSuffix("-text.mustache") ? "{{% CONTENT_TYPE: TEXT}}" : "{{% CONTENT_TYPE: HTML}}"
            #expect(first == expected, "\(file)")
        }
        _ = try await PageRenderer.load(resourcesDirectory: repositoryRoot.appendingPathComponent("Resources"))
        let template = try MustacheTemplate(string: "{{% CONTENT_TYPE: HTML}}<a title=\"{{x}}\">")
        #expect(template.render(["x": "a\"\u{301} onmouseover=y"]) == "<a title=\"a&quot;\u{301} onmouseover=y\">")
    }
}
