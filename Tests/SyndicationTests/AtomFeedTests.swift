import DatelineCore
import Foundation
import Syndication
import Testing
#if canImport(FoundationXML)
import FoundationXML
#endif

@Suite("Atom encoder")
struct AtomEncoderTests {
    func release(headline: String, body: String = "Body.") -> Release {
        Release(
            id: ReleaseID(), slug: Slug(making: "test")!, headline: headline, subheadline: nil,
            releasedAt: Date(timeIntervalSince1970: 1_700_000_000), body: body, language: LanguageTag("fa")!,
            organization: Organization(name: "Org & Co", slug: Slug(making: "org")!),
            topics: [Topic(name: "Human rights", slug: Slug(making: "Human rights")!)],
            status: .published, publishedAt: Date(timeIntervalSince1970: 1_700_000_100), updatedAt: Date(timeIntervalSince1970: 1_700_000_200)
        )
    }

    @Test("Hostile text round-trips through the XML builder unchanged and inert")
    func hostileText() throws {
        // setup
        let headline = "<entry>&amp; \"quoted\" 'single' ]]> خبر فوری \u{202E}rtl"
        let entry = FeedEntry(release: release(headline: headline + "\u{0001}"), url: URL(string: "https://wire.example.org/releases/test")!, contentHTML: "<p>a &amp; b</p>", id: "tag:wire.example.org,2023:release:1")
        let channel = FeedChannel(id: "https://wire.example.org/feed.atom", title: "Wire", description: "All releases", selfURL: URL(string: "https://wire.example.org/feed.atom")!, siteURL: URL(string: "https://wire.example.org/")!, updated: Date(timeIntervalSince1970: 1_700_000_200))
        let feed = AtomFeed(channel: channel, entries: [entry])

        // MUT
        let data = feed.xmlData()
        let document = try XMLDocument(data: data)

        // validation
        let root = try #require(document.rootElement())
        #expect(root.name == "feed")
        #expect(root.uri == AtomFeed.namespace)
        let entries = root.elements(forName: "entry")
        #expect(entries.count == 1)
        #expect(entries.first?.elements(forName: "title").first?.stringValue == headline, "control character dropped, the rest intact")
        #expect(entries.first?.elements(forName: "content").first?.stringValue == "<p>a &amp; b</p>")
        #expect(entries.first?.elements(forName: "updated").first?.stringValue == "2023-11-14T22:16:40Z")
        #expect(entries.first?.elements(forName: "author").first?.elements(forName: "name").first?.stringValue == "Org & Co")
    }
}
