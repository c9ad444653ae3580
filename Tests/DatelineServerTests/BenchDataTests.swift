import DatelineCore
@testable import DatelineServer
import FluentKit
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("bench-data")
struct BenchDataTests {
    @Test("bench-data writes the releases asked for, mostly public, from organizations of very different sizes, and the site serves them")
    func fillsTheDatabase() async throws {
        try await TestDatabase.withFresh { location in
            let settings = testSettings(location)
            let hub = try DatabaseHub(location: location, logger: quietLogger)
            try await hub.migrate()
            let summary = try await BenchData(hub: hub, settings: settings, logger: quietLogger)
                .run(BenchData.Options(releases: 1_200, organizations: 30, seed: 7))
            #expect(summary.releases == 1_200)
            #expect(summary.texts >= 7, "every sample text is used")
            let database = try hub.database
            #expect(try await ReleaseModel.query(on: database).count() == 1_200)
            let hidden = try await ReleaseModel.query(on: database).filter(\.$status ~~ ["draft", "embargoed"]).count()
            #expect(hidden == summary.hidden && hidden < 30, "a few hidden releases: \(hidden)")
            // Zipf: the largest organization issues several times as many as the median one.
            var sizes: [Int] = []
            for organization in try await OrganizationModel.query(on: database).all() {
                sizes.append(try await ReleaseModel.query(on: database).filter(\.$organization.$id == organization.id!).count())
            }
            sizes.sort()
            #expect(sizes.count == 30 && sizes.last! >= 4 * sizes[sizes.count / 2], "organization sizes \(sizes)")
            #expect(try await ReleaseTopicModel.query(on: database).count() >= 1_200)
            // A second run adds to the first.
            _ = try await BenchData(hub: hub, settings: settings, logger: quietLogger).run(BenchData.Options(releases: 100, organizations: 3, seed: 7))
            #expect(try await ReleaseModel.query(on: database).count() == 1_300)
            // Twenty years of dates.
            let oldest = try #require(try await ReleaseModel.query(on: database).sort(\.$releasedAt).first()).releasedAt
            #expect(Date().timeIntervalSince(oldest) > 15 * 365 * 86_400)

            let renderer = try await PageRenderer.load(resourcesDirectory: settings.resourcesDirectory)
            let app = Application(router: buildRouter(settings: settings, hub: hub, renderer: renderer, clock: { Date() }))
            try await app.test(.router) { client in
                for path in ["/", "/?page=100", "/feed.atom", "/topics/climate", "/api/ninjs?page=2", "/sitemap.xml"] {
                    let status = try await client.execute(uri: path, method: .get) { $0.status }
                    #expect(status == .ok, "\(path)")
                }
            }
            await hub.shutdown()
        }
    }

    @Test("bench-data refuses a count out of range and writes nothing")
    func refusesBadCounts() async throws {
        try await TestDatabase.withFresh { location in
            let hub = try DatabaseHub(location: location, logger: quietLogger)
            try await hub.migrate()
            let bench = BenchData(hub: hub, settings: testSettings(location), logger: quietLogger)
            await #expect(throws: BenchDataError.self) { try await bench.run(BenchData.Options(releases: 0)) }
            await #expect(throws: BenchDataError.self) { try await bench.run(BenchData.Options(releases: 10, organizations: 0)) }
            #expect(try await ReleaseModel.query(on: hub.database).count() == 0)
            #expect(try await OrganizationModel.query(on: hub.database).count() == 0)
            await hub.shutdown()
        }
    }
}
