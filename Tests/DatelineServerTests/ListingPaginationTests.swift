import DatelineCore
@testable import DatelineServer
import FluentKit
import Foundation
import Hummingbird
import HummingbirdTesting
import SQLKit
import ReleaseImport
import Testing

/// Listing pages by position (`?before=slug`, `?after=slug`), sitemap files by week, and the
/// ninjs list's `before`: every listed release reached exactly once, in order, on both databases.
@Suite("Listing pagination")
struct ListingPaginationTests {
    /// The slugs of the releases a listing page shows, in order.
    static func listedSlugs(_ html: String) -> [String] {
        html.components(separatedBy: "<ol class=\"release-list\">").last?.components(separatedBy: "</ol>").first?
            .components(separatedBy: "<h2><a href=\"/releases/").dropFirst()
            .compactMap { $0.components(separatedBy: "\"").first?.removingPercentEncoding } ?? []
    }

    static func link(_ rel: String, in html: String) -> String? {
        html.components(separatedBy: "rel=\"\(rel)\" href=\"").dropFirst().first?.components(separatedBy: "\"").first?
            .replacingOccurrences(of: "&amp;", with: "&")
    }

    /// Listed, lifted releases in the listings' order, read the plain way.
    static func expectedOrder(_ database: any Database, now: Date, filter: (QueryBuilder<ReleaseModel>) -> QueryBuilder<ReleaseModel> = { $0 }) async throws -> [String] {
        try await filter(ReleaseModel.query(on: database)
            .filter(\.$status ~~ ReleaseStatus.listed.map(\.rawValue))
            .group(.or) { $0.filter(\.$embargoUntil == nil).filter(\.$embargoUntil <= now) })
            .sort(\.$releasedAt, .descending).sort(\.$publishedAt, .descending).sort(\.$id, .descending)
            .all().map(\.slug)
    }

    /// Follows "Older" links from `start` to the end, then "Newer" links back; returns the slugs
    /// seen going back and forth, and checks both directions show the same pages.
    static func walk(_ client: any TestClientProtocol, from start: String) async throws -> [String] {
        var pages: [[String]] = []
        var paths: [String] = []
        var next: String? = start
        while let path = next, pages.count < 1_000 {
            let html = try await client.execute(uri: path, method: .get) { response in
                #expect(response.status == .ok, "\(path)")
                return String(buffer: response.body)
            }
            pages.append(Self.listedSlugs(html))
            paths.append(path)
            next = Self.link("next", in: html)
        }
        // Back again by "Newer" from the last page.
        var back: [[String]] = []
        var previous: String? = paths.last
        while let path = previous, back.count < 1_000 {
            let html = try await client.execute(uri: path, method: .get) { String(buffer: $0.body) }
            back.append(Self.listedSlugs(html))
            previous = Self.link("prev", in: html)
        }
        #expect(back.reversed().flatMap { $0 } == pages.flatMap { $0 }, "Newer links walk back through the same releases")
        return pages.flatMap { $0 }
    }

