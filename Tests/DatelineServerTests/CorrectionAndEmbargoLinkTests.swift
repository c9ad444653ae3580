import DatelineCore
@testable import DatelineServer
import FluentKit
import Foundation
import Hummingbird
import HummingbirdTesting
import ReleaseImport
import Testing

@Suite("Corrections, retractions and embargo links")
struct CorrectionAndEmbargoLinkTests {
    func published(_ headline: String) -> ImportedRelease {
        var release = ImportedRelease(headline: headline, language: "en")
        release.issuer = "Rivers Trust"
        release.body = ["The council voted on Tuesday."]
        return release
    }

    @Test("A correction keeps the earlier version, shows a dated note, and updates feed and agency formats")
    func correction() async throws {
        let clock = TestClock()
        try await withApp(clock: clock) { client, store in
            // setup
            guard case .imported(let id, let slug, _) = try await store.store(published("Budget vote"), options: ImportOptions(publish: true)) else {
                Issue.record("not imported"); return
            }
            let corrections = ReleaseCorrections(hub: store.hub, clock: { clock.now })

            // MUT
            clock.advance(by: 3600)
            let version = try await corrections.correct(slug, body: "The council voted on Wednesday.", note: "An earlier version gave the wrong day of the vote.", actor: "cli:operator")

            // validation
            #expect(version == 2)
            let page = try await client.execute(uri: "/releases/\(slug)", method: .get) { String(buffer: $0.body) }
            #expect(page.contains("voted on Wednesday"))
            #expect(!page.contains("voted on Tuesday"))
            #expect(page.contains("Correction, <bdi><time"))
            #expect(page.contains("An earlier version gave the wrong day of the vote."))
            let earlier = try await ReleaseVersionModel.query(on: store.hub.database).filter(\.$release.$id == id).all()
            #expect(earlier.map(\.body) == ["The council voted on Tuesday."])
            #expect(earlier.first?.version == 1)
            let ninjs = try JSONSerialization.jsonObject(with: try await client.execute(uri: "/releases/\(slug)/ninjs.json", method: .get) { Data(buffer: $0.body) }) as? [String: Any]
            #expect(ninjs?["version"] as? String == "2")
            let history = try await ReleaseEventModel.query(on: store.hub.database).filter(\.$release.$id == id).sort(\.$at).all()
            #expect(history.map(\.toStatus) == ["published", "corrected"])
            #expect(history.last?.note == "An earlier version gave the wrong day of the vote.")
            await #expect(throws: ReleaseChangeError.noteRequired("correction")) {
                try await corrections.correct(slug, body: "x", note: "  ", actor: "cli:operator")
            }
        }
    }

    @Test("A retraction keeps the URL with the notice and its note, and a draft cannot be retracted")
    func retraction() async throws {
        try await withApp { client, store in
            guard case .imported(_, let slug, _) = try await store.store(published("Budget vote"), options: ImportOptions(publish: true)),
                  case .imported(_, let draftSlug, _) = try await store.store(published("Draft vote"), options: ImportOptions(publish: false))
            else { Issue.record("not imported"); return }
            let corrections = ReleaseCorrections(hub: store.hub)

            try await corrections.retract(slug, note: "The vote was postponed.", actor: "cli:operator")

            let page = try await client.execute(uri: "/releases/\(slug)", method: .get) { response in
                #expect(response.status == .ok)
                return String(buffer: response.body)
            }
            #expect(page.contains("Notice to disregard"))
            #expect(page.contains("The vote was postponed."))
            let home = try await client.execute(uri: "/", method: .get) { String(buffer: $0.body) }
            #expect(!home.contains("Budget vote"))
            await #expect(throws: ReleaseStatusError.notAllowed(from: .draft, to: .retracted)) {
                try await corrections.retract(draftSlug, note: "No.", actor: "cli:operator")
            }
            await #expect(throws: ReleaseChangeError.notFound("no-such-release")) {
                try await corrections.retract("no-such-release", note: "No.", actor: "cli:operator")
            }
        }
    }

    @Test("A journalist's personal link shows the embargoed release with a banner, logs each view, and expires at the lift time")
    func embargoLink() async throws {
        let clock = TestClock()
        try await TestDatabase.withFresh { location in
            // setup
            let settings = testSettings(location)
            let hub = try DatabaseHub(location: location, logger: quietLogger)
            try await hub.migrate()
            let store = ReleaseStore(hub: hub, clock: { clock.now })
            var embargoed = published("Merger agreed")
            embargoed.releaseTiming = .embargoed
            embargoed.embargoUntil = clock.now.addingTimeInterval(3600)
            guard case .imported(_, let slug, _) = try await store.store(embargoed, options: ImportOptions(publish: true)),
                  case .imported(_, let publicSlug, _) = try await store.store(published("Annual report"), options: ImportOptions(publish: true))
            else { Issue.record("not imported"); return }
            let links = EmbargoLinks(hub: hub, settings: settings, clock: { clock.now })
            try await links.addJournalist(name: "Ada Reporter", email: "Ada@Example.org", outlet: "The Ledger")
            let url = try await links.issue(release: slug, journalistEmail: "ada@example.org")
            let path = url.path
            await #expect(throws: ReleaseChangeError.notEmbargoed(publicSlug)) {
                _ = try await links.issue(release: publicSlug, journalistEmail: "ada@example.org")
            }
            await #expect(throws: ReleaseChangeError.unknownJournalist("eve@example.org")) {
                _ = try await links.issue(release: slug, journalistEmail: "eve@example.org")
            }
            let app = try await buildApplication(settings: settings, runJobs: false, logger: quietLogger, clock: { clock.now })

            try await app.test(.router) { client in
                // MUT + validation: before the lift time
                #expect(url.absoluteString.hasPrefix("https://wire.example.org/embargoed/"))
                let first = try await client.execute(uri: path, method: .get, headers: [.userAgent: "ReaderBot/1"]) { response in
                    #expect(response.status == .ok)
                    #expect(response.headers[.cacheControl] == "private, no-store")
                    return String(buffer: response.body)
                }
                _ = try await client.execute(uri: path, method: .get) { _ in }
                #expect(first.contains("Merger agreed"))
                #expect(first.contains("Embargoed until"))
                #expect(first.contains("This copy is for Ada Reporter, The Ledger"))
                #expect(first.contains("noindex"))
                let views = try await EmbargoViewModel.query(on: hub.database).all()
                #expect(views.count == 2)
                #expect(views.contains { $0.userAgent == "ReaderBot/1" })
                let nothing = try await client.execute(uri: "/embargoed/\(String(repeating: "A", count: 43))", method: .get) { ($0.status, String(buffer: $0.body)) }
                #expect(nothing.0 == .notFound)
                #expect(try await client.execute(uri: "/releases/\(slug)", method: .get) { $0.status } == .notFound, "still not public")

                // after the lift time the link is dead
                clock.advance(by: 3601)
                let late = try await client.execute(uri: path, method: .get) { ($0.status, String(buffer: $0.body)) }
                #expect(late.0 == .notFound)
                #expect(late.1 == nothing.1)
            }
            await hub.shutdown()
        }
    }
}
