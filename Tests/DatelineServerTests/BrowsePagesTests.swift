import DatelineCore
@testable import DatelineServer
import Foundation
import Hummingbird
import HummingbirdTesting
import ReleaseImport
import Testing

/// The browse pages (`/organizations`, `/topics`, `/languages`, `/languages/<tag>`, the date
/// archive) on the one public read path: what they list, count and link, before and after an
/// embargo lifts, on SQLite and on PostgreSQL.
@Suite("Browse pages")
struct BrowsePagesTests {
    func release(_ issuer: String, _ headline: String, date: String, language: String = "en", embargo: Date? = nil) -> ImportedRelease {
        var release = ImportedRelease(headline: headline, language: language)
        release.issuer = issuer
        release.date = date
        release.body = ["Text of \(headline)."]
        if let embargo { release.releaseTiming = .embargoed; release.embargoUntil = embargo }
        return release
    }

    @Test("Directories and the archive list, count and date only listed, lifted releases; an embargoed one joins them at its lift")
    func onlyPublicReleases() async throws {
        try await TestDatabase.withFresh { location in
            // setup: two organizations with public releases in 2023 and 2024, a draft dated 2025,
            // and an embargoed release of a third organization, in German, dated 2022
            let clock = TestClock()
            let settings = testSettings(location)
            let hub = try DatabaseHub(location: location, logger: quietLogger)
            try await hub.migrate()
            let store = ReleaseStore(hub: hub, clock: { clock.now })
            _ = try await store.store(release("Rivers Trust", "River survey results", date: "2023-03-10"), options: ImportOptions(publish: true, topics: ["Water"]))
            _ = try await store.store(release("Rivers Trust", "Annual report of the trust", date: "2024-05-02"), options: ImportOptions(publish: true, topics: ["Water"]))
            _ = try await store.store(release("Alpine Aid", "Aide d'urgence dans les Alpes", date: "2024-05-20", language: "fr"), options: ImportOptions(publish: true, topics: ["Mountains"]))
            _ = try await store.store(release("Rivers Trust", "Draft plans for next year", date: "2025-01-01"), options: ImportOptions(publish: false, topics: ["Water"]))
            _ = try await store.store(release("Quiet Foundation", "Fusion vereinbart", date: "2022-01-05", language: "de", embargo: clock.now.addingTimeInterval(3600)),
                                      options: ImportOptions(publish: true, topics: ["Secret topic"]))
            let renderer = try await PageRenderer.load(resourcesDirectory: settings.resourcesDirectory)
            let app = Application(router: buildRouter(settings: settings, hub: hub, renderer: renderer, clock: { clock.now }))

            try await app.test(.router) { client in
                func page(_ path: String) async throws -> (HTTPResponse.Status, String) {
                    try await client.execute(uri: path, method: .get) { ($0.status, String(buffer: $0.body)) }
                }

                // MUT: before the lift
                let (organizationsStatus, organizations) = try await page("/organizations")
                let (_, topics) = try await page("/topics")
                let (_, languages) = try await page("/languages")
                let (_, archive) = try await page("/archive")
                let (_, year2024) = try await page("/archive/2024")
                let (_, may2024) = try await page("/archive/2024/05")
                let (_, march2023) = try await page("/archive/2023/03")
                let (year2022Status, year2022) = try await page("/archive/2022")
                let (frenchStatus, french) = try await page("/languages/fr")
                let (germanStatus, _) = try await page("/languages/de")

                // validation
                #expect(organizationsStatus == .ok)
                #expect(organizations.contains("Alpine Aid") && organizations.contains("Rivers Trust"))
                #expect(try #require(organizations.range(of: "Alpine Aid")).lowerBound < (try #require(organizations.range(of: "Rivers Trust"))).lowerBound, "A–Z")
                #expect(organizations.contains("2 releases, latest <time datetime=\"2024-05-02\">"), "the draft dated 2025 is neither counted nor the latest")
                #expect(organizations.contains("1 release, latest <time datetime=\"2024-05-20\">"))
                #expect(organizations.contains("href=\"/organizations/rivers-trust/feed.atom\""), "each organization's feeds are linked")
                #expect(topics.contains("href=\"/topics/water\"") && topics.contains("href=\"/topics/mountains\""))
                #expect(languages.contains("href=\"/languages/en\"") && languages.contains("href=\"/languages/fr\"") && languages.contains("français"))
                #expect(frenchStatus == .ok && french.contains("Aide d&#39;urgence dans les Alpes") && !french.contains("River survey"))
                #expect(french.contains("href=\"/languages/fr/feed.atom\""), "a language's page links its feeds")
                #expect(germanStatus == .notFound, "a language known only from an embargoed release has no page")
                #expect(archive.contains("href=\"/archive/2024\"") && archive.contains("href=\"/archive/2023\""))
                #expect(!archive.contains("/archive/2025") && !archive.contains("/archive/2022"), "no year of a draft or an embargoed release")
                #expect(year2024.contains("href=\"/archive/2024/05\"") && year2024.contains("2 releases"))
                #expect(year2024.contains("Annual report of the trust") && year2024.contains("Aide d&#39;urgence") && !year2024.contains("River survey"))
                #expect(may2024.contains("Annual report of the trust") && may2024.contains("Aide d&#39;urgence"))
                #expect(march2023.contains("River survey results") && !march2023.contains("Annual report"))
                let (_, year1999) = try await page("/archive/1999")
                #expect(year2022Status == .notFound && year2022 == year1999, "a year known only from an embargoed release answers as a year without any")
                for (path, text) in [("/organizations", organizations), ("/topics", topics), ("/languages", languages), ("/archive", archive), ("/archive/2022", year2022), ("/archive/2024", year2024)] {
                    for hidden in ["Quiet Foundation", "Secret topic", "Fusion vereinbart", "Draft plans", "Deutsch"] {
                        #expect(!text.contains(hidden), "\(path) shows \(hidden) before its release is public")
                    }
                }

                // MUT: the embargo lifts
                clock.advance(by: 3601)
                _ = await ReleaseScheduler(hub: hub, logger: quietLogger, clock: { clock.now }).publishDue()

                // validation
                #expect(try await page("/organizations").1.contains("Quiet Foundation"))
                #expect(try await page("/topics").1.contains("Secret topic"))
                #expect(try await page("/languages").1.contains("href=\"/languages/de\""))
                #expect(try await page("/archive").1.contains("href=\"/archive/2022\""))
                #expect(try await page("/archive/2022/01").1.contains("Fusion vereinbart"))
                #expect(try await page("/languages/de").0 == .ok)
            }
            await hub.shutdown()
        }
    }

