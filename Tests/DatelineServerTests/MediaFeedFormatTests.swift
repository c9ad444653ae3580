import DatelineCore
@testable import DatelineServer
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// Each entry's enclosures as feedparser reads them (Atom `link rel="enclosure"`, RSS
/// `enclosure`) and its Media RSS `media:content`, with feedparser's bozo flag.
func feedparserEnclosures(_ feed: Data) throws -> (bozo: Bool, entries: [(title: String, enclosures: [[String: String]], media: [[String: String]])]) {
    let script = """
        import json, sys, feedparser
        feed = feedparser.parse(sys.stdin.buffer.read())
        out = {"bozo": bool(feed.bozo), "entries": [{"title": e.get("title", ""),
            "enclosures": [{k: str(v) for k, v in x.items()} for x in e.get("enclosures", [])],
            "media": [{k: str(v) for k, v in x.items()} for x in e.get("media_content", [])]} for e in feed.entries]}
        json.dump(out, sys.stdout)
        """
    let result = try run(["python3", "-c", script], input: feed)
    #expect(result.status == 0, "feedparser could not run: \(result.errors)")
    let object = try #require(try JSONSerialization.jsonObject(with: result.output) as? [String: Any])
    let entries = (object["entries"] as? [[String: Any]] ?? []).map {
        ($0["title"] as? String ?? "", $0["enclosures"] as? [[String: String]] ?? [], $0["media"] as? [[String: String]] ?? [])
    }
    return (object["bozo"] as? Bool ?? true, entries)
}

@Suite("Media in the feeds, agency formats and mail")
struct MediaFeedFormatTests {
    static let headline = "Rivers Trust Opens Three New Wetlands"

