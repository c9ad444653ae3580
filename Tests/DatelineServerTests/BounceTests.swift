import DatelineCore
@testable import DatelineServer
import FluentKit
import Foundation
import Hummingbird
import HummingbirdTesting
import ReleaseImport
import SQLKit
import Testing

/// Refusals from a real SMTP server (aiosmtpd: "refuse…" addresses get 550 5.1.1, "defer…" ones
/// 452 4.2.2): a dead address stops getting mail, and admins see it.
@Suite("Bounces stop mail to dead addresses", .serialized, .timeLimit(.minutes(3)))
struct BounceTests {
    struct Site {
        let hub: DatabaseHub
        let settings: Settings
        let clock: TestClock
        let deliverer: OutboxDeliverer

        /// Publishes a release to every instant subscriber and sends the outbox.
        func publishAndDeliver(_ headline: String) async throws {
            var release = ImportedRelease(headline: headline, language: "en")
            release.issuer = "Rivers Trust"
            release.body = ["Text of \(headline)."]
            _ = try await ReleaseStore(hub: hub, clock: { clock.now }).store(release, options: ImportOptions(publish: true))
            try await deliver()
        }

        func deliver() async throws {
            let jobs = JobWorker(hub: hub, settings: settings, logger: quietLogger, clock: { clock.now })
            while await jobs.runDueJobs() > 0 {}
            await deliverer.deliverDue()
            await deliverer.closeIdleSessions()
        }

        func subscriber(_ email: String) async throws -> SubscriberModel {
            try #require(try await SubscriberModel.query(on: hub.database).filter(\.$email == email).first())
        }

        func outboxRows(for email: String) async throws -> Int {
            let id = try await subscriber(email).requireID()
            return try await hub.sql.raw("SELECT COUNT(*) AS n FROM outbox WHERE subscriber_id = \(bind: id)").first()?.decode(column: "n", as: Int.self) ?? -1
        }
    }

    func withSite(_ addresses: [String], _ test: @escaping @Sendable (Site, SMTPTestServer) async throws -> Void) async throws {
        let server = try SMTPTestServer()
        defer { server.stop(); server.removeFolder() }
        let clock = TestClock()
        try await TestDatabase.withFresh { location in
            var settings = testSettings(location)
            settings.smtp = try server.configuration()
            let hub = try DatabaseHub(location: location, logger: quietLogger)
            try await hub.migrate()
            _ = try await SubscriberImport.run(lines: addresses, instant: true, hub: hub)
            let library = try await PageRenderer.load(resourcesDirectory: settings.resourcesDirectory).library
            let deliverer = OutboxDeliverer(hub: hub, settings: settings, library: library, logger: quietLogger, clock: { clock.now })
            do {
                try await test(Site(hub: hub, settings: settings, clock: clock, deliverer: deliverer), server)
                await hub.shutdown()
            } catch {
                await hub.shutdown()
                throw error
            }
        }
    }

    @Test("A hard bounce (550 5.1.1) marks the subscriber bounced; the next release sends nothing to that address")
    func hardBounce() async throws {
        try await withSite(["reader@example.org", "refuse-me@example.org"]) { site, server in
            try await site.publishAndDeliver("First release")
            let dead = try await site.subscriber("refuse-me@example.org")
            #expect(dead.status == "bounced")
            #expect(dead.bounceReason?.contains("5.1.1") == true, "\(dead.bounceReason ?? "no reason")")
            #expect(dead.bouncedAt == site.clock.now)
            #expect(try await site.subscriber("reader@example.org").status == "confirmed")

            // MUT: the next release
            site.clock.advance(by: 3600)
            try await site.publishAndDeliver("Second release")
            #expect(try await site.outboxRows(for: "refuse-me@example.org") == 1, "no second message for the dead address")
            #expect(try server.messages().filter { $0.envelopeTo == "reader@example.org" }.count == 2, "the live address gets both")
        }
    }

    @Test("Soft bounces (452) count at most once a day; the third day's stops mail to the address; retries of one message count once")
    func softBouncesAcrossDays() async throws {
        try await withSite(["reader@example.org", "defer-me@example.org"]) { site, _ in
            try await site.publishAndDeliver("Day one")
            #expect(try await site.subscriber("defer-me@example.org").softBounces == 1)
            // The outbox retries the refused message within the day: still one.
            for _ in 0..<4 {
                site.clock.advance(by: 1800)
                try await site.deliver()
            }
            let afterRetries = try await site.subscriber("defer-me@example.org")
            #expect(afterRetries.softBounces == 1)
            #expect(afterRetries.status == "confirmed", "one bad day does not end a subscription")

            site.clock.advance(by: 86400)
            try await site.publishAndDeliver("Day two")
            #expect(try await site.subscriber("defer-me@example.org").softBounces == 2)
            #expect(try await site.subscriber("defer-me@example.org").status == "confirmed")

            site.clock.advance(by: 86400)
            try await site.publishAndDeliver("Day three")
            let stopped = try await site.subscriber("defer-me@example.org")
            #expect(stopped.status == "bounced")
            #expect(stopped.bounceReason?.contains("4.2.2") == true)

            // MUT: day four's release
            let before = try await site.outboxRows(for: "defer-me@example.org")
            site.clock.advance(by: 86400)
            try await site.publishAndDeliver("Day four")
            #expect(try await site.outboxRows(for: "defer-me@example.org") == before, "nothing more is queued for the address")
            #expect(try await site.subscriber("reader@example.org").status == "confirmed")
        }
    }

