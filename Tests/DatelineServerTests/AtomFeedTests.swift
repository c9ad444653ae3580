import DatelineServer
import Foundation
import HummingbirdTesting
import ReleaseImport
import Testing

/// What `Tests/Tools/check_feed.py` reports after feedparser has read a feed.
struct ParsedFeed: Decodable {
    struct Link: Decodable { var rel: String?; var href: String?; var type: String? }
    struct Feed: Decodable { var id: String?; var title: String?; var updated: String?; var links: [Link]; var language: String? }
    struct Entry: Decodable {
        var id: String?
        var title: String?
        var link: String?
        var updated: String?
        var published: String?
        var author: String?
        var content: String?
        var content_type: String?
        var language: String?
        var categories: [String?]
        var summary: String?
    }
    var bozo: Bool
    var bozo_exception: String?
    var version: String?
    var feed: Feed
    var entries: [Entry]
}

/// Parses a feed with Python's feedparser, a real, widely used feed parser.
func parseWithFeedparser(_ feed: Data, contentType: String? = nil) throws -> ParsedFeed {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", repositoryRoot.appendingPathComponent("Tests/Tools/check_feed.py").path] + (contentType.map { [$0] } ?? [])
    let input = Pipe()
    let output = Pipe()
    process.standardInput = input
    process.standardOutput = output
    try process.run()
    input.fileHandleForWriting.write(feed)
    try input.fileHandleForWriting.close()
    let result = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    #expect(process.terminationStatus == 0, "check_feed.py failed (is feedparser installed? scripts/ensure-deps.sh test)")
    return try JSONDecoder().decode(ParsedFeed.self, from: result)
}

@Suite("Atom feed")
struct AtomFeedTests {
    @Test("The site-wide Atom feed parses with feedparser and has RFC 4287's required elements")
    func siteFeed() async throws {
        try await withApp { client, store in
            // setup: the seed, a hostile headline, and a draft that must stay out
            _ = try await store.store(ReleaseImporter.extract(text: try seedText()), options: ImportOptions(publish: true, organizationName: "Amnesty International USA", topics: ["Human rights"]))
            var hostile = ImportedRelease(headline: "Tom & Jerry <script>alert(\"x\")</script> say 'hi' \u{0007}", language: "en")
            hostile.issuer = "Acme & Sons"
            hostile.body = ["Fish & chips <b>bold</b> cost < 5 €."]
            _ = try await store.store(hostile, options: ImportOptions(publish: true))
            var draft = ImportedRelease(headline: "Secret draft", language: "en")
            draft.issuer = "Acme & Sons"
            draft.body = ["Not yet."]
            _ = try await store.store(draft, options: ImportOptions(publish: false))

            // MUT
            let (feedData, contentType) = try await client.execute(uri: "/feed.atom", method: .get) { response in
                (Data(buffer: response.body), response.headers[.contentType])
            }
            let parsed = try parseWithFeedparser(feedData)

            // validation
            #expect(contentType == "application/atom+xml; charset=utf-8")
            #expect(parsed.bozo == false, "feedparser: \(parsed.bozo_exception ?? "")")
            #expect(parsed.version == "atom10")
            #expect(parsed.feed.id == "https://wire.example.org/feed.atom")
            #expect(parsed.feed.title == "Dateline: latest releases")
            #expect(parsed.feed.updated != nil)
            #expect(parsed.feed.links.contains { $0.rel == "self" && $0.href == "https://wire.example.org/feed.atom" })
            #expect(parsed.entries.count == 2, "published releases only")
            let seed = try #require(parsed.entries.first { $0.title?.hasPrefix("Prisoner Pardons") == true })
            #expect(seed.id?.hasPrefix("tag:wire.example.org,") == true)
            #expect(seed.link == "https://wire.example.org/releases/prisoner-pardons-in-iran-welcome-but-hundreds-more-who-should-be-free-remain")
            #expect(seed.updated != nil)
            #expect(seed.published != nil)
            #expect(seed.author == "Amnesty International USA")
            #expect(seed.content?.contains("Amnesty International welcomes the release") == true)
            #expect(seed.content_type == "text/html")
            #expect(seed.categories == ["human-rights"])
            let tricky = try #require(parsed.entries.first { $0.title?.hasPrefix("Tom") == true })
            #expect(tricky.title == "Tom & Jerry <script>alert(\"x\")</script> say 'hi'", "markup in a headline is text, control characters dropped")
            #expect(tricky.author == "Acme & Sons")
            #expect(tricky.content?.contains("Fish &amp; chips &lt;b&gt;bold&lt;/b&gt; cost &lt; 5 €.") == true, "body markup stays text")
            #expect(!String(decoding: feedData, as: UTF8.self).contains("Secret draft"))
        }
    }
}
