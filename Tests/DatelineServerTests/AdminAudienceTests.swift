import DatelineCore
@testable import DatelineServer
import FluentKit
import Foundation
import Hummingbird
import HummingbirdTesting
import SQLKit
import Testing

/// The administration's subscribers and journalists pages.
@Suite("Administration: subscribers and journalists")
struct AdminAudienceTests {
    let newsroom = NewsroomTests()

    @Test("An admin finds subscribers by address and status, sees what one follows and the mail that failed, removes one; sees each embargo link's views; no one else sees any of it")
    func audience() async throws {
        try await newsroom.withNewsroom { client, hub, clock in
            // setup: subscribers, a failed message, a journalist's link viewed twice
            try await Accounts(hub: hub, bcryptCost: 4).createUser(email: "admin@wire.example", name: "Ada", role: .admin, password: "correct horse battery")
            _ = try await SubscriberImport.run(lines: ["ann@readers.example", "bob@readers.example", "cy@elsewhere.example"], instant: true, hub: hub)
            let ann = try #require(try await SubscriberModel.query(on: hub.database).filter(\.$email == "ann@readers.example").first())
            try await hub.writeSQL { sql in
                try await sql.raw("""
                    INSERT INTO outbox (subscriber_id, kind, reference, state, attempts, run_at, last_error, created_at) \
                    VALUES (\(bind: ann.id!), 'alert', 'r1', 'failed', 1, \(bind: clock.now), '550 5.1.1 mailbox unavailable', \(bind: clock.now))
                    """).run()
                try await sql.raw("UPDATE subscribers SET status = 'bounced' WHERE email = 'cy@elsewhere.example'").run()
            }
            let member = try await signInFully(client, email: "a@rivers.example", hub: hub, clock: clock)
            let editor = try await signInFully(client, email: "ed@wire.example", hub: hub, clock: clock)
            let path = try #require(try await post(client, "/newsroom/releases", newsroom.draftFields(try await csrfToken(client, jar: member), organization: "rivers-trust", headline: "Embargoed survey"), jar: member).location)
            _ = try await post(client, "\(path)/approve", ["_csrf": try await csrfToken(client, jar: editor), "decision": "embargo", "at": NewsroomFormChoices.formatLocal(clock.now.addingTimeInterval(7200))], jar: editor)
            let links = EmbargoLinks(hub: hub, settings: testSettings(hub.location), clock: { clock.now })
            try await links.addJournalist(name: "Jo Reporter", email: "jo@paper.example", outlet: "The Paper")
            let url = try await links.issue(release: String(path.split(separator: "/").last!), journalistEmail: "jo@paper.example")
            for _ in 0..<2 { _ = try await client.execute(uri: url.path + (url.query.map { "?" + $0 } ?? ""), method: .get) { $0.status } }
            let admin = try await signInFully(client, email: "admin@wire.example", hub: hub, clock: clock)

            // MUT + validation: the subscribers list, search and status
            func get(_ uri: String, _ jar: CookieJar) async throws -> (HTTPResponse.Status, String) {
                try await client.execute(uri: uri, method: .get, headers: jar.header) { ($0.status, String(buffer: $0.body)) }
            }
            let list = try await get("/newsroom/admin/subscribers", admin)
            #expect(list.0 == .ok && list.1.contains("ann@readers.example") && list.1.contains("cy@elsewhere.example"))
            #expect(list.1.contains("550 5.1.1 mailbox unavailable"), "delivery failures listed")
            // The subscribers' table, above the delivery failures.
            func table(_ page: String) -> String { page.components(separatedBy: #"id="failures""#).first ?? "" }
            let found = table(try await get("/newsroom/admin/subscribers?q=READERS", admin).1)
            #expect(found.contains("ann@readers.example") && found.contains("bob@readers.example") && !found.contains("cy@elsewhere.example"))
            let bounced = table(try await get("/newsroom/admin/subscribers?status=bounced", admin).1)
            #expect(bounced.contains("cy@elsewhere.example") && !bounced.contains("ann@readers.example"))
            let detail = try await get("/newsroom/admin/subscribers/\(ann.id!.uuidString)", admin).1
            #expect(detail.contains("instant alerts") && detail.contains("550 5.1.1 mailbox unavailable"))

            // the journalists page and one link's views
            let journalists = try await get("/newsroom/admin/journalists", admin).1
            #expect(journalists.contains("Jo Reporter") && journalists.contains("Embargoed survey") && journalists.contains("2 views"))
            let linkPath = try #require(journalists.firstMatch(of: /href="(\/newsroom\/admin\/embargo-links\/[^"]+)"/)).1
            let views = try await get(String(linkPath), admin).1
            #expect(views.contains("2 views logged"))

            // Others get nothing; removal needs the form's token
            for uri in ["/newsroom/admin/subscribers", "/newsroom/admin/subscribers/\(ann.id!.uuidString)", "/newsroom/admin/journalists", String(linkPath)] {
                #expect(try await get(uri, editor).0 == .notFound, "\(uri)")
            }
            #expect(try await post(client, "/newsroom/admin/subscribers/\(ann.id!.uuidString)/remove", ["_csrf": "forged"], jar: admin).status != .seeOther)
            #expect(try await post(client, "/newsroom/admin/subscribers/\(ann.id!.uuidString)/remove", ["_csrf": hiddenCSRF(detail) ?? ""], jar: editor).status == .notFound)
            let removed = try await post(client, "/newsroom/admin/subscribers/\(ann.id!.uuidString)/remove", ["_csrf": hiddenCSRF(detail) ?? ""], jar: admin)
            #expect(removed.status == .seeOther)
            #expect(try await SubscriberModel.query(on: hub.database).filter(\.$email == "ann@readers.example").count() == 0)

            // Pages: two at a time through the list's own paging
            let everyone = try await get("/newsroom/admin/subscribers", admin).1
            #expect(!everyone.contains(#"rel="next""#), "three rows fit one page")
        }
    }
}