    @Test("A refusal that blames the message or a policy (5.7.x, 5.6.x, 5.3.x) is no hard bounce; a 5yz without an enhanced code is")
    func classification() {
        #expect(Bounces.kind(ofReply: "550 5.1.1 No such mailbox here", permanent: true) == .hard)
        #expect(Bounces.kind(ofReply: "550 Mailbox unavailable", permanent: true) == .hard)
        #expect(Bounces.kind(ofReply: "554 5.7.1 Message rejected as spam", permanent: true) == .soft)
        #expect(Bounces.kind(ofReply: "552 5.3.4 Message too big", permanent: true) == .soft)
        #expect(Bounces.kind(ofReply: "550 5.6.0 Content rejected", permanent: true) == .soft)
        #expect(Bounces.kind(ofReply: "452 4.2.2 Mailbox full", permanent: false) == .soft)
    }

    @Test("Only a refused RCPT TO counts against an address: a refused sender, message or AUTH, or a rate limit, stops mail to no one")
    func onlyRecipientRefusalsCount() {
        #expect(Bounces.isAboutTheRecipient("RCPT TO → 550 5.1.1 No such mailbox here"))
        #expect(Bounces.isAboutTheRecipient("RCPT TO → 452 4.2.2 Mailbox full"))
        #expect(!Bounces.isAboutTheRecipient("MAIL FROM → 553 5.1.8 Sender domain rejected"))
        #expect(!Bounces.isAboutTheRecipient("end of data → 554 Message rejected: Email address is not verified"))
        #expect(!Bounces.isAboutTheRecipient("MAIL FROM → 451 4.7.1 Rate limited, try later"))
        #expect(!Bounces.isAboutTheRecipient("DATA → 554 5.3.4 Transaction failed"))
        #expect(!Bounces.isAboutTheRecipient("AUTH LOGIN → 535 5.7.8 Authentication failed"))
        // The enhanced code is read right after the reply code, not anywhere in the text.
        #expect(Bounces.kind(ofReply: "RCPT TO → 550 5.1.1 Host 10.5.7.20 says no such user", permanent: true) == .hard)
        #expect(Bounces.kind(ofReply: "RCPT TO → 550 No such user (relay 10.5.7.20)", permanent: true) == .hard)
        #expect(Bounces.kind(ofReply: "RCPT TO → 550 5.7.1 Relaying denied", permanent: true) == .soft)
    }

    @Test("Admins see bounced addresses, newest first, at most fifty, with the total")
    func adminList() async throws {
        let clock = TestClock()
        try await TestDatabase.withFresh { location in
            let hub = try DatabaseHub(location: location, logger: quietLogger)
            do {
                try await adminList(hub: hub, location: location, clock: clock)
                await hub.shutdown()
            } catch {
                await hub.shutdown()
                throw error
            }
        }
    }

    private func adminList(hub: DatabaseHub, location: DatabaseLocation, clock: TestClock) async throws {
            try await hub.migrate()
            try await Accounts(hub: hub, bcryptCost: 4).createUser(email: "admin@wire.example", name: "Ada Admin", role: .admin, password: "correct horse battery")
            let start = clock.now
            try await hub.write { database in
                for index in 1...55 {
                    let subscriber = SubscriberModel(email: "dead\(index)@example.org")
                    subscriber.status = SubscriberStatus.bounced.rawValue
                    subscriber.bouncedAt = start.addingTimeInterval(TimeInterval(index * 60))
                    subscriber.bounceReason = "550 5.1.1 No such mailbox here"
                    try await subscriber.create(on: database)
                }
                try await SubscriberModel(email: "alive@example.org").create(on: database)
            }
            let app = try await buildApplication(settings: testSettings(location), runJobs: false, logger: quietLogger, clock: { clock.now })
            try await app.test(.router) { client in
                let admin = try await signInFully(client, email: "admin@wire.example", hub: hub, clock: clock)
                let page = try await client.execute(uri: "/newsroom/admin", method: .get, headers: admin.header) { String(buffer: $0.body) }
                #expect(page.contains("Bounced addresses"))
                #expect(page.contains("55 addresses refused mail and get none now; the 50 most recent:"), "\(page)")
                let list = String(try #require(page.firstMatch(of: /<ul class="bounced">(.*?)<\/ul>/.dotMatchesNewlines())?.1))
                #expect(list.occurrences(of: "<li>") == 50)
                #expect(list.contains("dead55@example.org") && list.contains("dead6@example.org"))
                #expect(!list.contains("dead5@example.org") && !list.contains("dead1@example.org"), "the oldest five are left out")
                #expect(!page.contains("alive@example.org"))
                #expect(list.contains("5.1.1"))
            }
    }
}
