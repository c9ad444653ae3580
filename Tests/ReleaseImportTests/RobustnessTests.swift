import Foundation
import Testing
@testable import ReleaseImport

/// Seeded random and mutated inputs: the importer must neither trap nor hang on any of them,
/// and must refuse inputs over its size limit with a message. The generator is seeded, so a
/// failure names its seed and case and reproduces exactly.
@Suite struct RobustnessTests {
    typealias Generator = SeededGenerator

    static let textSeed = """
    FOR IMMEDIATE RELEASE
    Contact: Dana Rutherford, 202-555-0162, drutherford@example.org

    City Council Approves New Transit Plan
    Funding for three bus lines is included

    WASHINGTON, March 20, 2020 /PRNewswire/ -- The council voted 9-2 on Tuesday to approve the plan.

    "This is a good day for riders," said Jane Doe, chair of the transit committee. "We listened."

    About Example Org
    Example Org works for better transit. Follow Example Org on Twitter.
    ###
    """

    static let htmlSeed = """
    <!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Transit plan | Example</title>
    <meta property="og:title" content="City Council Approves New Transit Plan">
    <script type="application/ld+json">{"@context":"https://schema.org","@type":"NewsArticle","headline":"City Council Approves New Transit Plan","datePublished":"2020-03-20T10:00:00-04:00","publisher":{"@type":"Organization","name":"Example Org"}}</script>
    <style>p{color:red}</style></head><body><nav><a href="/">Home</a><a href="/news">News</a></nav>
    <div class="cookie-banner">We use cookies. <button>Accept</button></div>
    <main><article><h1>City Council Approves New Transit Plan</h1><p class="subtitle">Funding for three bus lines is included</p>
    <time datetime="2020-03-20">March 20, 2020</time>
    <p>WASHINGTON, March 20, 2020 -- The council voted 9-2 on Tuesday to approve the plan.</p>
    <p>&ldquo;This is a good day for riders,&rdquo; said Jane Doe, chair of the transit committee.</p>
    <ul><li>One</li><li>Two</li></ul><p>About Example Org<br>Example Org works for better transit.</p>
    <div class="share">Share on Facebook</div></article></main><footer>© Example</footer></body></html>
    """

    /// Fragments that stress the parsers: unclosed and deeply nested tags, entities, odd
    /// encodings, regex-heavy lines (long runs of capitals, dashes, digits, quotes).
    static let fragments: [String] = [
        "<div>", "</div>", "<p>", "<br>", "<h1>", "</h1>", "<li>", "<script>", "</script>", "<!--", "-->",
        "<![CDATA[", "&amp;", "&#x0;", "&#99999999;", "&shy;", "\u{00AD}", "<meta charset=\"shift_jis\">",
        "<meta charset=\"x-unknown\">", "\"", "“", "”", "«", "—", " -- ", "###", "-30-", "FOR IMMEDIATE RELEASE",
        "EMBARGOED UNTIL 10:00 CET", "Contact:", "@", ".com", "+1 (202) 555-0100", "March 20, 2020",
        "WASHINGTON, ", String(repeating: "A", count: 300), String(repeating: "1", count: 200),
        String(repeating: "- ", count: 200), "\u{202E}", "\u{FEFF}", "\r", "\0", "\n\n", "بيان", "ゴールデンウィーク",
        "{\"@type\":\"NewsArticle\",\"headline\":", "<script type=\"application/ld+json\">",
    ]

    /// Runs the importer on `data`. Returning at all is the check: a trap ends the test run.
    /// A refusal (`ImportError`) is an acceptable outcome for mangled bytes. Time is not
    /// checked here, because tests never assert timings (they flake on loaded machines);
    /// bench/import-speed.sh measures the worst case and BENCHMARKS.md records it.
    func importCompletes(_ data: Data) {
        _ = try? ReleaseImporter.extract(data: data)
    }

    /// The keys SCHEMA.md says every printed extraction has, and the confidence object beside them.
    static let schemaKeys: Set<String> = [
        "headline", "subheadline", "release_timing", "embargo_until", "dateline_city", "date", "language",
        "issuer", "contacts", "quotes", "body", "boilerplate", "statement_url", "social_profiles", "confidence",
    ]

    static func mutate(_ seed: [UInt8], _ rng: inout Generator) -> [UInt8] {
        var bytes = seed
        for _ in 0..<Int.random(in: 1...12, using: &rng) {
            switch Int.random(in: 0..<6, using: &rng) {
            case 0 where !bytes.isEmpty: bytes[Int.random(in: 0..<bytes.count, using: &rng)] = UInt8.random(in: 0...255, using: &rng)
            case 1 where !bytes.isEmpty: bytes.remove(at: Int.random(in: 0..<bytes.count, using: &rng))
            case 2:
                let f = Array(fragments.randomElement(using: &rng)!.utf8)
                bytes.insert(contentsOf: f, at: Int.random(in: 0...bytes.count, using: &rng))
            case 3 where bytes.count > 2:
                let a = Int.random(in: 0..<bytes.count, using: &rng)
                let b = min(bytes.count, a + Int.random(in: 1...200, using: &rng))
                bytes.insert(contentsOf: bytes[a..<b], at: Int.random(in: 0...bytes.count, using: &rng))
            case 4 where bytes.count > 2:
                let a = Int.random(in: 0..<bytes.count, using: &rng)
                bytes.removeSubrange(a..<min(bytes.count, a + Int.random(in: 1...100, using: &rng)))
            default:
                bytes.append(contentsOf: (0..<Int.random(in: 1...64, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) })
            }
        }
        return bytes
    }

