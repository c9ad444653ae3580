import DatelineCore
@testable import DatelineServer
import FluentKit
import Foundation
import Hummingbird
import HummingbirdTesting
import ReleaseImport
import Testing

/// Side doors to unpublished text: what a draft or an embargoed release says about its
/// organization and contacts, the slugs hidden releases hold, and the time a 404 takes.
@Suite("No side doors from hidden releases")
struct HiddenReleaseSideDoorTests {
    /// A release of "Rivers Trust" whose text gives an About paragraph, a Mastodon profile and
    /// the details of the contact Ana Lima, each carrying `marker`.
    func release(_ headline: String, marker: String, embargoedUntil: Date? = nil) -> ImportedRelease {
        var release = ImportedRelease(headline: headline, language: "en")
        release.issuer = "Rivers Trust"
        release.body = ["Results for the quarter."]
        release.boilerplate = "About Rivers Trust: we keep rivers clean. \(marker)"
        release.socialProfiles = [ImportedSocialProfile(network: "Mastodon", handleOrURL: "https://mastodon.example/@\(marker)")]
        release.contacts = [ImportedContact(name: "Ana Lima", title: "Press officer \(marker)", email: "\(marker.lowercased())@rivers.example", phone: "+44 20 7946 \(marker.suffix(4))")]
        if let embargoedUntil {
            release.releaseTiming = .embargoed
            release.embargoUntil = embargoedUntil
        }
        return release
    }