    @Test("Atom carries every attachment as an enclosure with type and length, RSS one enclosure (the lead image's JPEG) and each file as media:content; feedparser reads both cleanly")
    func atomAndRSS() async throws {
        let clock = TestClock()
        try await withApp(clock: clock) { client, store in
            // setup
            let (slug, _, _) = try await publishedWithMedia(store, now: clock.now)
            let release = try await publicReleaseWithMedia(store, slug: slug, now: clock.now)
            let jpeg = try #require(release.leadImage?.primary)
            let pdf = try #require(release.media.first { $0.kind == .document }?.primary)
            func url(_ file: MediaRendition) -> String { "https://wire.example.org/media/\(file.fileName)" }

            // MUT
            let atom = try feedparserEnclosures(try await body(client, "/feed.atom").data)
            let rss = try feedparserEnclosures(try await body(client, "/organizations/rivers-trust/feed.rss").data)

            // validation
            #expect(atom.bozo == false && rss.bozo == false)
            let atomEntry = try #require(atom.entries.first { $0.title == Self.headline })
            #expect(atomEntry.enclosures.map { $0["href"] } == [url(jpeg), url(pdf)])
            #expect(atomEntry.enclosures.map { $0["type"] } == ["image/jpeg", "application/pdf"])
            #expect(atomEntry.enclosures.map { $0["length"] } == [String(jpeg.byteSize), String(pdf.byteSize)])
            let rssEntry = try #require(rss.entries.first { $0.title == Self.headline })
            #expect(rssEntry.enclosures.count == 1)
            #expect(rssEntry.enclosures.first?["href"] == url(jpeg))
            #expect(rssEntry.enclosures.first?["type"] == "image/jpeg")
            #expect(rssEntry.enclosures.first?["length"] == String(jpeg.byteSize))
            #expect(rssEntry.media.map { $0["url"] } == [url(jpeg), url(pdf)])
            #expect(rssEntry.media.first?["medium"] == "image")
            #expect(atom.entries.first { $0.title != Self.headline }?.enclosures.isEmpty == true, "a release without media has no enclosure")
            // The files are served at those addresses.
            for file in [jpeg, pdf] { #expect(try await body(client, "/media/\(file.fileName)").status == .ok) }
        }
    }

    @Test("JSON Feed 1.1: the item's image is the lead image's JPEG, its attachments every file with url, mime_type, size_in_bytes and title; the feed still parses")
    func jsonFeed() async throws {
        let clock = TestClock()
        try await withApp(clock: clock) { client, store in
            // setup
            let (slug, _, _) = try await publishedWithMedia(store, now: clock.now)
            let release = try await publicReleaseWithMedia(store, slug: slug, now: clock.now)
            let jpeg = try #require(release.leadImage?.primary)
            let pdf = try #require(release.media.first { $0.kind == .document }?.primary)

            // MUT
            let response = try await body(client, "/feed.json")

            // validation
            let parsed = try parseWithFeedparser(response.data, contentType: "application/feed+json")
            #expect(parsed.bozo == false, "\(parsed.bozo_exception ?? "")")
            let document = try #require(try JSONSerialization.jsonObject(with: response.data) as? [String: Any])
            let item = try #require((document["items"] as? [[String: Any]])?.first { $0["title"] as? String == Self.headline })
            #expect(item["image"] as? String == "https://wire.example.org/media/\(jpeg.fileName)")
            let attachments = try #require(item["attachments"] as? [[String: Any]])
            #expect(attachments.map { $0["url"] as? String } == ["https://wire.example.org/media/\(jpeg.fileName)", "https://wire.example.org/media/\(pdf.fileName)"])
            #expect(attachments.map { $0["mime_type"] as? String } == ["image/jpeg", "application/pdf"])
            #expect(attachments.map { $0["size_in_bytes"] as? Int } == [jpeg.byteSize, pdf.byteSize])
            #expect(attachments.map { $0["title"] as? String } == ["A yellow sign on green", "The annual report"])
        }
    }

    @Test("ninjs 2.1, 2.2 and 3.1 carry the photo as an association of type picture with its renditions and the PDF with its file, and validate against IPTC's schemas")
    func ninjs() async throws {
        let clock = TestClock()
        try await withApp(clock: clock) { client, store in
            // setup
            let (slug, _, _) = try await publishedWithMedia(store, now: clock.now)
            let release = try await publicReleaseWithMedia(store, slug: slug, now: clock.now)
            let lead = try #require(release.leadImage)

            // MUT
            let v2 = try await body(client, "/releases/\(slug)/ninjs.json")
            let v3 = try await body(client, "/releases/\(slug)/ninjs3.json")
            let list = try await body(client, "/api/ninjs")

            // validation
            #expect(try validateJSON(v2.data, schema: "ninjs/ninjs-schema_2.1.json") == [])
            #expect(try validateJSON(v2.data, schema: "ninjs/ninjs-schema_2.2.json") == [])
            #expect(try validateJSON(v3.data, schema: "ninjs/ninjs-schema_3.1.json") == [])
            let item = try #require(try JSONSerialization.jsonObject(with: v2.data) as? [String: Any])
            let associations = try #require(item["associations"] as? [[String: Any]])
            let picture = try #require(associations.first { $0["type"] as? String == "picture" })
            #expect(picture["name"] as? String == "featuremedia")
            let renditions = try #require(picture["renditions"] as? [[String: Any]])
            #expect(renditions.count == lead.renditions.count)
            #expect(Set(renditions.compactMap { $0["contenttype"] as? String }).isSuperset(of: ["image/jpeg", "image/webp"]))
            #expect(renditions.allSatisfy { ($0["href"] as? String)?.hasPrefix("https://wire.example.org/media/") == true && $0["sizeinbytes"] is Int && $0["width"] is Int })
            #expect((picture["descriptions"] as? [[String: Any]])?.first?["value"] as? String == "A yellow sign on green")
            let document = try #require(associations.first { $0["name"] as? String == "document1" })
            #expect((document["renditions"] as? [[String: Any]])?.first?["contenttype"] as? String == "application/pdf")
            let v3Item = try #require(try JSONSerialization.jsonObject(with: v3.data) as? [String: Any])
            let v3Picture = try #require((v3Item["associations"] as? [[String: Any]])?.first { $0["type"] as? String == "picture" })
            #expect((v3Picture["renditions"] as? [[String: Any]])?.first?["sizeInBytes"] is Int)
            let listed = try #require(try JSONSerialization.jsonObject(with: list.data) as? [String: Any])
            let listedItem = try #require((listed["items"] as? [[String: Any]])?.first { (($0["headlines"] as? [[String: Any]])?.first?["value"] as? String) == Self.headline })
            #expect((listedItem["associations"] as? [[String: Any]])?.contains { $0["type"] as? String == "picture" } == true, "the list carries media too")
        }
    }

    @Test("NewsML-G2 links every attached file with its type and size, and each photo's picture item with its renditions; both validate against the 2.35 XSD")
    func newsML() async throws {
        let clock = TestClock()
        try await withApp(clock: clock) { client, store in
            // setup
            let (slug, _, _) = try await publishedWithMedia(store, now: clock.now)
            let release = try await publicReleaseWithMedia(store, slug: slug, now: clock.now)
            let jpeg = try #require(release.leadImage?.primary)
            let pdf = try #require(release.media.first { $0.kind == .document }?.primary)

            // MUT
            let item = try await body(client, "/releases/\(slug)/newsml.xml")

            // validation
            let validation = try validateXML(item.data, schema: "newsml-g2/NewsML-G2_2.35-spec-All-Power.xsd")
            #expect(validation.valid, "\(validation.messages)")
            let xml = String(decoding: item.data, as: UTF8.self)
            #expect(xml.contains(#"href="https://wire.example.org/media/\#(jpeg.fileName)" contenttype="image/jpeg" size="\#(jpeg.byteSize)" title="A yellow sign on green""#))
            #expect(xml.contains(#"href="https://wire.example.org/media/\#(pdf.fileName)" contenttype="application/pdf" size="\#(pdf.byteSize)""#))

            // The photo's own picture item: linked from the text item, every rendition, valid.
            let image = try #require(release.leadImage)
            let picturePath = "/releases/\(slug)/media/\(image.id.rawValue)/newsml.xml"
            #expect(xml.contains(#"rel="irel:associatedWith" href="https://wire.example.org\#(picturePath)" contenttype="application/vnd.iptc.g2.newsitem+xml""#))
            let picture = try await body(client, picturePath)
            let pictureValidation = try validateXML(picture.data, schema: "newsml-g2/NewsML-G2_2.35-spec-All-Power.xsd")
            #expect(pictureValidation.valid, "\(pictureValidation.messages)")
            let pictureXML = String(decoding: picture.data, as: UTF8.self)
            #expect(pictureXML.contains(#"<itemClass qcode="ninat:picture"/>"#))
            #expect(pictureXML.contains("<headline>A yellow sign on green</headline>"))
            for rendition in image.renditions {
                #expect(pictureXML.contains(#"href="https://wire.example.org/media/\#(rendition.fileName)" contenttype="\#(rendition.mediaType)" size="\#(rendition.byteSize)""#), "\(rendition.name)")
            }
            // The document has no picture item, nor does an id that names nothing.
            let documentID = try #require(release.media.first { $0.kind == .document }?.id)
            #expect(try await client.execute(uri: "/releases/\(slug)/media/\(documentID.rawValue)/newsml.xml", method: .get) { $0.status } == .notFound)
            #expect(try await client.execute(uri: "/releases/\(slug)/media/\(MediaID().rawValue)/newsml.xml", method: .get) { $0.status } == .notFound)
        }
    }

    @Test("The alert mail shows the lead image with alt text, size and an absolute address in its HTML part; the digest a smaller one; the plain text names no file")
    func mail() async throws {
        let clock = TestClock()
        try await withApp(clock: clock) { _, store in
            // setup
            let (slug, _, _) = try await publishedWithMedia(store, now: clock.now)
            let release = try await publicReleaseWithMedia(store, slug: slug, now: clock.now)
            let settings = testSettings(store.hub.location)
            let jpeg = try #require(release.leadImage?.renditions(ofType: "image/jpeg").last)
            let renderer = try await PageRenderer.load(resourcesDirectory: settings.resourcesDirectory)
            let mail = SubscriberMail(settings: settings, library: renderer.library, key: try await SubscriptionTokenKey.load(from: store.hub), now: clock.now, appeal: .none)
            let item = ReleaseMailItem(release, settings: settings)

            // MUT
            let alert = try mail.alert(item)
            let digest = try mail.digest([item])

            // validation
            let html = alert.html.filled(preferences: "https://p", unsubscribe: "https://u")
            let image = #"<img src="https://wire.example.org/media/\#(jpeg.fileName)" alt="A yellow sign on green" width="\#(jpeg.width ?? 0)" height="\#(jpeg.height ?? 0)""#
            #expect(html.contains(image), "\(html)")
            #expect(digest.html.filled(preferences: "https://p", unsubscribe: "https://u").contains(image))
            let text = alert.text.filled(preferences: "https://p", unsubscribe: "https://u")
            #expect(!text.contains("/media/"))
        }
    }
}