    @Test(arguments: [UInt64(1), 2, 3])
    func mutatedReleasesNeitherCrashNorHang(seed: UInt64) {
        var rng = Generator(state: seed)
        for n in 0..<150 {
            let base = n.isMultiple(of: 2) ? Self.textSeed : Self.htmlSeed
            let bytes = Self.mutate(Array(base.utf8), &rng)
            importCompletes(Data(bytes))
        }
    }

    @Test func randomBytesNeitherCrashNorHang() {
        var rng = Generator(state: 42)
        for n in 0..<200 {
            let count = Int.random(in: 0...4096, using: &rng)
            var bytes = (0..<count).map { _ in UInt8.random(in: 0...255, using: &rng) }
            // Half of them look like a page at first sight, so the HTML path is exercised too.
            if n.isMultiple(of: 2) { bytes = Array("<html><body>".utf8) + bytes }
            importCompletes(Data(bytes))
        }
    }

    /// About 1 MB each: one long text, one large page, one pathological nesting, one page of
    /// unclosed tags. Each must be accepted (under the 2 MB limit) and give a complete
    /// extraction that encodes to the printed JSON shape. How long they take is measured by
    /// bench/import-speed.sh, not asserted here.
    @Test func megabyteInputsGiveACompleteResult() throws {
        var rng = Generator(state: 7)
        let megabyte = 1_000_000
        var longText = ""
        while longText.utf8.count < megabyte {
            longText += Self.textSeed.split(separator: "\n").shuffled(using: &rng).joined(separator: "\n") + "\n\n"
        }
        var bigPage = "<!doctype html><html><body>"
        while bigPage.utf8.count < megabyte { bigPage += "<p>The council voted 9-2 on Tuesday, said Jane Doe, chair. \(Int.random(in: 0...9999, using: &rng))</p>\n" }
        bigPage += "</body></html>"
        let nested = "<html><body>" + String(repeating: "<div>", count: megabyte / 5)
        let unclosed = "<html><body>" + String(repeating: "<p><b><i>word ", count: megabyte / 14)
        for (name, s) in [("long text", longText), ("big page", bigPage), ("nested divs", nested), ("unclosed tags", unclosed)] {
            let release: ImportedRelease
            do {
                release = try ReleaseImporter.extract(data: Data(s.utf8))
            } catch {
                // A page with no text at all (the nested divs) is refused as empty, with a message.
                #expect(error == .empty && !error.description.isEmpty, "\(name): \(error)")
                continue
            }
            let object = try JSONSerialization.jsonObject(with: ReleaseImporter.json(release)) as? [String: Any]
            #expect(Set(object.map { Array($0.keys) } ?? []) == Self.schemaKeys, "\(name)")
        }
        // The page of paragraphs has a body to find. (The shuffled long text may put "###"
        // near its top, so an empty body is a right answer there.)
        #expect(!(try ReleaseImporter.extract(data: Data(bigPage.utf8))).body.isEmpty)
    }

    @Test func inputsOverTheLimitAreRefusedWithAMessage() {
        let data = Data(repeating: UInt8(ascii: "a"), count: 2_001)
        #expect(throws: ImportError.tooLarge(limit: 2_000)) { try ReleaseImporter.extract(data: data, maximumBytes: 2_000) }
        #expect(ImportError.tooLarge(limit: 2_000).description.contains("2000"))
        let atLimit = Data("Headline\n\nBody text.".utf8)
        #expect((try? ReleaseImporter.extract(data: atLimit, maximumBytes: atLimit.count)) != nil)
    }

    @Test func pagesAreDetectedByContentNotName() {
        #expect(InputDetector.kind(of: Array("\u{FEFF}  <!DOCTYPE html><p>x".utf8)) == .html)
        #expect(InputDetector.kind(of: Array("<!-- saved from url=(0014)about:internet -->\n<html>".utf8)) == .html)
        #expect(InputDetector.kind(of: Array("<?xml version=\"1.0\"?><html xmlns=\"http://www.w3.org/1999/xhtml\">".utf8)) == .html)
        #expect(InputDetector.kind(of: Array("Use <html> tags sparingly, says the W3C".utf8)) == .text)
        #expect(InputDetector.kind(of: Array("<htmlish>".utf8)) == .text)
    }

    @Test func declaredEncodingsAreHonoured() throws {
        // ISO-8859-1 declared: read as Windows-1252, so 0x93/0x94 are curly quotes.
        var latin = Array("<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=ISO-8859-1\"></head><body><h1>Communiqu".utf8)
        latin += [0xE9] + Array(" de presse</h1><p>".utf8) + [0x93] + Array("Bonjour".utf8) + [0x94] + Array(", a dit Marie Curie, pr".utf8) + [0xE9] + Array("sidente de l'association.</p></body></html>".utf8)
        let release = try ReleaseImporter.extract(data: Data(latin))
        #expect(release.headline == "Communiqué de presse")
        // Undeclared and not UTF-8: Windows-1252.
        let undeclared = Array("<html><body><h1>Caf".utf8) + [0xE9] + Array(" opens</h1><p>Text.</p></body></html>".utf8)
        #expect(try ReleaseImporter.extract(data: Data(undeclared)).headline == "Café opens")
        // Shift_JIS declared.
        let sjis = Array("<html><head><meta charset=\"Shift_JIS\"></head><body><h1>".utf8) + [0x93, 0xFA, 0x96, 0x7B] + Array("</h1></body></html>".utf8)
        #expect(try ReleaseImporter.extract(data: Data(sjis)).headline == "日本")
    }
}
