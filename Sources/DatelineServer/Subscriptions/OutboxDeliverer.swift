import Crypto
import DatelineCore
import FluentKit
import Foundation
import Logging
import Mustache
import NIOConcurrencyHelpers
import ServiceLifecycle

/// Sends the outbox: claims due rows in batches, writes each message, and hands it to the mail
/// transport over a few reused connections side by side. Runs inside `serve` and in
/// `dateline worker`.
///
/// At most once per row: the row is marked `sending` after the server has accepted the
/// envelope and the text, and before the final "." that makes the server take the message, on
/// the connection's own thread right before it (see ``Outbox`` and ``SendingRecorder``). A
/// failure before that point retries later; a silence after it does not.
/// When the server cannot be reached at all, the batch waits with a growing pause (5 s doubling
/// to 5 minutes) without using up any row's attempts, so an outage of any length loses nothing.
public struct OutboxDeliverer: Service {
    let hub: DatabaseHub
    let settings: Settings
    let library: MustacheLibrary
    let transport: any MailTransport
    let composer: MailComposer
    let logger: Logger
    let clock: @Sendable () -> Date
    /// Connections used side by side.
    let connections: Int
    let batchSize: Int
    let pollInterval: Duration
    let outbox: Outbox
    let recorder: any SendingRecorder
    private let state = NIOLockedValueBox(DelivererState())

    struct DelivererState {
        var idleCarriers: [Carrier] = []
        var consecutiveConnectionFailures = 0
    }

    /// A connection to the mail server and what records its messages' `sending` state.
    struct Carrier: Sendable {
        var session: any MailSession
        var records: any SendingLane

        func close() async {
            await session.close()
            await records.close()
        }
    }

    /// - Parameters:
    ///   - connections: how many SMTP connections to use at once.
    ///   - batchSize: the most rows to claim at a time; batches grow to it as the mail server's
    ///     pace allows (see ``nextBatchSize(after:took:)``).
    ///   - claimSeconds: how long claimed rows are held before another worker may take them.
    public init(
        hub: DatabaseHub, settings: Settings, library: MustacheLibrary, logger: Logger,
        transport: (any MailTransport)? = nil, connections: Int = 4, batchSize: Int = 1000, claimSeconds: TimeInterval = 120,
        pollInterval: Duration = .milliseconds(500), clock: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.hub = hub
        self.settings = settings
        self.library = library
        self.transport = transport ?? settings.mailTransport
        composer = MailComposer(settings: settings, clock: clock)
        self.logger = logger
        self.clock = clock
        self.connections = max(1, connections)
        self.batchSize = max(1, batchSize)
        self.pollInterval = pollInterval
        outbox = Outbox(hub: hub, claimSeconds: claimSeconds)
        recorder = hub.makeSendingRecorder()
    }

    /// A deliverer with the mail templates of `settings.resourcesDirectory`, for the commands.
    /// - Throws: ``TemplateError`` when the templates are missing or do not parse.
    public static func load(hub: DatabaseHub, settings: Settings, logger: Logger, connections: Int = 4, claimSeconds: TimeInterval = 120) async throws -> OutboxDeliverer {
        let renderer = try await PageRenderer.load(resourcesDirectory: settings.resourcesDirectory)
        return OutboxDeliverer(hub: hub, settings: settings, library: renderer.library, logger: logger, connections: connections, claimSeconds: claimSeconds)
    }

    public func run() async throws {
        do {
            try await cancelWhenGracefulShutdown {
                while !Task.isCancelled {
                    let handled = await deliverDue()
                    if handled == 0 {
                        await closeIdleSessions()
                        try await Task.sleep(for: pollInterval)
                    }
                }
            }
        } catch is CancellationError {}
        await closeIdleSessions()
    }

    /// Sends every row that is due now, batch after batch, until none is left. The next batch
    /// is claimed and written while the current one goes out.
    /// - Returns: how many rows were handled (sent, refused or deferred).
    @discardableResult
    public func deliverDue() async -> Int {
        var handled = 0
        var limit = min(batchSize, Self.firstBatchSize)
        var next = await claimBatch(limit: limit)
        while let batch = next {
            guard !Task.isCancelled else {
                try? await outbox.release(batch.entries.map(\.id))
                break
            }
            let ahead = limit
            async let following = claimBatch(limit: ahead)
            let started = ContinuousClock.now
            await send(batch)
            handled += batch.entries.count
            limit = nextBatchSize(after: batch.entries.count, took: ContinuousClock.now - started)
            next = await following
        }
        return handled
    }