    @Test("Older and Newer links reach every listed release once, in order, on the home, organization and topic pages; a hidden release's slug as a position is a 404 like an unknown one")
    func walkTheArchive() async throws {
        try await TestDatabase.withFresh { location in
            let settings = testSettings(location)
            let hub = try DatabaseHub(location: location, logger: quietLogger)
            try await hub.migrate()
            _ = try await BenchData(hub: hub, settings: settings, logger: quietLogger).run(BenchData.Options(releases: 400, organizations: 6, seed: 11))
            let database = try hub.database
            let now = Date()
            let renderer = try await PageRenderer.load(resourcesDirectory: settings.resourcesDirectory)
            let app = Application(router: buildRouter(settings: settings, hub: hub, renderer: renderer, clock: { now }))
            let organization = try #require(try await OrganizationModel.query(on: database).sort(\.$name).first())
            let topic = try #require(try await TopicModel.query(on: database).sort(\.$name).first())
            let hidden = try #require(try await ReleaseModel.query(on: database).filter(\.$status ~~ ["draft", "embargoed"]).first())

            try await app.test(.router) { client in
                let home = try await Self.walk(client, from: "/")
                #expect(home == (try await Self.expectedOrder(database, now: now)))
                #expect(home.count > 300)

                let organizationPages = try await Self.walk(client, from: "/organizations/\(organization.slug)")
                #expect(organizationPages == (try await Self.expectedOrder(database, now: now) { $0.filter(\.$organization.$id == organization.id!) }))

                let topicIDs = Set(try await ReleaseTopicModel.query(on: database).filter(\.$topic.$id == topic.id!).all().map(\.$release.id))
                let topicPages = try await Self.walk(client, from: "/topics/\(topic.slug)")
                let expectedTopic = try await Self.expectedOrder(database, now: now) { $0.filter(\.$id ~~ Array(topicIDs)) }
                #expect(topicPages == expectedTopic)
                #expect(!topicPages.isEmpty)

                // Numbered pages still answer, by offset.
                let second = try await client.execute(uri: "/?page=2", method: .get) { String(buffer: $0.body) }
                #expect(Self.listedSlugs(second) == Array(home[3..<6]))

                // A hidden release, an unknown slug and a malformed position: the same 404.
                let unknown = try await client.execute(uri: "/?before=no-such-release", method: .get) { ($0.status, String(buffer: $0.body)) }
                #expect(unknown.0 == .notFound)
                for path in ["/?before=\(hidden.slug)", "/?after=\(hidden.slug)", "/organizations/\(organization.slug)?before=\(hidden.slug)", "/topics/\(topic.slug)?after=\(hidden.slug)"] {
                    let answer = try await client.execute(uri: path, method: .get) { ($0.status, String(buffer: $0.body)) }
                    #expect(answer.0 == .notFound, "\(path)")
                    #expect(answer.1 == unknown.1, "\(path) differs from an unknown slug's answer")
                }
                for path in ["/?before=", "/?page=2&before=\(home[0])", "/?page=x"] {
                    #expect(try await client.execute(uri: path, method: .get) { $0.status } == .notFound, "\(path)")
                }
            }

            // A topic read from its own index and one read by walking the listing index agree.
            let releases = PublicReleases(database: database, now: now)
            var fromTopic: [String] = []
            var byListing: [String] = []
            var positions: (ListingPosition, ListingPosition) = (.first, .first)
            while true {
                let a = try #require(try await releases.listing(.topic(topic.id!), at: positions.0, per: 7, smallTopic: 1_000_000_000))
                let b = try #require(try await releases.listing(.topic(topic.id!), at: positions.1, per: 7, smallTopic: 0))
                fromTopic += a.releases.map(\.slug.rawValue)
                byListing += b.releases.map(\.slug.rawValue)
                guard a.hasOlder, b.hasOlder, let lastA = a.releases.last, let lastB = b.releases.last else {
                    #expect(a.hasOlder == b.hasOlder)
                    break
                }
                positions = (.before(lastA.slug), .before(lastB.slug))
            }
            #expect(fromTopic == byListing)
            #expect(fromTopic.count > 10)
            await hub.shutdown()
        }
    }

    @Test("Sitemap files by week list every listed release once, in the week of its date, and nothing hidden; the ninjs list pages back by 'next' through every readable release")
    func sitemapWeeksAndNinjsList() async throws {
        try await TestDatabase.withFresh { location in
            let settings = testSettings(location)
            let hub = try DatabaseHub(location: location, logger: quietLogger)
            try await hub.migrate()
            _ = try await BenchData(hub: hub, settings: settings, logger: quietLogger).run(BenchData.Options(releases: 300, organizations: 4, seed: 5))
            let database = try hub.database
            let now = Date()
            let renderer = try await PageRenderer.load(resourcesDirectory: settings.resourcesDirectory)
            let app = Application(router: buildRouter(settings: settings, hub: hub, renderer: renderer, clock: { now }))
            let listed = try await Self.expectedOrder(database, now: now)
            let hiddenSlugs = try await ReleaseModel.query(on: database).filter(\.$status ~~ ["draft", "embargoed"]).all().map(\.slug)
            #expect(!hiddenSlugs.isEmpty)
            let base = settings.baseURL.absoluteString

            try await app.test(.router) { client in
                let index = try await client.execute(uri: "/sitemap.xml", method: .get) { String(buffer: $0.body) }
                let files = index.components(separatedBy: "<loc>\(base)/sitemaps/releases/").dropFirst().compactMap { $0.components(separatedBy: "</loc>").first }
                #expect(files.count > 10, "twenty years of dates make many weeks")
                var seen: [String] = []
                for name in files {
                    let week = try #require(SitemapWeek(name: name), "\(name) names a Monday")
                    let file = try await client.execute(uri: "/sitemaps/releases/\(name)", method: .get) { response in
                        #expect(response.status == .ok)
                        return String(buffer: response.body)
                    }
                    let slugs = file.components(separatedBy: "<loc>\(base)/releases/").dropFirst().compactMap { $0.components(separatedBy: "</loc>").first?.removingPercentEncoding }
                    #expect(!slugs.isEmpty, "a listed week has releases")
                    for slug in slugs {
                        let release = try #require(try await ReleaseModel.query(on: database).filter(\.$slug == slug).first())
                        #expect(release.releasedAt >= week.start && release.releasedAt < week.end)
                    }
                    seen += slugs
                }
                #expect(seen.count == listed.count)
                #expect(Set(seen) == Set(listed))
                #expect(Set(seen).isDisjoint(with: hiddenSlugs))
                for name in ["2024-03-05", "2024-13-04", "1", "2024-3-4", "2024-03-04x"] {
                    let status = try await client.execute(uri: "/sitemaps/releases/\(name)", method: .get) { $0.status }
                    #expect(status == .notFound, "\(name): \(status)")
                }

                // The ninjs list: first page, then "next" by position to the end.
                var items: [String] = []
                var next: String? = "/api/ninjs"
                while let uri = next, items.count < 1_000 {
                    let data = try await client.execute(uri: uri, method: .get) { response in
                        #expect(response.status == .ok, "\(uri)")
                        return Data(buffer: response.body)
                    }
                    let document = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
                    let page = try #require(document["items"] as? [[String: Any]])
                    items += page.compactMap { $0["uri"] as? String }
                    next = (document["next"] as? String).map { $0.replacingOccurrences(of: base, with: "") }
                }
                let readable = try await ReleaseModel.query(on: database)
                    .filter(\.$status ~~ ReleaseStatus.publiclyReadable.map(\.rawValue))
                    .group(.or) { $0.filter(\.$embargoUntil == nil).filter(\.$embargoUntil <= now) }
                    .count()
                #expect(items.count == readable)
                #expect(Set(items).count == items.count, "no release twice")
            }
            await hub.shutdown()
        }
    }

