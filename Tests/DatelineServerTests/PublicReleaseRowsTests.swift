import DatelineCore
import FluentKit
import Foundation
import ReleaseImport
import Testing
@testable import DatelineServer

/// The public read path's whole releases (two SQL statements, columns read by name) against the
/// models' reading of the same rows, on the test database (SQLite, or PostgreSQL when
/// DATELINE_TEST_DATABASE_URL names one).
@Suite("Whole releases on the public read path")
struct PublicReleaseRowsTests {
    /// What FluentKit's models make of a release: the reading the public path replaced.
    static func byModels(_ slug: String, on database: any Database) async throws -> Release {
        let model = try #require(try await ReleaseModel.query(on: database).filter(\.$slug == slug)
            .with(\.$organization).with(\.$contacts).with(\.$topics).with(\.$versions).first())
        var release = model.release
        release.media = try await MediaModel.query(on: database).filter(\.$release.$id == model.requireID())
            .sort(\.$position).with(\.$renditions).all().map(\.media)
        return release
    }

    /// Contacts have no stored order (neither reading sorts them): compared by name.
    static func normalized(_ release: Release) -> Release {
        var release = release
        release.contacts.sort { $0.name < $1.name }
        return release
    }

    static func normalized(_ releases: [Release]) -> [Release] { releases.map { normalized($0) } }

    @Test("A release with two contacts, two topics, two corrections, a photo and a PDF reads the same as through the models; hidden releases never come back, by slug, by id or in a feed")
    func sameAsModels() async throws {
        let clock = TestClock()
        try await withApp(clock: clock) { _, store in
            var imported = ImportedRelease(headline: "Rivers Trust Opens Three New Wetlands", language: "en")
            imported.subheadline = "Habitats for birds"
            imported.issuer = "Rivers Trust"
            imported.datelineCity = "LEEDS"
            imported.date = "2026-05-04"
            imported.body = ["The Rivers Trust today opened three wetlands on the Aire."]
            imported.statementURL = "https://rivers.example.org/news/wetlands"
            imported.contacts = [
                ImportedContact(name: "Sam Reed", title: "Press officer", email: "press@rivers.example.org", phone: "+44 113 496 0000"),
                ImportedContact(name: "Ann Bell", organization: "Wetland Partners", email: "ann@partners.example.org"),
            ]
            guard case .imported(let id, let slug, _) = try await store.store(imported, options: ImportOptions(publish: true, topics: ["Water", "Environment"], organizationWebsite: "https://rivers.example.org")) else {
                throw TestFailure("fixture not imported")
            }
            _ = try await TestMedia.attachBoth(toRelease: id, hub: store.hub, settings: testSettings(store.hub.location))
            let corrections = ReleaseCorrections(hub: store.hub, clock: { clock.now })
            clock.advance(by: 60)
            _ = try await corrections.correct(slug, body: "The Rivers Trust today opened three wetlands on the River Aire.", note: "Named the river.", actor: "test")
            clock.advance(by: 60)
            _ = try await corrections.correct(slug, body: "The Rivers Trust today opened three new wetlands on the River Aire.", note: "Three new ones.", actor: "test")

            var draft = ImportedRelease(headline: "A Draft Nobody Has Seen", language: "en")
            draft.issuer = "Rivers Trust"
            draft.body = ["Not yet."]
            guard case .imported(let draftID, let draftSlug, _) = try await store.store(draft, options: ImportOptions(publish: false, topics: ["Water"])) else {
                throw TestFailure("draft not imported")
            }
            var embargoed = ImportedRelease(headline: "Wetland Figures Out Tomorrow", language: "en")
            embargoed.issuer = "Rivers Trust"
            embargoed.releaseTiming = .embargoed
            embargoed.embargoUntil = clock.now.addingTimeInterval(86_400)
            embargoed.body = ["Under embargo."]
            guard case .imported(let embargoedID, let embargoedSlug, _) = try await store.store(embargoed, options: ImportOptions(publish: true, topics: ["Water"])) else {
                throw TestFailure("embargoed release not imported")
            }

            let database = try store.hub.database
            let reader = PublicReleases(database: database, now: clock.now)
            let expected = Self.normalized(try await Self.byModels(slug, on: database))
            #expect(expected.contacts.count == 2 && expected.topics.count == 2 && expected.corrections.count == 2 && expected.media.count == 2)
            #expect(expected.media.allSatisfy { !$0.renditions.isEmpty })

            let slugs = try [slug, draftSlug, embargoedSlug].map { try #require(Slug(validating: $0)) }
            let bySlug = try #require(try await reader.release(slug: slugs[0]))
            #expect(Self.normalized(bySlug) == expected)

            let ids = [id, draftID, embargoedID].compactMap(ReleaseID.init)
            #expect(Self.normalized(try await reader.listed(ids: ids)) == [expected])
            #expect(try await reader.release(slug: slugs[1]) == nil)
            #expect(try await reader.release(slug: slugs[2]) == nil)
            #expect(Self.normalized(try await reader.forFeed(.site, limit: 10)) == [expected])
            let water = try #require(try await TopicModel.query(on: database).filter(\.$slug == "water").first()?.requireID())
            #expect(Self.normalized(try await reader.forFeed(.topic(water), limit: 10)) == [expected])

            // Its lift time passed but not yet lifted by the scheduler: still hidden (its status).
            clock.advance(by: 86_401)
            #expect(try await PublicReleases(database: database, now: clock.now).release(slug: slugs[2]) == nil)
            // Once lifted, it comes back whole too.
            _ = await ReleaseScheduler(hub: store.hub, logger: quietLogger, clock: { clock.now }).publishDue()
            let later = PublicReleases(database: database, now: clock.now)
            let lifted = try #require(try await later.release(slug: slugs[2]))
            #expect(Self.normalized(lifted) == Self.normalized(try await Self.byModels(embargoedSlug, on: database)))
        }
    }
}