    /// The first claim of a round, before the pace of the mail server is known.
    static let firstBatchSize = 200

    /// How many rows to claim next: what the last batch's pace sends in a quarter of a claim,
    /// from 20 to ``batchSize``. The batch claimed ahead waits while the current one goes out, so
    /// both must go within the claim; a fast server gets large batches, whose ends (every
    /// connection finishing its last message) then come seldom, and a slow one small batches.
    func nextBatchSize(after rows: Int, took duration: Duration) -> Int {
        let seconds = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
        guard seconds > 0 else { return batchSize }
        let pace = Double(rows) / seconds
        return min(batchSize, max(20, Int(pace * outbox.claimSeconds / 4)))
    }

    /// Sends due rows until there are none pending at all (waiting out backoffs), or `timeout`
    /// passes. For `dateline send-digest` and `dateline worker --until-idle`.
    /// - Returns: the number of rows still pending.
    public func drain(timeout: Duration) async throws -> Int {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            await deliverDue()
            let pending = try await outbox.pendingCount()
            if pending == 0 { break }
            try await Task.sleep(for: pollInterval)
        }
        await closeIdleSessions()
        return try await outbox.pendingCount()
    }

    /// One batch: claim, write, send. Returns how many rows it claimed.
    func deliverBatch() async -> Int {
        guard let batch = await claimBatch(limit: batchSize) else { return 0 }
        await send(batch)
        return batch.entries.count
    }

    /// Claimed rows and what their messages need.
    struct ClaimedBatch: Sendable {
        var entries: [Outbox.Entry]
        var prepared: PreparedBatch
    }

    /// Claims up to `limit` due rows and reads what their messages need; nil when none is due or
    /// the outbox cannot be read.
    private func claimBatch(limit: Int) async -> ClaimedBatch? {
        let now = clock()
        do {
            let entries = try await outbox.claim(limit: limit, now: now)
            guard !entries.isEmpty else { return nil }
            return ClaimedBatch(entries: entries, prepared: try await prepare(entries, now: now))
        } catch {
            logger.error("Cannot read the outbox: \(error)")
            return nil
        }
    }

    /// Sends a batch over up to ``connections`` connections side by side, each taking the next
    /// row when it is free.
    private func send(_ batch: ClaimedBatch) async {
        // One connection first: when the server cannot be reached, the whole batch waits.
        let first: Carrier
        do {
            first = try await takeCarrier()
        } catch {
            try? await deferRest(batch.entries, error: error)
            return
        }
        var carriers = [first]
        for _ in 1..<min(connections, batch.entries.count) {
            // One that cannot be had now is tried again, row by row, in sendRows.
            guard let carrier = try? await takeCarrier() else { break }
            carriers.append(carrier)
        }
        let rows = RowQueue(batch.entries)
        await withTaskGroup(of: Void.self) { group in
            for carrier in carriers {
                // Each connection's messages are written and sent on the connection's own thread:
                // no hand-over between threads per message.
                group.addTask(executorPreference: EventLoopTaskExecutor(carrier.session.eventLoop)) {
                    await sendRows(from: rows, prepared: batch.prepared, carrier: carrier)
                }
            }
        }
    }

    /// The rows of a batch not yet taken by a connection.
    final class RowQueue: Sendable {
        private let rows: NIOLockedValueBox<ArraySlice<Outbox.Entry>>

        init(_ entries: [Outbox.Entry]) {
            rows = NIOLockedValueBox(entries[...])
        }

        func next() -> Outbox.Entry? {
            rows.withLockedValue { $0.popFirst() }
        }

        /// Takes every row left.
        func rest() -> [Outbox.Entry] {
            rows.withLockedValue { rows in
                defer { rows = [] }
                return Array(rows)
            }
        }
    }

    // MARK: - Writing messages

    /// What a batch's messages need, read once: the subscribers, the releases, the key.
    struct PreparedBatch: @unchecked Sendable {
        var subscribers: [UUID: Recipient]
        var mail: SubscriberMail
        /// Alerts by release id, digests by their list of release ids.
        var alerts: [String: MailSkeleton]
        var digests: [String: MailSkeleton]
    }

    private func prepare(_ entries: [Outbox.Entry], now: Date) async throws -> PreparedBatch {
        let database = try hub.database
        let subscribers = try await recipients(Array(Set(entries.map(\.subscriberID))))
        var releaseIDs = Set<String>()
        for entry in entries {
            switch entry.kind {
            case .alert: releaseIDs.insert(entry.reference)
            case .digest: releaseIDs.formUnion((entry.payload ?? "").split(separator: ",").map(String.init))
            case .confirmation: break
            }
        }
        // Through the public read path: mail never carries what the site would not show now.
        let reader = PublicReleases(database: database, now: now)
        let releases = try await reader.listed(ids: releaseIDs.compactMap(ReleaseID.init))
        let mail = SubscriberMail(
            settings: settings, library: library, key: try await SubscriptionTokenKey.load(from: hub),
            now: now, appeal: try await SupportAppeal.load(on: database)
        )
        let items = Dictionary(releases.map { ($0.id.rawValue, ReleaseMailItem($0, settings: settings)) }, uniquingKeysWith: { a, _ in a })
        var alerts: [String: MailSkeleton] = [:]
        var digests: [String: MailSkeleton] = [:]
        for entry in entries {
            switch entry.kind {
            case .alert:
                if alerts[entry.reference] == nil, let item = items[entry.reference] { alerts[entry.reference] = try mail.alert(item) }
            case .digest:
                let key = entry.payload ?? ""
                let listed = key.split(separator: ",").compactMap { items[String($0)] }
                if digests[key] == nil, !listed.isEmpty { digests[key] = try mail.digest(listed) }
            case .confirmation: break
            }
        }
        return PreparedBatch(subscribers: subscribers, mail: mail, alerts: alerts, digests: digests)
    }

    /// Who a message goes to, and whether they still want it.
    struct Recipient {
        var email: String
        var status: SubscriberStatus
    }

    /// The subscribers of a batch, read as two columns rather than as models: decoding Fluent
    /// models took as long as writing their messages.
    private func recipients(_ ids: [UUID]) async throws -> [UUID: Recipient] {
        let sql = try hub.sql
        var found: [UUID: Recipient] = [:]
        for chunk in stride(from: 0, to: ids.count, by: 500).map({ Array(ids[$0..<min($0 + 500, ids.count)]) }) {
            for row in try await sql.raw("SELECT id, email, status FROM subscribers WHERE id IN (\(binds: chunk))").all() {
                found[try row.decode(column: "id", as: UUID.self)] = Recipient(
                    email: try row.decode(column: "email", as: String.self),
                    status: SubscriberStatus(rawValue: try row.decode(column: "status", as: String.self)) ?? .pending
                )
            }
        }
        return found
    }

    /// The message for a row, or `nil` when there is nothing to send any more (unsubscribed,
    /// release withdrawn).
    private func message(for entry: Outbox.Entry, in batch: PreparedBatch) throws -> MailMessage? {
        guard let subscriber = batch.subscribers[entry.subscriberID] else { return nil }
        switch entry.kind {
        case .confirmation:
            guard subscriber.status == .pending else { return nil }
            return try batch.mail.confirmation(to: subscriber.email, subscriberID: entry.subscriberID)
        case .alert:
            guard subscriber.status == .confirmed, let skeleton = batch.alerts[entry.reference] else { return nil }
            return batch.mail.message(skeleton, to: subscriber.email, subscriberID: entry.subscriberID)
        case .digest:
            guard subscriber.status == .confirmed, let skeleton = batch.digests[entry.payload ?? ""] else { return nil }
            return batch.mail.message(skeleton, to: subscriber.email, subscriberID: entry.subscriberID)
        }
    }

    // MARK: - Sending

    /// A row and its message, ready to go.
    private struct Outgoing {
        var entry: Outbox.Entry
        var message: MailMessage
    }

    /// The next row of the batch that still has a message to send; rows with none are recorded
    /// as skipped on the way.
    private func nextOutgoing(from rows: RowQueue, prepared: PreparedBatch) async -> Outgoing? {
        while let entry = rows.next() {
            do {
                if let message = try message(for: entry, in: prepared) { return Outgoing(entry: entry, message: message) }
                try await outbox.finish(entry, state: .skipped, error: nil)
            } catch {
                logger.error("Outbox row \(entry.id): \(error)")
                try? await outbox.markRetry(entry, error: "\(error)", at: clock())
            }
        }
        return nil
    }

    /// Sends rows over one connection until the batch has none left. The row after the current
    /// one is written first, so that its envelope can go out with the current one's end.
    private func sendRows(from rows: RowQueue, prepared: PreparedBatch, carrier given: Carrier?) async {
        var carrier = given
        // Rows the server accepted, recorded as `sent` together with the next row's `sending`
        // (one transaction instead of two per message), and at the end.
        var accepted: [Int64] = []
        var upcoming = await nextOutgoing(from: rows, prepared: prepared)
        while let current = upcoming {
            let entry = current.entry
            // A batch that outlasts its claim gives the rest back rather than race another worker.
            if entry.claimedUntil.timeIntervalSince(clock()) <= outbox.claimMargin {
                let rest = [entry] + rows.rest()
                do {
                    try await outbox.release(rest.map(\.id))
                } catch {
                    logger.error("Cannot give back \(rest.count) outbox rows: \(error)")
                }
                break
            }
            if carrier == nil || carrier?.session.isUsable == false {
                if let stale = carrier { await stale.close() }
                carrier = nil
                do {
                    carrier = try await takeCarrier()
                } catch {
                    do {
                        try await deferRest([entry] + rows.rest(), error: error)
                    } catch {
                        logger.error("Cannot put off \(entry.id) and the rest of its batch: \(error)")
                    }
                    break
                }
            }
            guard let open = carrier else { break }
            let following = await nextOutgoing(from: rows, prepared: prepared)
            do {
                if try await deliver(current.message, entry: entry, over: open, then: following?.message.to, accepted: &accepted) == .connectionLost {
                    await open.close()
                    carrier = nil
                }
            } catch {
                logger.error("Outbox row \(entry.id): \(error)")
                try? await outbox.markRetry(entry, error: "\(error)", at: clock())
            }
            upcoming = following
        }
        do {
            try await outbox.markSent(accepted, at: clock())
        } catch {
            // They stay `sending` and become `unconfirmed`: never sent twice.
            logger.error("Cannot record \(accepted.count) sent messages: \(error)")
        }
        if let carrier {
            // A connection whose next envelope is out (a row given back above) cannot be reused.
            if carrier.session.isBetweenMessages { giveBack(carrier) } else { await carrier.close() }
        }
    }

    private enum Outcome { case done, connectionLost }

    /// Sends one message; on success its id joins `accepted`, to be recorded with the next.
    private func deliver(_ message: MailMessage, entry: Outbox.Entry, over carrier: Carrier, then next: String?, accepted: inout [Int64]) async throws -> Outcome {
        let bytes = composer.render(message)
        let clock = self.clock
        let records = carrier.records
        let earlier = accepted
        let margin = outbox.claimMargin
        let made = NIOLockedValueBox<SendingRecord?>(nil)
        let finished: Result<Bool, any Error>
        do {
            finished = .success(try await carrier.session.send(from: composer.envelopeSender, to: [message.to], message: bytes, then: next.map { [$0] }, recording: {
                // While the claim holds with room to spare, no other worker can have taken the row
                // (read now: the exchange before this may have taken long).
                let now = clock()
                guard entry.claimedUntil.timeIntervalSince(now) > margin else { return false }
                let record: SendingRecord
                do {
                    record = try records.record(sending: entry.id, sent: earlier, at: now)
                } catch {
                    throw NotRecorded(underlying: error)
                }
                made.withLockedValue { $0 = record }
                if case .refused = record { return false }
                return true
            }))
        } catch {
            finished = .failure(error)
        }
        // The record's answer comes before anything else touches the row, or the lane records again.
        var notRecorded: (any Error)?
        switch made.withLockedValue({ $0 }) {
        case .made?, .refused?:
            accepted = []
        case .written(let outcome)?:
            do {
                try await outcome().get()
                accepted = []
            } catch {
                // The `sent` records of `earlier` may not have been made either: they go again.
                notRecorded = error
            }
        case nil:
            break
        }

        do {
            guard try finished.get() else {
                // Not ours any more, or its claim is about to run out; the only way out of DATA
                // without the "." is to hang up.
                return .connectionLost
            }
            succeeded()
            guard let notRecorded else {
                accepted.append(entry.id)
                return .done
            }
            logger.error("Row \(entry.id) was delivered without its sending record (\(notRecorded)); recording it as sent")
            await recordAfterFinalDot(entry) { try await outbox.recordDelivered(entry.id, at: clock(), note: "delivered without a sending record: \(notRecorded)") }
            // The lane's database connection may be the trouble: start afresh.
            return .connectionLost
        } catch let error as SMTPError {
            switch error {
            case .permanent(let reply):
                try await outbox.finish(entry, state: .failed, error: error.description)
                await recordBounce(entry, reply: reply, permanent: true)
                return .done
            case .transient(let reply):
                // Refused, so not delivered, whether before the "." or after it.
                try await outbox.markRetry(entry, error: error.description, at: clock())
                await recordBounce(entry, reply: reply, permanent: false)
                return .done
            default:
                // Nothing reached the server as a message: try again soon, without using up an attempt.
                try await deferRest([entry], error: error)
                return .connectionLost
            }
        } catch let error as NotRecorded {
            try await outbox.markRetry(entry, error: "\(error.underlying)", at: clock())
            return .connectionLost
        } catch let error as UncertainDelivery {
            logger.warning("No answer to the end of a message to \(message.to); it may or may not have been delivered, and is not sent again: \(error.underlying)")
            await recordAfterFinalDot(entry) { try await outbox.finish(entry, state: .unconfirmed, error: error.description) }
            return .connectionLost
        } catch {
            try await deferRest([entry], error: error)
            return .connectionLost
        }
    }

    /// Records the end of a row whose "." went out. A failure here must not reach the caller's
    /// retry: the row stays as it is (`sending`, which becomes `unconfirmed` once its claim runs
    /// out), never `pending` again.
    private func recordAfterFinalDot(_ entry: Outbox.Entry, _ record: () async throws -> Void) async {
        do {
            try await record()
        } catch {
            logger.error("Cannot record the end of outbox row \(entry.id), whose message went out: \(error)")
        }
    }

    /// Counts a refusal against the subscriber's address (``Bounces``); a dead address gets no
    /// more mail. A failure to record it is logged and changes nothing else.
    private func recordBounce(_ entry: Outbox.Entry, reply: String, permanent: Bool) async {
        guard Bounces.isAboutTheRecipient(reply) else { return }
        do {
            if try await Bounces.record(subscriberID: entry.subscriberID, reply: reply, permanent: permanent, at: clock(), hub: hub) {
                logger.notice("Subscriber \(entry.subscriberID) marked bounced: no more mail to the address (\(reply.prefix(200)))")
            }
        } catch {
            logger.error("Cannot record the refusal of outbox row \(entry.id) against its subscriber: \(error)")
        }
    }

    private struct NotRecorded: Error {
        var underlying: any Error
    }

    /// The server could not be reached: the lane's rows wait, longer after each failure in a
    /// row, and keep their attempts.
    private func deferRest(_ entries: [Outbox.Entry], error: any Error) async throws {
        let failures = state.withLockedValue { state in
            state.consecutiveConnectionFailures += 1
            return state.consecutiveConnectionFailures
        }
        let delay = min(300, 5 * pow(2, Double(min(failures, 10) - 1)))
        logger.warning("Cannot reach the mail server (\(error)); \(entries.count) messages wait \(Int(delay)) s")
        let until = clock().addingTimeInterval(delay)
        try await hub.writeSQL { sql in
            for chunk in stride(from: 0, to: entries.count, by: 500).map({ Array(entries[$0..<min($0 + 500, entries.count)]) }) {
                try await sql.raw("""
                    UPDATE outbox SET run_at = \(bind: until), locked_until = NULL, last_error = \(bind: String("\(error)".prefix(500)))
                    WHERE state = 'pending' AND id IN (\(binds: chunk.map(\.id)))
                    """).run()
            }
        }
    }

    private func succeeded() {
        state.withLockedValue { $0.consecutiveConnectionFailures = 0 }
    }

    private func takeCarrier() async throws -> Carrier {
        while let idle = state.withLockedValue({ $0.idleCarriers.popLast() }) {
            if idle.session.isUsable { return idle }
            await idle.close()
        }
        let session = try await transport.openSession()
        do {
            return Carrier(session: session, records: try await recorder.lane(on: session.eventLoop))
        } catch {
            await session.close()
            throw error
        }
    }

    private func giveBack(_ carrier: Carrier) {
        state.withLockedValue { $0.idleCarriers.append(carrier) }
    }

    /// Closes the connections kept for reuse.
    public func closeIdleSessions() async {
        let carriers = state.withLockedValue { state in
            defer { state.idleCarriers = [] }
            return state.idleCarriers
        }
        for carrier in carriers { await carrier.close() }
    }
}