    @Test("Profile and contact details of a draft or embargoed release reach no public surface until that release is public")
    func learnedDetailsWaitForPublication() async throws {
        try await TestDatabase.withFresh { location in
            let clock = TestClock()
            let settings = testSettings(location)
            let hub = try DatabaseHub(location: location, logger: quietLogger)
            try await hub.migrate()
            let store = ReleaseStore(hub: hub, clock: { clock.now })

            // A public release names the contact without details: her blanks are what leaked.
            var visible = ImportedRelease(headline: "Annual report", language: "en")
            visible.issuer = "Rivers Trust"
            visible.body = ["A public release."]
            visible.contacts = [ImportedContact(name: "Ana Lima")]
            guard case .imported(_, let publicSlug, _) = try await store.store(visible, options: ImportOptions(publish: true, topics: ["Water"])) else {
                Issue.record("not imported"); return
            }
            let embargoMarker = "EMBARGOWORD\(Int.random(in: 1000...9999))"
            let draftMarker = "DRAFTWORD\(Int.random(in: 1000...9999))"
            _ = try await store.store(release("Merger agreed", marker: embargoMarker, embargoedUntil: clock.now.addingTimeInterval(3600)), options: ImportOptions(publish: true, topics: ["Water"]))
            _ = try await store.store(release("Draft plans", marker: draftMarker), options: ImportOptions(publish: false, topics: ["Water"]))

            let renderer = try await PageRenderer.load(resourcesDirectory: settings.resourcesDirectory)
            let router = buildRouter(settings: settings, hub: hub, renderer: renderer, clock: { clock.now })
            let app = Application(router: router)
            let publicPaths = [
                "/", "/organizations/rivers-trust", "/topics/water", "/releases/\(publicSlug)",
                "/releases/\(publicSlug)/ninjs.json", "/releases/\(publicSlug)/ninjs3.json", "/releases/\(publicSlug)/newsml.xml",
                "/api/ninjs", "/feed.atom", "/feed.rss", "/feed.json", "/organizations/rivers-trust/feed.atom",
                "/organizations/rivers-trust/feed.json", "/topics/water/feed.rss", "/languages/en/feed.json", "/sitemap.xml",
                "/organizations", "/topics", "/languages", "/languages/en", "/archive", "/sitemaps/pages.xml",
            ]
            try await app.test(.router) { client in
                func body(_ path: String) async throws -> (HTTPResponse.Status, String) {
                    try await client.execute(uri: path, method: .get) { ($0.status, String(buffer: $0.body)) }
                }
                for path in publicPaths {
                    let (status, text) = try await body(path)
                    #expect(status == .ok, "\(path) answers")
                    for marker in [embargoMarker, draftMarker] {
                        #expect(!text.localizedCaseInsensitiveContains(marker), "\(path) shows \(marker) before its release is public")
                    }
                }

                // At the lift, the embargoed release's details fill the blanks; the draft's still wait.
                clock.advance(by: 3601)
                let published = await ReleaseScheduler(hub: hub, logger: quietLogger, clock: { clock.now }).publishDue()
                #expect(published.count == 1)
                let (_, organization) = try await body("/organizations/rivers-trust")
                #expect(organization.contains("we keep rivers clean. \(embargoMarker)"), "the About paragraph is applied at the lift")
                let (_, page) = try await body("/releases/\(publicSlug)")
                #expect(page.contains("\(embargoMarker.lowercased())@rivers.example"), "the contact's email is applied at the lift")
                for path in publicPaths {
                    #expect(!(try await body(path)).1.localizedCaseInsensitiveContains(draftMarker), "\(path) shows the draft's details")
                }
            }

            // The newsroom preview shows the draft as it will read: the details are held, not lost.
            let database = try hub.database
            let draft = try #require(try await ReleaseModel.query(on: database).filter(\.$headline == "Draft plans")
                .with(\.$organization).with(\.$contacts).with(\.$topics).with(\.$versions).first())
            let learned = try #require(LearnedProfile(stored: draft.learnedProfile))
            #expect(learned.contacts.first?.email == "\(draftMarker.lowercased())@rivers.example")
            #expect(draft.releaseAsItWillRead.contacts.first?.title == "Press officer \(embargoMarker)", "the applied title stays: only blanks are filled")
            await hub.shutdown()
        }
    }

    @Test("A public release's slug does not show that a hidden release has the same headline; the hidden one is numbered when it is published")
    func slugsDoNotTellOfHiddenReleases() async throws {
        try await TestDatabase.withFresh { location in
            let clock = TestClock()
            let hub = try DatabaseHub(location: location, logger: quietLogger)
            try await hub.migrate()
            let store = ReleaseStore(hub: hub, clock: { clock.now })
            func imported(_ issuer: String, _ headline: String, publish: Bool, embargo: Date? = nil) async throws -> (id: String, slug: String) {
                var release = ImportedRelease(headline: headline, language: "en")
                release.issuer = issuer
                release.body = ["Text of \(issuer)."]
                if let embargo { release.releaseTiming = .embargoed; release.embargoUntil = embargo }
                guard case .imported(let id, let slug, _) = try await store.store(release, options: ImportOptions(publish: publish)) else {
                    throw ReleaseStoreError.noIssuer
                }
                return (id, slug)
            }
            // Hidden releases first: a draft and an embargoed release holding the plain slugs.
            let draft = try await imported("Org A", "Joint statement on water", publish: false)
            let embargoed = try await imported("Org B", "Joint statement on water", publish: true, embargo: clock.now.addingTimeInterval(600))
            #expect(draft.slug == "joint-statement-on-water")
            // A public release with the same headline takes the plain slug all the same.
            let visible = try await imported("Org C", "Joint statement on water", publish: true)
            #expect(visible.slug == "joint-statement-on-water", "the public slug is not numbered for hidden releases")

            // At the lift the embargoed one takes the first slug no public release holds.
            clock.advance(by: 601)
            await ReleaseScheduler(hub: hub, logger: quietLogger, clock: { clock.now }).publishDue()
            let database = try hub.database
            func slug(of id: String) async throws -> String? { try await ReleaseModel.find(id, on: database)?.slug }
            #expect(try await slug(of: embargoed.id) == "joint-statement-on-water-2")
            #expect(try await slug(of: visible.id) == "joint-statement-on-water", "a public slug never changes")
            // The draft, published through the newsroom's state machine, comes next.
            let model = try #require(try await ReleaseModel.find(draft.id, on: database))
            try await hub.write { database in
                try await ReleaseTransitions.move(model, to: .submitted, actor: "test", at: clock.now, on: database)
                try await ReleaseTransitions.move(model, to: .published, actor: "test", at: clock.now, on: database)
            }
            #expect(try await slug(of: draft.id) == "joint-statement-on-water-3")
            await hub.shutdown()
        }
    }

    @Test("A 404 for an organization or topic known only from hidden releases takes as long as one for a name that never existed")
    func notFoundTimingTellsNothing() async throws {
        try await TestDatabase.withFresh { location in
            let clock = TestClock()
            let settings = testSettings(location)
            let hub = try DatabaseHub(location: location, logger: quietLogger)
            try await hub.migrate()
            let store = ReleaseStore(hub: hub, clock: { clock.now })
            // Many hidden releases behind the hidden names, so a second query would have work to do.
            for number in 1...40 {
                var release = ImportedRelease(headline: "Plans number \(number)", language: "en")
                release.issuer = "Quiet Foundation"
                release.body = ["Not yet public."]
                if number.isMultiple(of: 2) {  // half embargoed for a day, half drafts
                    release.releaseTiming = .embargoed
                    release.embargoUntil = clock.now.addingTimeInterval(86_400)
                }
                _ = try await store.store(release, options: ImportOptions(publish: number.isMultiple(of: 2), topics: ["Secret topic"]))
            }
            let renderer = try await PageRenderer.load(resourcesDirectory: settings.resourcesDirectory)
            let app = Application(router: buildRouter(settings: settings, hub: hub, renderer: renderer, clock: { clock.now }))
            try await app.test(.router) { client in
                func milliseconds(_ path: String) async throws -> Double {
                    let start = ContinuousClock.now
                    let status = try await client.execute(uri: path, method: .get) { $0.status }
                    #expect(status == .notFound, "\(path)")
                    let elapsed = ContinuousClock.now - start
                    return Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1000
                }
                func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }
                for (hidden, absent) in [("/organizations/quiet-foundation", "/organizations/never-existed-at-all"),
                                         ("/topics/secret-topic", "/topics/never-existed-either")] {
                    _ = try await milliseconds(hidden); _ = try await milliseconds(absent)  // warm-up
                    // Up to three rounds of 200 interleaved requests each: other tests share the
                    // machine, so one noisy round may be retried; a systematic difference fails all three.
                    var rounds: [String] = []
                    var alike = false
                    for _ in 0..<3 where !alike {
                        var hiddenTimes: [Double] = [], absentTimes: [Double] = []
                        for _ in 0..<200 {
                            hiddenTimes.append(try await milliseconds(hidden))
                            absentTimes.append(try await milliseconds(absent))
                        }
                        let (a, b) = (median(hiddenTimes), median(absentTimes))
                        rounds.append("\(hidden) \(a) ms against \(absent) \(b) ms")
                        // Medians within a quarter of the faster one, or 0.3 ms.
                        alike = abs(a - b) <= max(0.3, 0.25 * min(a, b))
                    }
                    #expect(alike, "every round differs: \(rounds)")
                }
            }
            await hub.shutdown()
        }
    }
}