    @Test("A release dated next week is in the sitemap; a release with no publication time on record is on its listing page after the migration; 'Newer' from a page whose first release was retracted leads to the first page")
    func edges() async throws {
        try await TestDatabase.withFresh { location in
            let settings = testSettings(location)
            let hub = try DatabaseHub(location: location, logger: quietLogger)
            try await hub.migrate()
            let now = Date()
            let store = ReleaseStore(hub: hub, clock: { now })
            var slugs: [String] = []
            for (index, date) in ["2026-01-05", "2026-01-06", "2026-01-07", "2026-01-08"].enumerated() {
                var release = ImportedRelease(headline: "Edge release \(index)", language: "en")
                release.issuer = "Rivers Trust"
                release.date = date
                release.body = ["Text \(index)."]
                guard case .imported(_, let slug, _) = try await store.store(release, options: ImportOptions(publish: true)) else { Issue.record("not imported"); return }
                slugs.append(slug)
            }
            var ahead = ImportedRelease(headline: "Dated ahead", language: "en")
            ahead.issuer = "Rivers Trust"
            ahead.body = ["Next week's news."]
            let nextWeek = now.addingTimeInterval(9 * 86_400)
            ahead.date = ReleaseDate.machine(nextWeek, timeZone: TimeZone(identifier: "UTC")!)
            guard case .imported(_, let aheadSlug, _) = try await store.store(ahead, options: ImportOptions(publish: true)) else { Issue.record("not imported"); return }
            let (stored, aheadDate) = (slugs, try #require(ahead.date))

            // A row with no publication time, as hand edits or old data may leave it.
            let sql = try #require(try hub.database as? any SQLDatabase)
            try await hub.writeSQL { database in
                try await database.raw("UPDATE releases SET published_at = NULL WHERE slug = \(bind: stored[1])").run()
            }
            try await hub.write { database in try await UpdateReleasesFillPublicationTimes().prepare(on: database) }
            #expect(try await sql.raw("SELECT COUNT(*) AS n FROM releases WHERE published_at IS NULL").first()?.decode(column: "n", as: Int.self) == 0)

            let renderer = try await PageRenderer.load(resourcesDirectory: settings.resourcesDirectory)
            let app = Application(router: buildRouter(settings: settings, hub: hub, renderer: renderer, clock: { now }))
            try await app.test(.router) { client in
                let index = try await client.execute(uri: "/sitemap.xml", method: .get) { String(buffer: $0.body) }
                let week = SitemapWeek(containing: try #require(ReleaseStore.day(from: aheadDate))).name
                #expect(index.contains("/sitemaps/releases/\(week)</loc>"), "the week of a release dated ahead")
                let file = try await client.execute(uri: "/sitemaps/releases/\(week)", method: .get) { String(buffer: $0.body) }
                #expect(file.contains(aheadSlug))

                // Pages of 3: every release, the one that had no publication time among them.
                let walked = try await Self.walk(client, from: "/")
                #expect(Set(walked) == Set(stored + [aheadSlug]) && walked.count == 5)

                // Every release of the first page is retracted: the second page's "Newer" link
                // finds nothing newer and leads to the (new) first page.
                let first = try await client.execute(uri: "/", method: .get) { String(buffer: $0.body) }
                let older = try #require(Self.link("next", in: first))
                let second = try await client.execute(uri: older, method: .get) { String(buffer: $0.body) }
                let newer = try #require(Self.link("prev", in: second))
                for slug in Self.listedSlugs(first) {
                    try await ReleaseCorrections(hub: hub, clock: { now }).retract(slug, note: "Issued in error.", actor: "test")
                }
                let back = try await client.execute(uri: newer, method: .get) { response in
                    #expect(response.status == .ok)
                    return String(buffer: response.body)
                }
                #expect(Self.listedSlugs(back) == Self.listedSlugs(second))
                #expect(try await client.execute(uri: "/?after=no-such-release", method: .get) { $0.status } == .notFound)
            }
            await hub.shutdown()
        }
    }
}
