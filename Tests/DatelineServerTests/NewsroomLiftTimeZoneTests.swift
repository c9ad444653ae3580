import DatelineCore
@testable import DatelineServer
import FluentKit
import Foundation
import Hummingbird
import HummingbirdTesting
@testable import ReleaseImport
import Testing

/// The newsroom's release form reads a lift time in the zone the editor names; a time in a
/// daylight-saving change is resolved so that the embargo never lifts early, and the page says so.
@Suite("Newsroom lift times across daylight saving")
struct NewsroomLiftTimeZoneTests {
    func withMember(_ test: @escaping @Sendable (any TestClientProtocol, DatabaseHub, CookieJar) async throws -> Void) async throws {
        let clock = TestClock()
        try await TestDatabase.withFresh { location in
            let hub = try DatabaseHub(location: location, logger: quietLogger)
            try await hub.migrate()
            try await hub.write { try await OrganizationModel(name: "Rivers Trust", slug: Slug(making: "Rivers Trust")!).create(on: $0) }
            try await Accounts(hub: hub, bcryptCost: 4).createUser(email: "a@rivers.example", name: "Ann", role: .member, password: "correct horse battery", organizations: ["rivers-trust"])
            let app = try await buildApplication(settings: testSettings(location), runJobs: false, logger: quietLogger, clock: { clock.now })
            do {
                try await app.test(.router) { client in
                    let jar = try await signInFully(client, email: "a@rivers.example", hub: hub, clock: clock)
                    try await test(client, hub, jar)
                }
                await hub.shutdown()
            } catch {
                await hub.shutdown()
                throw error
            }
        }
    }

    func fields(_ csrf: String, lift: String, zone: String) -> [String: String] {
        ["_csrf": csrf, "organization": "rivers-trust", "headline": "Lift time \(lift) \(zone)", "language": "en", "timing": "embargoed",
         "embargoUntil": lift, "embargoZone": zone, "body": "The trust opened three wetlands."]
    }

    func storedLift(_ hub: DatabaseHub, headline: String) async throws -> Date? {
        try await ReleaseModel.query(on: hub.database).filter(\.$headline == headline).first()?.embargoUntil
    }

    @Test("A repeated time lifts at the later instant and a skipped one at the change, in New York and Paris, and the page says so",
          arguments: [
            ("2026-11-01T01:30", "America/New_York", "2026-11-01T06:30:00Z", "happens twice"),
            ("2026-03-08T02:30", "America/New_York", "2026-03-08T07:00:00Z", "does not exist"),
            ("2026-10-25T02:30", "Europe/Paris", "2026-10-25T01:30:00Z", "happens twice"),
            ("2026-03-29T02:30", "Europe/Paris", "2026-03-29T01:00:00Z", "does not exist"),
          ])
    func daylightSavingOnTheForm(_ lift: String, _ zone: String, _ expected: String, _ words: String) async throws {
        try await withMember { client, hub, jar in
            let answer = try await post(client, "/newsroom/releases", fields(try await csrfToken(client, jar: jar), lift: lift, zone: zone), jar: jar)
            #expect(try await storedLift(hub, headline: "Lift time \(lift) \(zone)") == ISO8601.parse(expected))
            #expect(answer.status == .ok, "the form shows what was decided instead of moving on silently")
            #expect(answer.body.contains(#"class="notice""#) && answer.body.contains(words) && answer.body.contains(zone), "\(answer.body.prefix(400))")
        }
    }

    @Test("An ordinary time in a zone, and a time with no zone (UTC), save without a notice; an unknown zone is refused")
    func ordinaryTimes() async throws {
        try await withMember { client, hub, jar in
            let csrf = try await csrfToken(client, jar: jar)
            let plain = try await post(client, "/newsroom/releases", fields(csrf, lift: "2026-11-01T18:00", zone: "America/New_York"), jar: jar)
            #expect(plain.status == .seeOther)
            #expect(try await storedLift(hub, headline: "Lift time 2026-11-01T18:00 America/New_York") == ISO8601.parse("2026-11-01T23:00:00Z"))
            let utc = try await post(client, "/newsroom/releases", fields(csrf, lift: "2026-11-01T01:30", zone: ""), jar: jar)
            #expect(utc.status == .seeOther)
            #expect(try await storedLift(hub, headline: "Lift time 2026-11-01T01:30") == ISO8601.parse("2026-11-01T01:30:00Z"))
            let unknown = try await post(client, "/newsroom/releases", fields(csrf, lift: "2026-11-01T01:30", zone: "Mars/Olympus"), jar: jar)
            #expect(unknown.status == .badRequest)
            #expect(unknown.body.contains("is not a time zone"))
        }
    }
}
