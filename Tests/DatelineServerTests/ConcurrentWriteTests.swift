import DatelineCore
@testable import DatelineServer
import FluentKit
import Foundation
import Hummingbird
import HummingbirdTesting
import SQLKit
import Testing

/// Many writers at once in one process: the site's own requests, and a second database hub on
/// the same database as a second process would have. Every write goes through a hub's one
/// writer connection (``DatabaseHub/write(_:)``), one at a time across hubs; none may fail with
/// "database is locked", a unique violation from a race, or a limit exceeded by one.
@Suite("Concurrent writes")
struct ConcurrentWriteTests {
    /// Two organizations and a member of the first.
    func setUp(_ hub: DatabaseHub) async throws {
        try await hub.write { database in
            try await OrganizationModel(name: "Rivers Trust", slug: Slug(making: "Rivers Trust")!).create(on: database)
        }
        try await Accounts(hub: hub, bcryptCost: 4).createUser(
            email: "a@rivers.example", name: "Ann", role: .member, password: "correct horse battery", organizations: ["rivers-trust"])
    }

    @Test("50 sign-ups and 50 newsroom drafts at once: no 500, every accepted one stored, the sign-up limit holds")
    func signUpsAndDraftsAtOnce() async throws {
        let clock = TestClock()
        try await TestDatabase.withFresh { location in
            // setup: the site, and a member signed in
            let hub = try DatabaseHub(location: location, logger: quietLogger)
            try await hub.migrate()
            try await setUp(hub)
            let app = try await buildApplication(settings: testSettings(location), runJobs: false, logger: quietLogger, clock: { clock.now })
            do {
                try await app.test(.router) { client in
                    let member = try await signInFully(client, email: "a@rivers.example", hub: hub, clock: clock)
                    let csrf = try await csrfToken(client, jar: member)

                    // MUT: 100 POSTs at once
                    let answers = try await withThrowingTaskGroup(of: (kind: String, index: Int, status: HTTPResponse.Status, body: String).self) { group in
                        for index in 0..<50 {
                            group.addTask {
                                var headers = formHeaders
                                headers[.origin] = "https://wire.example.org"
                                let answer = try await client.execute(uri: "/subscribe", method: .post, headers: headers, body: formBody(["email": "reader\(index)@example.org"])) {
                                    ($0.status, String(buffer: $0.body))
                                }
                                return ("sign-up", index, answer.0, answer.1)
                            }
                            group.addTask {
                                let fields = ["_csrf": csrf, "organization": "rivers-trust", "headline": "Wetland number \(index) opens", "language": "en",
                                              "timing": "immediate", "body": "The trust opened wetland \(index).", "datelineCity": "LEEDS", "topics": "Water"]
                                let answer = try await post(client, "/newsroom/releases", fields, jar: member)
                                return ("draft", index, answer.status, answer.body)
                            }
                        }
                        return try await group.reduce(into: []) { $0.append($1) }
                    }

                    // validation: no request failed
                    let failed = answers.filter { $0.status.code >= 500 }
                    #expect(failed.isEmpty, "\(failed.count) answered 5xx, e.g. \(failed.first.map { "\($0.kind) \($0.index): \($0.status) \($0.body.prefix(200))" } ?? "")")
                    let drafts = answers.filter { $0.kind == "draft" }
                    #expect(drafts.allSatisfy { $0.status == .seeOther }, "\(drafts.filter { $0.status != .seeOther }.map(\.status))")
                    let stored = try await ReleaseModel.query(on: hub.database).all().map(\.headline)
                    #expect(Set(stored) == Set((0..<50).map { "Wetland number \($0) opens" }), "\(stored.count) drafts stored")

                    // Sign-ups answer 200 or 429 (ten per client an hour); each accepted one has its
                    // subscriber and its confirmation.
                    let signUps = answers.filter { $0.kind == "sign-up" }
                    #expect(signUps.allSatisfy { $0.status == .ok || $0.status == .tooManyRequests }, "\(Set(signUps.map(\.status.code)))")
                    let accepted = Set(signUps.filter { $0.status == .ok }.map { "reader\($0.index)@example.org" })
                    let subscribers = Set(try await SubscriberModel.query(on: hub.database).all().map(\.email))
                    #expect(subscribers == accepted)
                    let confirmations = try await hub.sql.raw("SELECT COUNT(*) AS n FROM outbox WHERE kind = 'confirmation'").first()?.decode(column: "n", as: Int.self)
                    #expect(confirmations == accepted.count)
                    // One write at a time: each sign-up counted the ones before it.
                    #expect(accepted.count == SubscriptionController.perClientPerHour)
                }
                await hub.shutdown()
            } catch {
                await hub.shutdown()
                throw error
            }
        }
    }

