@testable import DatelineServer
import Foundation
import NIOCore
import SQLKit
import Testing

/// The `sending` records the outbox writes on an SMTP connection's thread (SendingRecorder), on
/// the suite's database: SQLite's C API, or PostgreSQL's own connection per SMTP connection.
@Suite("Sending records on the suite's database", .timeLimit(.minutes(2)))
struct SendingRecorderTests {
    /// One of the SMTP connections' loops: a lane records on the loop it was opened on.
    static let loop = SMTPConnection.loops.next()

    /// Records on the lane's loop, as the SMTP connection does, and waits for the outcome.
    /// - Returns: whether `sending` was recorded for `id`.
    func record(_ lane: any SendingLane, sending id: Int64, sent: [Int64], at now: Date) async throws -> Bool {
        let record = try await Self.loop.submit { try lane.record(sending: id, sent: sent, at: now) }.get()
        switch record {
        case .made: return true
        case .refused: return false
        case .written(let outcome):
            do {
                try await outcome().get()
                return true
            } catch is SendingNotRecorded {
                return false
            }
        }
    }

    func row(_ id: Int64, _ hub: DatabaseHub) async throws -> (state: String, sentAt: Date?, attempts: Int) {
        let row = try #require(try await hub.sql.raw("SELECT state, sent_at, attempts FROM outbox WHERE id = \(bind: id)").first())
        return (try row.decode(column: "state", as: String.self), try row.decode(column: "sent_at", as: Date?.self), try row.decode(column: "attempts", as: Int.self))
    }

    @Test("sending is recorded at once, the previous message's sent goes with it, and a row no longer pending is refused")
    func recordsInOrder() async throws {
        try await TestDatabase.withFresh { location in
            // setup: three pending digest rows
            let hub = try DatabaseHub(location: location, logger: quietLogger)
            try await hub.migrate()
            _ = try await SubscriberImport.run(lines: ["a@example.org", "b@example.org", "c@example.org"], instant: false, hub: hub)
            let subscribers = try await hub.sql.raw("SELECT id FROM subscribers ORDER BY email").all().map { try $0.decode(column: "id", as: UUID.self) }
            let run = UUID()
            for subscriber in subscribers {
                try await hub.write { try await Outbox.enqueueDigest(run: run, subscriberID: subscriber, releaseIDs: [], at: Date(), on: $0) }
            }
            let ids = try await hub.sql.raw("SELECT id FROM outbox ORDER BY id").all().map { try $0.decode(column: "id", as: Int64.self) }
            try #require(ids.count == 3)
            let lane = try await hub.makeSendingRecorder().lane(on: Self.loop)
            let accepted = Date(timeIntervalSince1970: 1_800_000_000.25)

            // MUT
            let first = try await record(lane, sending: ids[0], sent: [], at: accepted)
            let afterFirst = try await row(ids[0], hub)
            let second = try await record(lane, sending: ids[1], sent: [ids[0]], at: accepted)
            let again = try await record(lane, sending: ids[1], sent: [], at: accepted)
            await lane.close()

            // validation
            #expect(first && afterFirst.state == "sending" && afterFirst.attempts == 0)
            #expect(second)
            let earlier = try await row(ids[0], hub)
            #expect(earlier.state == "sent" && earlier.attempts == 1)
            #expect(abs((earlier.sentAt ?? .distantPast).timeIntervalSince(accepted)) < 0.001, "sent_at reads back as written: \(String(describing: earlier.sentAt))")
            #expect(try await row(ids[1], hub).state == "sending")
            #expect(!again, "a row already sending is not this worker's to send again")
            #expect(try await row(ids[2], hub).state == "pending")
            await hub.shutdown()
        }
    }
}