    @Test("Addresses that name no year, month or language answer 404, not an error", arguments: [
        "/archive/1800", "/archive/3000", "/archive/2024/13", "/archive/2024/00", "/archive/2024/5", "/archive/24", "/archive/abcd",
        "/archive/2024/05?page=0", "/archive/2024?before=no-such-release", "/archive/2023", "/archive/2024/06", "/languages/zz-not-a-tag!", "/languages/xx",
    ])
    func badAddresses(path: String) async throws {
        try await TestDatabase.withFresh { location in
            let clock = TestClock()
            let settings = testSettings(location)
            let hub = try DatabaseHub(location: location, logger: quietLogger)
            try await hub.migrate()
            _ = try await ReleaseStore(hub: hub, clock: { clock.now }).store(release("Rivers Trust", "River survey results", date: "2024-05-10"), options: ImportOptions(publish: true))
            let renderer = try await PageRenderer.load(resourcesDirectory: settings.resourcesDirectory)
            let app = Application(router: buildRouter(settings: settings, hub: hub, renderer: renderer, clock: { clock.now }))
            try await app.test(.router) { client in
                let status = try await client.execute(uri: path, method: .get) { $0.status }
                #expect(status == .notFound, "\(path)")
            }
            await hub.shutdown()
        }
    }

    @Test("A year's releases page by position: Older and Newer links walk them all, each once")
    func archivePagination() async throws {
        try await TestDatabase.withFresh { location in
            let clock = TestClock()
            let settings = testSettings(location)  // three releases a page
            let hub = try DatabaseHub(location: location, logger: quietLogger)
            try await hub.migrate()
            let store = ReleaseStore(hub: hub, clock: { clock.now })
            for day in 1...7 {
                _ = try await store.store(release("Rivers Trust", "Report number \(day)", date: "2024-06-0\(day)"), options: ImportOptions(publish: true))
            }
            _ = try await store.store(release("Rivers Trust", "Report of another year", date: "2023-06-01"), options: ImportOptions(publish: true))
            let renderer = try await PageRenderer.load(resourcesDirectory: settings.resourcesDirectory)
            let app = Application(router: buildRouter(settings: settings, hub: hub, renderer: renderer, clock: { clock.now }))
            try await app.test(.router) { client in
                var seen: [Int] = []
                var path: String? = "/archive/2024"
                while let current = path {
                    let html = try await client.execute(uri: current, method: .get) { String(buffer: $0.body) }
                    #expect(!html.contains("Report of another year"))
                    seen += (1...7).compactMap { number in html.range(of: "Report number \(number)<").map { (number, $0.lowerBound) } }
                        .sorted { $0.1 < $1.1 }.map(\.0)
                    path = html.firstMatch(of: /rel="next" href="([^"]+)"/).map { String($0.1).replacingOccurrences(of: "&amp;", with: "&") }
                }
                #expect(seen == [7, 6, 5, 4, 3, 2, 1])
            }
            await hub.shutdown()
        }
    }
}