    @Test("Two hubs on one database, as two processes: transactions that read and then write, forty at once, all succeed in turn")
    func twoHubsReadThenWrite() async throws {
        try await TestDatabase.withFresh { location in
            // setup
            let first = try DatabaseHub(location: location, logger: quietLogger)
            try await first.migrate()
            let second = try DatabaseHub(location: location, logger: quietLogger)
            try await second.migrate()

            // MUT: forty transactions at once, half on each hub, each reading what the others wrote and then writing
            let failures = await withTaskGroup(of: String?.self) { group in
                for index in 0..<40 {
                    group.addTask {
                        do {
                            try await (index.isMultiple(of: 2) ? first : second).write { database in
                                let seen = try await SiteSettingModel.query(on: database).filter(\.$id ~~ (0..<40).map { "concurrent-\($0)" }).count()
                                try await SiteSettingModel(key: "concurrent-\(index)", value: String(seen)).create(on: database)
                            }
                            return nil
                        } catch {
                            return String(reflecting: error)
                        }
                    }
                }
                return await group.reduce(into: [String]()) { if let failure = $1 { $0.append(failure) } }
            }

            // validation
            #expect(failures.isEmpty, "\(failures.count) failed: \(failures.first ?? "")")
            let seen = try await SiteSettingModel.query(on: first.database).filter(\.$id ~~ (0..<40).map { "concurrent-\($0)" }).all().map(\.value)
            #expect(seen.count == 40)
            #expect(Set(seen) == Set((0..<40).map(String.init)), "each saw the ones before it: one wrote after another, never two at once")
            await first.shutdown()
            await second.shutdown()
        }
    }

