import DatelineCore
@testable import DatelineServer
import FluentKit
import Foundation
import Hummingbird
import HummingbirdTesting
import ReleaseImport
import Testing

/// A published release with every part filled in, and a hostile one.
func storeSyndicationFixtures(_ store: ReleaseStore, now: Date) async throws -> (full: String, hostile: String) {
    var full = ImportedRelease(headline: "Rivers Trust Opens Three New Wetlands", language: "en")
    full.subheadline = "Habitats for birds and a buffer against floods"
    full.issuer = "Rivers Trust"
    full.datelineCity = "LEEDS"
    full.date = "2026-05-04"
    full.releaseTiming = .embargoed
    full.embargoUntil = now.addingTimeInterval(-3600)  // lifted an hour ago
    full.body = ["The Rivers Trust today opened three wetlands on the Aire.", "“Wetlands store water,” said Ann Bell, director."]
    full.boilerplate = "The Rivers Trust cares for rivers."
    full.statementURL = "https://rivers.example.org/news/wetlands"
    full.contacts = [ImportedContact(name: "Sam Reed", title: "Press officer", email: "press@rivers.example.org", phone: "+44 113 496 0000")]
    guard case .imported(_, let fullSlug, _) = try await store.store(full, options: ImportOptions(publish: true, topics: ["Environment"], organizationWebsite: "https://rivers.example.org")) else {
        throw TestFailure("fixture not imported")
    }
    var hostile = ImportedRelease(headline: "Tom & \"Jerry\" <script>alert('x')</script> ]]> \u{0008}خبر فوری", language: "en")
    hostile.issuer = "Acme <b>& Sons</b>"
    hostile.body = ["<img src=x onerror=alert(1)> & \"quotes\" — نص عربي"]
    guard case .imported(_, let hostileSlug, _) = try await store.store(hostile, options: ImportOptions(publish: true, topics: ["Weird & <Odd>"])) else {
        throw TestFailure("hostile fixture not imported")
    }
    return (fullSlug, hostileSlug)
}

struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

func body(_ client: any TestClientProtocol, _ uri: String, headers: HTTPFields = [:]) async throws -> (status: HTTPResponse.Status, headers: HTTPFields, data: Data) {
    try await client.execute(uri: uri, method: .get, headers: headers) { ($0.status, $0.headers, Data(buffer: $0.body)) }
}

@Suite("Syndication formats")
struct SyndicationFormatsTests {
    static let hostileHeadline = "Tom & \"Jerry\" <script>alert('x')</script> ]]> خبر فوری"