    @Test("A write inside a write joins it: one transaction, undone whole when the outer one fails")
    func nestedWrite() async throws {
        struct Stop: Error {}
        try await TestDatabase.withFresh { location in
            let hub = try DatabaseHub(location: location, logger: quietLogger)
            try await hub.migrate()

            // MUT: an inner write (as a helper that writes on its own would make) inside an outer one that then fails
            await #expect(throws: Stop.self) {
                try await hub.write { database in
                    try await SiteSettingModel(key: "outer", value: "1").create(on: database)
                    try await hub.write { inner in
                        try await SiteSettingModel(key: "inner", value: "1").create(on: inner)
                    }
                    throw Stop()
                }
            }
            try await hub.write { database in
                try await SiteSettingModel(key: "after", value: "1").create(on: database)
                try await hub.write { try await SiteSettingModel(key: "after-inner", value: "1").create(on: $0) }
            }

            // validation
            let keys = try await SiteSettingModel.query(on: hub.database).all().compactMap(\.id).filter { ["outer", "inner", "after", "after-inner"].contains($0) }
            #expect(Set(keys) == ["after", "after-inner"])
            await hub.shutdown()
        }
    }

    @Test(
        "A write from a task on an SMTP connection's loop finishes while that loop waits in the outbox's sending record for the lock the write holds",
        .enabled(if: TestDatabase.postgresServerURL == nil, "SQLite's sending record blocks its loop"),
        .timeLimit(.minutes(1))
    )
    func writeFromAnSMTPLoop() async throws {
        try await TestDatabase.withFresh { location in
            // setup: a pending outbox row, and the outbox's sending record on one SMTP loop
            let hub = try DatabaseHub(location: location, logger: quietLogger)
            try await hub.migrate()
            _ = try await SubscriberImport.run(lines: ["a@example.org"], instant: false, hub: hub)
            let subscriber = try #require(try await SubscriberModel.query(on: hub.database).first()?.id)
            try await hub.write { try await Outbox.enqueueDigest(run: UUID(), subscriberID: subscriber, releaseIDs: [], at: Date(), on: $0) }
            let row = try #require(try await hub.sql.raw("SELECT id FROM outbox").first()?.decode(column: "id", as: Int64.self))
            let loop = SMTPConnection.loops.next()
            let lane = try await hub.makeSendingRecorder().lane(on: loop)
            let (holding, nowHolding) = AsyncStream<Void>.makeStream()
            let (gate, openGate) = AsyncStream<Void>.makeStream()

            // MUT: a write begun by a task that prefers the loop, as the deliverer's are; while it
            // holds the lock the loop blocks in the sending record, and then the write goes on
            let writer = Task(executorPreference: EventLoopTaskExecutor(loop)) {
                try await hub.write { database in
                    try await SiteSettingModel(key: "from-the-loop-1", value: "1").create(on: database)
                    nowHolding.yield()
                    for await _ in gate { break }
                    try await SiteSettingModel(key: "from-the-loop-2", value: "1").create(on: database)
                }
            }
            for await _ in holding { break }
            let started = ContinuousClock.now
            let record = loop.submit { try lane.record(sending: row, sent: [], at: Date()) }
            try await Task.sleep(for: .milliseconds(200))
            openGate.yield()
            let outcome = try await record.get()
            let waited = ContinuousClock.now - started
            try await writer.value
            await lane.close()

            // validation
            guard case .made = outcome else { Issue.record("the sending record was not made: \(outcome)"); return }
            #expect(waited < .seconds(3), "the record waited only for the write: \(waited)")
            let keys = try await SiteSettingModel.query(on: hub.database).all().compactMap(\.id)
            #expect(keys.contains("from-the-loop-1") && keys.contains("from-the-loop-2"))
            let state = try await hub.sql.raw("SELECT state FROM outbox WHERE id = \(bind: row)").first()?.decode(column: "state", as: String.self)
            #expect(state == "sending")
            await hub.shutdown()
        }
    }

    @Test(
        "On SQLite a write on a read connection fails loudly instead of taking the lock beside the writer",
        .enabled(if: TestDatabase.postgresServerURL == nil, "SQLite's read connections")
    )
    func readConnectionsRefuseWrites() async throws {
        try await TestDatabase.withFresh { location in
            let hub = try DatabaseHub(location: location, logger: quietLogger)
            try await hub.migrate()

            // MUT: a stray write, through the read path, in each way the code writes
            let model = SiteSettingModel(key: "stray", value: "1")
            await #expect(throws: (any Error).self) { try await model.create(on: hub.database) }
            let raw = await #expect(throws: (any Error).self) {
                try await hub.sql.raw("INSERT INTO site_settings (key, value) VALUES ('stray-raw', '1')").run()
            }
            await #expect(throws: (any Error).self) {
                try await hub.database.transaction { try await SiteSettingModel(key: "stray-transaction", value: "1").create(on: $0) }
            }

            // validation
            #expect(String(reflecting: raw).lowercased().contains("readonly"), "\(String(reflecting: raw))")
            try await hub.write { try await SiteSettingModel(key: "through-the-writer", value: "1").create(on: $0) }
            let keys = try await SiteSettingModel.query(on: hub.database).all().compactMap(\.id)
            #expect(keys.contains("through-the-writer"))
            #expect(!keys.contains { $0.hasPrefix("stray") })
            await hub.shutdown()
        }
    }
}