    @Test("Every feed of every kind parses with feedparser, without errors, with each entry's fields")
    func everyFeed() async throws {
        let clock = TestClock()
        try await withApp(clock: clock) { client, store in
            // setup
            let (full, _) = try await storeSyndicationFixtures(store, now: clock.now)

            for subject in ["", "/organizations/rivers-trust", "/topics/environment", "/languages/en"] {
                for format in ["atom", "rss", "json"] {
                    // MUT
                    let uri = "\(subject)/feed.\(format)"
                    let response = try await body(client, uri)
                    let parsed = try parseWithFeedparser(response.data, contentType: response.headers[.contentType])

                    // validation
                    #expect(response.status == .ok, "\(uri)")
                    #expect(parsed.bozo == false, "\(uri): \(parsed.bozo_exception ?? "")")
                    #expect(parsed.version == ["atom": "atom10", "rss": "rss20", "json": "json11"][format], "\(uri)")
                    let entry = try #require(parsed.entries.first { $0.title == "Rivers Trust Opens Three New Wetlands" }, "\(uri)")
                    #expect(entry.link == "https://wire.example.org/releases/\(full)", "\(uri)")
                    #expect(entry.id?.hasPrefix("tag:wire.example.org,") == true, "\(uri)")
                    #expect(entry.author == "Rivers Trust", "\(uri)")
                    #expect(entry.content?.contains("LEEDS") == true, "dateline in \(uri)")
                    #expect(entry.content?.contains("The Rivers Trust today opened three wetlands") == true, "\(uri)")
                    #expect(entry.published != nil && entry.updated != nil, "\(uri)")
                    #expect(parsed.feed.links.contains { $0.rel == "self" } || format == "json", "\(uri)")
                }
            }
            // Feed ids never change between formats and requests.
            let atom = try parseWithFeedparser(try await body(client, "/feed.atom").data)
            let json = try parseWithFeedparser(try await body(client, "/feed.json").data, contentType: "application/feed+json")
            #expect(Set(atom.entries.compactMap(\.id)) == Set(json.entries.compactMap(\.id)))
            try await client.execute(uri: "/languages/xx/feed.atom", method: .get) { #expect($0.status == .notFound) }
            try await client.execute(uri: "/topics/nothing/feed.rss", method: .get) { #expect($0.status == .notFound) }
        }
    }

    @Test("ninjs 2.1 and 3.1 validate against IPTC's schemas and carry the release's fields")
    func ninjs() async throws {
        let clock = TestClock()
        try await withApp(clock: clock) { client, store in
            // setup
            let (full, hostile) = try await storeSyndicationFixtures(store, now: clock.now)

            for slug in [full, hostile] {
                // MUT
                let v2 = try await body(client, "/releases/\(slug.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed)!)/ninjs.json")
                let v3 = try await body(client, "/releases/\(slug.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed)!)/ninjs3.json")

                // validation
                #expect(v2.status == .ok && v3.status == .ok)
                #expect(v2.headers[.contentType] == "application/json; charset=utf-8")
                #expect(try validateJSON(v2.data, schema: "ninjs/ninjs-schema_2.1.json") == [])
                #expect(try validateJSON(v2.data, schema: "ninjs/ninjs-schema_2.2.json") == [])
                #expect(try validateJSON(v3.data, schema: "ninjs/ninjs-schema_3.1.json") == [])
            }
            let item = try #require(try JSONSerialization.jsonObject(with: try await body(client, "/releases/\(full)/ninjs.json").data) as? [String: Any])
            #expect(item["pubstatus"] as? String == "usable")
            #expect(item["embargoed"] is String, "the lift time is carried")
            #expect(item["version"] as? String == "1")
            #expect(item["language"] as? String == "en")
            #expect(item["located"] as? String == "LEEDS")
            #expect((item["headlines"] as? [[String: Any]])?.map { $0["value"] as? String } == ["Rivers Trust Opens Three New Wetlands", "Habitats for birds and a buffer against floods"])
            let organisation = try #require((item["organisations"] as? [[String: Any]])?.first)
            #expect(organisation["name"] as? String == "Rivers Trust")
            let people = try #require(item["people"] as? [[String: Any]])
            let contactValues = (people.first?["contactinfo"] as? [[String: Any]])?.compactMap { $0["value"] as? String }
            #expect(contactValues == ["press@rivers.example.org", "+44 113 496 0000"])
            #expect((item["associations"] as? [[String: Any]])?.first?["name"] as? String == "boilerplate")
            let v3 = try #require(try JSONSerialization.jsonObject(with: try await body(client, "/releases/\(full)/ninjs3.json").data) as? [String: Any])
            #expect(v3["pubStatus"] as? String == "usable")
            #expect(v3["embargoedUntil"] as? String == item["embargoed"] as? String)

            let list = try #require(try JSONSerialization.jsonObject(with: try await body(client, "/api/ninjs").data) as? [String: Any])
            let items = try #require(list["items"] as? [Any])
            #expect(items.count == 2)
            for listed in items {
                #expect(try validateJSON(try JSONSerialization.data(withJSONObject: listed), schema: "ninjs/ninjs-schema_2.1.json") == [])
            }
        }
    }

    @Test("NewsML-G2 validates against the 2.35 XSD; the release page links every format")
    func newsMLAndAlternates() async throws {
        let clock = TestClock()
        try await withApp(clock: clock) { client, store in
            let (full, hostile) = try await storeSyndicationFixtures(store, now: clock.now)
            for slug in [full, hostile] {
                let item = try await body(client, "/releases/\(slug.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed)!)/newsml.xml")
                #expect(item.headers[.contentType] == "application/vnd.iptc.g2.newsitem+xml; charset=utf-8")
                let validation = try validateXML(item.data, schema: "newsml-g2/NewsML-G2_2.35-spec-All-Power.xsd")
                #expect(validation.valid, "\(validation.messages)")
            }
            let page = String(decoding: try await body(client, "/releases/\(full)").data, as: UTF8.self)
            #expect(page.contains("<link rel=\"alternate\" type=\"application/vnd.iptc.g2.newsitem+xml\" title=\"NewsML-G2\" href=\"https://wire.example.org/releases/\(full)/newsml.xml\">"))
            #expect(page.contains("<link rel=\"alternate\" type=\"application/json\" title=\"ninjs\" href=\"https://wire.example.org/releases/\(full)/ninjs.json\">"))
            for format in ["atom+xml", "rss+xml", "feed+json"] {
                #expect(page.contains("type=\"application/\(format)\""), "autodiscovery of \(format)")
            }
        }
    }

    @Test("The release page carries NewsArticle JSON-LD, Open Graph and a canonical link")
    func structuredData() async throws {
        let clock = TestClock()
        try await withApp(clock: clock) { client, store in
            let (full, hostile) = try await storeSyndicationFixtures(store, now: clock.now)
            let page = String(decoding: try await body(client, "/releases/\(full)").data, as: UTF8.self)
            let article = try #require(try extractJSONLD(page).first)
            #expect(article["@context"] as? String == "https://schema.org")
            #expect(article["@type"] as? String == "NewsArticle")
            #expect(article["headline"] as? String == "Rivers Trust Opens Three New Wetlands")
            #expect(article["dateline"] as? String == "LEEDS")
            #expect((article["datePublished"] as? String)?.hasSuffix("Z") == true || (article["datePublished"] as? String)?.contains("+") == true, "with a zone")
            #expect(article["dateModified"] is String)
            #expect(article["inLanguage"] as? String == "en")
            #expect((article["author"] as? [String: Any])?["name"] as? String == "Rivers Trust")
            #expect((article["author"] as? [String: Any])?["@type"] as? String == "Organization")
            #expect((article["publisher"] as? [String: Any])?["name"] as? String == "Dateline")
            #expect(article["isAccessibleForFree"] as? Bool == true)
            #expect(article["isBasedOn"] as? String == "https://rivers.example.org/news/wetlands")
            #expect(page.contains("<meta property=\"og:title\" content=\"Rivers Trust Opens Three New Wetlands\">"))
            #expect(page.contains("<meta name=\"twitter:card\" content=\"summary\">"))
            #expect(page.contains("<link rel=\"canonical\" href=\"https://wire.example.org/releases/\(full)\">"))

            // A hostile headline stays inert in the JSON-LD block and decodes back unchanged.
            let hostilePage = String(decoding: try await body(client, "/releases/\(hostile.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed)!)").data, as: UTF8.self)
            #expect(hostilePage.occurrences(of: "<script") == 1)
            #expect(!hostilePage.contains("<script>alert"))
            #expect(!hostilePage.contains("<img src=x"))
            let hostileArticle = try #require(try extractJSONLD(hostilePage).first)
            #expect(hostileArticle["headline"] as? String == Self.hostileHeadline)
        }
    }

    @Test("Hostile text round-trips through every format unchanged and inert")
    func hostileRoundTrip() async throws {
        let clock = TestClock()
        try await withApp(clock: clock) { client, store in
            let (_, hostile) = try await storeSyndicationFixtures(store, now: clock.now)
            let path = "/releases/\(hostile.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed)!)"
            for format in ["atom", "rss", "json"] {
                let response = try await body(client, "/feed.\(format)")
                let parsed = try parseWithFeedparser(response.data, contentType: response.headers[.contentType])
                #expect(parsed.bozo == false)
                let entry = try #require(parsed.entries.first { $0.title?.hasPrefix("Tom") == true }, "\(format)")
                #expect(entry.content?.contains("&lt;img src=x onerror=alert(1)&gt; &amp; ") == true, "\(format): \(entry.content ?? "")")
                #expect(entry.content?.contains("نص عربي") == true)
                if format == "json" {
                    // feedparser-rs treats JSON Feed titles as HTML and sanitizes them; JSON Feed 1.1 says
                    // they are plain text, so the exact values are read with a JSON decoder.
                    let document = try JSONSerialization.jsonObject(with: response.data) as? [String: Any]
                    let item = try #require((document?["items"] as? [[String: Any]])?.first { ($0["title"] as? String)?.hasPrefix("Tom") == true })
                    #expect(item["title"] as? String == Self.hostileHeadline)
                    #expect((item["authors"] as? [[String: Any]])?.first?["name"] as? String == "Acme <b>& Sons</b>")
                } else {
                    #expect(entry.title == Self.hostileHeadline, "\(format)")
                    #expect(entry.author == "Acme <b>& Sons</b>", "\(format)")
                }
            }
            let ninjs = try #require(try JSONSerialization.jsonObject(with: try await body(client, "\(path)/ninjs.json").data) as? [String: Any])
            #expect((ninjs["headlines"] as? [[String: Any]])?.first?["value"] as? String == Self.hostileHeadline)
            let newsML = try await body(client, "\(path)/newsml.xml").data
            #expect(try validateXML(newsML).valid)
            #expect(String(decoding: newsML, as: UTF8.self).contains("Tom &amp; \"Jerry\" &lt;script&gt;alert('x')&lt;/script&gt; ]]&gt; خبر فوری"))
            let sitemap = try await body(client, "/sitemaps/news.xml").data
            #expect(try validateXML(sitemap).valid)
        }
    }

    @Test("Sitemaps and robots.txt list the public pages and nothing else")
    func sitemaps() async throws {
        let clock = TestClock()
        try await withApp(clock: clock) { client, store in
            let (full, _) = try await storeSyndicationFixtures(store, now: clock.now)
            var draft = ImportedRelease(headline: "Draft in the drawer", language: "en")
            draft.issuer = "Rivers Trust"
            draft.body = ["Unpublished."]
            _ = try await store.store(draft, options: ImportOptions(publish: false))

            let index = try await body(client, "/sitemap.xml")
            #expect(try validateXML(index.data).valid)
            let indexText = String(decoding: index.data, as: UTF8.self)
            #expect(indexText.contains("<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">"))
            // The fixture is dated 2026-05-04: its sitemap file is that week's.
            let week = SitemapWeek(containing: try #require(ReleaseStore.day(from: "2026-05-04"))).name
            #expect(indexText.contains("https://wire.example.org/sitemaps/releases/\(week)"))
            let releases = String(decoding: try await body(client, "/sitemaps/releases/\(week)").data, as: UTF8.self)
            #expect(releases.contains("<loc>https://wire.example.org/releases/\(full)</loc>"))
            #expect(!releases.contains("draft-in-the-drawer"))
            let pages = String(decoding: try await body(client, "/sitemaps/pages.xml").data, as: UTF8.self)
            #expect(pages.contains("https://wire.example.org/organizations/rivers-trust"))
            #expect(pages.contains("https://wire.example.org/topics/environment"))
            let news = try await body(client, "/sitemaps/news.xml")
            #expect(try validateXML(news.data).valid)
            #expect(String(decoding: news.data, as: UTF8.self).contains("<news:title>Rivers Trust Opens Three New Wetlands</news:title>"))
            // Two days later the release has left the news sitemap, but not the sitemap.
            clock.advance(by: 3 * 24 * 3600)
            #expect(!String(decoding: try await body(client, "/sitemaps/news.xml").data, as: UTF8.self).contains("Rivers Trust Opens"))
            let robots = String(decoding: try await body(client, "/robots.txt").data, as: UTF8.self)
            #expect(robots.contains("Sitemap: https://wire.example.org/sitemap.xml"))
        }
    }

    @Test("Conditional GET: ETag and Last-Modified answer 304, and feeds and pages say how long to cache")
    func conditionalGet() async throws {
        let clock = TestClock()
        try await withApp(clock: clock) { client, store in
            let (full, _) = try await storeSyndicationFixtures(store, now: clock.now)
            for uri in ["/feed.atom", "/feed.rss", "/feed.json", "/", "/releases/\(full)", "/releases/\(full)/ninjs.json"] {
                let first = try await body(client, uri)
                let etag = try #require(first.headers[.eTag], "\(uri)")
                #expect(first.headers[.cacheControl]?.hasPrefix("public, max-age=") == true, "\(uri)")
                let lastModified = try #require(first.headers[.lastModified], "\(uri)")
                let byTag = try await body(client, uri, headers: [.ifNoneMatch: etag])
                #expect(byTag.status == .notModified, "\(uri)")
                #expect(byTag.data.isEmpty)
                let byDate = try await body(client, uri, headers: [.ifModifiedSince: lastModified])
                #expect(byDate.status == .notModified, "\(uri)")
                let stale = try await body(client, uri, headers: [.ifNoneMatch: "\"0000\""])
                #expect(stale.status == .ok, "\(uri)")
            }
        }
    }

    @Test("A retraction keeps the URL with its notice, leaves the listings, and updates feed and agency entries")
    func retraction() async throws {
        let clock = TestClock()
        try await withApp(clock: clock) { client, store in
            // setup
            let (full, _) = try await storeSyndicationFixtures(store, now: clock.now)
            let before = try parseWithFeedparser(try await body(client, "/feed.atom").data).entries.first { $0.link?.hasSuffix(full) == true }
            clock.advance(by: 60)
            // Through the one retraction path, which also drops the cached pages it changes.
            try await ReleaseCorrections(hub: store.hub, clock: { clock.now }).retract(full, note: "Issued in error.", actor: "test")

            // MUT + validation
            let page = String(decoding: try await body(client, "/releases/\(full)").data, as: UTF8.self)
            #expect(page.contains("Notice to disregard"))
            let home = String(decoding: try await body(client, "/").data, as: UTF8.self)
            #expect(!home.contains("Rivers Trust Opens"))
            let after = try #require(try parseWithFeedparser(try await body(client, "/feed.atom").data).entries.first { $0.link?.hasSuffix(full) == true })
            #expect(after.id == before?.id, "same entry, updated")
            #expect(after.title == "Retracted: Rivers Trust Opens Three New Wetlands")
            #expect(after.content?.contains("retracted by its issuer") == true)
            #expect(after.content?.contains("three wetlands") == false)
            let ninjs = try #require(try JSONSerialization.jsonObject(with: try await body(client, "/releases/\(full)/ninjs.json").data) as? [String: Any])
            #expect(ninjs["pubstatus"] as? String == "canceled")
            let newsML = String(decoding: try await body(client, "/releases/\(full)/newsml.xml").data, as: UTF8.self)
            #expect(newsML.contains("stat:canceled"))
        }
    }

    @Test("A correction updates the same feed entry and raises the agency version")
    func correction() async throws {
        let clock = TestClock()
        try await withApp(clock: clock) { client, store in
            // setup
            let (full, _) = try await storeSyndicationFixtures(store, now: clock.now)
            let before = try #require(try parseWithFeedparser(try await body(client, "/feed.atom").data).entries.first { $0.link?.hasSuffix(full) == true })
            // Through the one correction path, which also drops the cached pages it changes.
            try await ReleaseCorrections(hub: store.hub, clock: { clock.now }).correct(full, body: "The Rivers Trust today opened four wetlands on the Aire.", note: "Four wetlands, not three.", actor: "test")

            // MUT
            let after = try #require(try parseWithFeedparser(try await body(client, "/feed.atom").data).entries.first { $0.link?.hasSuffix(full) == true })
            let ninjs = try #require(try JSONSerialization.jsonObject(with: try await body(client, "/releases/\(full)/ninjs.json").data) as? [String: Any])

            // validation
            #expect(after.id == before.id)
            #expect(after.content?.contains("four wetlands") == true)
            #expect(ninjs["version"] as? String == "2")
            #expect(ninjs["pubstatus"] as? String == "usable")
            let home = String(decoding: try await body(client, "/").data, as: UTF8.self)
            #expect(home.contains("Rivers Trust Opens"), "a corrected release stays listed")
        }
    }

    @Test("An embargoed release appears in no format before its lift time")
    func embargoedInNoFormat() async throws {
        let clock = TestClock()
        try await withApp(clock: clock) { client, store in
            // setup: a release embargoed for an hour, carrying a unique marker
            let marker = "MARKER-\(UUID().uuidString)"
            var embargoed = ImportedRelease(headline: "Quarterly results \(marker)", language: "en")
            embargoed.issuer = "Rivers Trust"
            embargoed.releaseTiming = .embargoed
            embargoed.embargoUntil = clock.now.addingTimeInterval(3600)
            embargoed.body = ["Profits rose. \(marker)"]
            guard case .imported(_, let slug, let status) = try await store.store(embargoed, options: ImportOptions(publish: true, topics: ["Environment"])) else {
                Issue.record("not imported"); return
            }
            #expect(status == "embargoed")
            _ = try await storeSyndicationFixtures(store, now: clock.now)

            // MUT + validation
            var uris = ["/", "/organizations/rivers-trust", "/topics/environment", "/api/ninjs", "/sitemap.xml", "/sitemaps/pages.xml", "/sitemaps/news.xml", "/robots.txt"]
            // Every sitemap file the index names, and the one of the embargoed release's week.
            let index = String(decoding: try await body(client, "/sitemap.xml").data, as: UTF8.self)
            uris += index.components(separatedBy: "<loc>https://wire.example.org/sitemaps/releases/").dropFirst().compactMap { $0.components(separatedBy: "</loc>").first }.map { "/sitemaps/releases/\($0)" }
            uris.append("/sitemaps/releases/\(SitemapWeek(containing: clock.now).name)")
            for subject in ["", "/organizations/rivers-trust", "/topics/environment", "/languages/en"] {
                uris += ["atom", "rss", "json"].map { "\(subject)/feed.\($0)" }
            }
            uris += ["/releases/\(slug)", "/releases/\(slug)/ninjs.json", "/releases/\(slug)/ninjs3.json", "/releases/\(slug)/newsml.xml"]
            for uri in uris {
                let response = try await body(client, uri)
                let text = String(decoding: response.data, as: UTF8.self)
                #expect(!text.contains(marker), "\(uri) leaks the embargoed release")
                #expect(!text.contains(slug), "\(uri) leaks the embargoed release's slug")
            }
            for uri in ["/releases/\(slug)", "/releases/\(slug)/ninjs.json", "/releases/\(slug)/newsml.xml"] {
                #expect(try await body(client, uri).status == .notFound, "\(uri)")
            }
        }
    }

    @Test("Feeds advertise the configured WebSub hub")
    func webSubHubLink() async throws {
        try await TestDatabase.withFresh { location in
            var settings = testSettings(location)
            settings.webSubHub = URL(string: "https://hub.example.org/")!
            let app = try await buildApplication(settings: settings, runJobs: false, logger: quietLogger)
            try await app.test(.router) { client in
                let atom = String(decoding: try await body(client, "/feed.atom").data, as: UTF8.self)
                #expect(atom.contains("<link rel=\"hub\" href=\"https://hub.example.org/\"/>") || atom.contains("<link rel=\"hub\" href=\"https://hub.example.org/\"></link>"))
                let rss = String(decoding: try await body(client, "/feed.rss").data, as: UTF8.self)
                #expect(rss.contains("rel=\"hub\""))
                let json = try JSONSerialization.jsonObject(with: try await body(client, "/feed.json").data) as? [String: Any]
                #expect((json?["hubs"] as? [[String: String]])?.first?["url"] == "https://hub.example.org/")
            }
        }
    }
}
