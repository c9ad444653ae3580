import Crypto
import DatelineCore
import FluentKit
import Foundation
import Logging
import Mustache
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import ServiceLifecycle

/// Sends the outbox: claims due rows in batches (the next batch is claimed and its messages
/// written while the current one goes out), and hands the messages to the mail transport over
/// reused connections side by side, all driven on one event loop. Runs inside `serve` and in
/// `dateline worker`.
///
/// At most once per row: the row is marked `sending` after the server has accepted the
/// envelope and the text, and before the final "." that makes the server take the message
/// (see ``Outbox`` and ``SendingGate``, which records the marks of all connections together).
/// A failure before that point retries later; a silence after it does not.
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
    /// The loop all of this deliverer's connections run on (see ``deliveryLoop``).
    let eventLoop: any EventLoop
    private let state = NIOLockedValueBox(DelivererState())

    struct DelivererState {
        var idleSessions: [any MailSession] = []
        /// Kept between batches, closed with the idle sessions.
        var recorder: (any SendingRecorder)?
        var consecutiveConnectionFailures = 0
    }

    /// - Parameters:
    ///   - connections: how many SMTP connections to use at once; by default
    ///     ``Settings/smtpConnections``.
    ///   - batchSize: how many rows to claim at a time.
    ///   - claimSeconds: how long claimed rows are held before another worker may take them.
    public init(
        hub: DatabaseHub, settings: Settings, library: MustacheLibrary, logger: Logger,
        transport: (any MailTransport)? = nil, connections: Int? = nil, batchSize: Int = 200, claimSeconds: TimeInterval = 120,
        pollInterval: Duration = .milliseconds(500), clock: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.hub = hub
        self.settings = settings
        self.library = library
        self.transport = transport ?? settings.mailTransport
        composer = MailComposer(settings: settings, clock: clock)
        self.logger = logger
        self.clock = clock
        self.connections = max(1, connections ?? settings.smtpConnections)
        self.batchSize = max(1, batchSize)
        self.pollInterval = pollInterval
        outbox = Outbox(hub: hub, claimSeconds: claimSeconds)
        eventLoop = Self.deliveryLoop
    }

    /// A loop of its own for the SMTP connections of every deliverer in the process, kept for the life of the process like NIO's
    /// shared group: ``SendingGate`` holds it still while the database records a group of
    /// messages, which must not hold up web requests or anything else.
    static let deliveryLoop: any EventLoop = MultiThreadedEventLoopGroup(numberOfThreads: 1).next()

    /// A deliverer with the mail templates of `settings.resourcesDirectory`, for the commands.
    /// - Throws: ``TemplateError`` when the templates are missing or do not parse.
    public static func load(hub: DatabaseHub, settings: Settings, logger: Logger, connections: Int? = nil, claimSeconds: TimeInterval = 120) async throws -> OutboxDeliverer {
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

    /// Sends every row that is due now, batch after batch, until none is left. While a full
    /// batch is being sent, the next one is already claimed and prepared.
    /// - Returns: how many rows were handled (sent, refused or deferred).
    @discardableResult
    public func deliverDue() async -> Int {
        var handled = 0
        var upcoming: Task<ClaimedBatch?, Never>?
        while !Task.isCancelled {
            let batch: ClaimedBatch?
            if let next = upcoming { batch = await next.value } else { batch = await claimBatch() }
            upcoming = nil
            guard let batch else { break }
            if batch.entries.count == batchSize {
                upcoming = Task { await claimBatch() }
            }
            await send(batch)
            handled += batch.entries.count
        }
        // Stopped with a batch claimed but not begun: let it go at once rather than when the claim runs out.
        if let next = upcoming, let batch = await next.value {
            try? await outbox.release(batch.entries)
        }
        return handled
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

    /// Claimed rows, each with its message already written.
    struct ClaimedBatch: Sendable {
        var entries: [Outbox.Entry]
        /// The rows that have a message to send, in claim order.
        var outgoing: [Outgoing]
        /// Rows with nothing to send any more (unsubscribed, release withdrawn).
        var skipped: [Outbox.Entry]
        /// Rows whose message could not be written, with the reason.
        var unwritten: [(Outbox.Entry, String)]
    }

    /// One message ready to go.
    struct Outgoing: Sendable {
        var entry: Outbox.Entry
        var recipient: String
        var bytes: ByteBuffer
    }

    /// Claims up to ``batchSize`` due rows and writes their messages; `nil` when none is due or
    /// the outbox cannot be read.
    func claimBatch() async -> ClaimedBatch? {
        let now = clock()
        do {
            let entries = try await outbox.claim(limit: batchSize, now: now)
            guard !entries.isEmpty else { return nil }
            let prepared = try await prepare(entries, now: now)
            var batch = ClaimedBatch(entries: entries, outgoing: [], skipped: [], unwritten: [])
            batch.outgoing.reserveCapacity(entries.count)
            for entry in entries {
                do {
                    if let message = try message(for: entry, in: prepared) {
                        batch.outgoing.append(Outgoing(entry: entry, recipient: message.to, bytes: composer.render(message)))
                    } else {
                        batch.skipped.append(entry)
                    }
                } catch {
                    batch.unwritten.append((entry, "\(error)"))
                }
            }
            return batch
        } catch {
            logger.error("Cannot read the outbox: \(error)")
            return nil
        }
    }

    /// Sends a batch over ``connections`` connections side by side; each takes the next message
    /// when it is free, so a slow connection holds up nobody.
    func send(_ batch: ClaimedBatch) async {
        for entry in batch.skipped {
            try? await outbox.finish(entry, state: .skipped, error: nil)
        }
        for (entry, reason) in batch.unwritten {
            logger.error("Outbox row \(entry.id): \(reason)")
            try? await outbox.markRetry(entry, error: reason, at: clock())
        }
        guard !batch.outgoing.isEmpty else { return }
        // One connection first: when the server cannot be reached, the whole batch waits.
        let first: any MailSession
        do {
            first = try await takeSession()
        } catch {
            try? await deferRest(batch.outgoing.map(\.entry), error: error)
            return
        }
        let queue = OutgoingQueue(batch.outgoing)
        let gate = SendingGate(eventLoop: eventLoop, recorder: await recorder(), envelopeSender: composer.envelopeSender, outbox: outbox, clock: clock)
        await withTaskGroup(of: Void.self) { group in
            for index in 0..<min(connections, batch.outgoing.count) {
                let session: (any MailSession)? = index == 0 ? first : nil
                group.addTask { await send(from: queue, session: session, gate: gate) }
            }
        }
        do {
            try await eventLoop.flatSubmit { gate.drain() }.get()
        } catch {
            // They stay `sending` and become `unconfirmed`: never sent twice.
            logger.error("Cannot record sent messages: \(error)")
        }
    }

    /// The messages of a batch not yet taken by a connection.
    final class OutgoingQueue: Sendable {
        private let messages: NIOLockedValueBox<ArraySlice<Outgoing>>

        init(_ outgoing: [Outgoing]) {
            messages = NIOLockedValueBox(outgoing[...])
        }

        func next() -> Outgoing? {
            messages.withLockedValue { $0.popFirst() }
        }

        var isEmpty: Bool {
            messages.withLockedValue { $0.isEmpty }
        }

        /// Takes every message left.
        func takeAll() -> [Outgoing] {
            messages.withLockedValue { messages in
                defer { messages = [] }
                return Array(messages)
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
        let subscriberIDs = Array(Set(entries.map(\.subscriberID)))
        // Plain SQL rather than the Fluent model: only three columns, read for every message.
        let rows = try await hub.sql.raw("SELECT id, email, status FROM subscribers WHERE id IN (\(binds: subscriberIDs))").all()
        let subscribers = try rows.map { row in
            Recipient(
                id: try row.decode(column: "id", as: UUID.self),
                email: try row.decode(column: "email", as: String.self),
                status: SubscriberStatus(rawValue: try row.decode(column: "status", as: String.self)) ?? .pending
            )
        }
        var releaseIDs = Set<String>()
        for entry in entries {
            switch entry.kind {
            case .alert: releaseIDs.insert(entry.reference)
            case .digest: releaseIDs.formUnion((entry.payload ?? "").split(separator: ",").map(String.init))
            case .confirmation: break
            }
        }
        // Through the public read path: mail never carries what the site would not show now.
        let releases = try await PublicReleases(database: database, now: now).listed(ids: releaseIDs.compactMap(ReleaseID.init))
        let mail = SubscriberMail(
            settings: settings, library: library, key: try await SubscriptionTokenKey.load(on: database),
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
        return PreparedBatch(
            subscribers: Dictionary(subscribers.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a }),
            mail: mail, alerts: alerts, digests: digests
        )
    }

    /// What a message needs of its subscriber.
    struct Recipient {
        var id: UUID
        var email: String
        var status: SubscriberStatus
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

    /// One connection's share: messages from `queue` until it is empty. The messages go out
    /// on the connection's event loop, one after another, with no hand-over to this task until
    /// one of them does not end as sent; this task then deals with that one and carries on.
    private func send(from queue: OutgoingQueue, session given: (any MailSession)?, gate: SendingGate) async {
        var session = given
        while !queue.isEmpty {
            if session == nil || session?.isUsable == false {
                if let stale = session { await stale.close() }
                session = nil
                do {
                    session = try await takeSession()
                } catch {
                    // The server cannot be reached: all that are left wait.
                    try? await deferRest(queue.takeAll().map(\.entry), error: error)
                    break
                }
            }
            guard let open = session else { break }
            let stop: LaneStop
            do {
                stop = try await open.eventLoop.flatSubmit { Self.sendOnLoop(from: queue, over: open, gate: gate) }.get()
            } catch {
                logger.error("Mail connection: \(error)")
                break
            }
            guard case .stopped(let outgoing, let reason) = stop else {
                succeeded()
                break
            }
            if case .takenOver = reason {
                // The batch's claim is running out: give back this row and all that are left,
                // for the next claim (this worker's or another's) to send.
                try? await outbox.release([outgoing.entry] + queue.takeAll().map(\.entry))
            }
            do {
                if try await handle(reason, for: outgoing.entry, to: outgoing.recipient) == .connectionLost {
                    await open.close()
                    session = nil
                }
            } catch {
                logger.error("Outbox row \(outgoing.entry.id): \(error)")
            }
        }
        if let session { giveBack(session) }
    }

    private enum Outcome { case done, connectionLost }

    /// How a connection's run of messages ended.
    private enum LaneStop: Sendable {
        /// The queue is empty.
        case empty
        /// This message did not end as sent.
        case stopped(Outgoing, Stop)
    }

    /// Why a message did not end as sent.
    private enum Stop: Error, Sendable {
        /// Before the "." could go out: the envelope or text was refused, or the connection failed.
        case beforeData(any Error)
        /// The `sending` record could not be written, so the "." was not sent.
        case notRecorded(any Error)
        /// The row's claim was about to run out, so another worker may take it; the "." was not sent.
        case takenOver
        /// After the "." went out: refused (4yz, 5yz), or no answer.
        case afterData(any Error)
    }

    /// On the session's event loop: sends messages from `queue` — text, `sending` record through
    /// the gate, ".", answer — until the queue is empty or one does not end as sent.
    private static func sendOnLoop(from queue: OutgoingQueue, over session: any MailSession, gate: SendingGate) -> EventLoopFuture<LaneStop> {
        guard let outgoing = queue.next() else { return session.eventLoop.makeSucceededFuture(.empty) }
        let id = outgoing.entry.id
        let loop = session.eventLoop
        let attempt: EventLoopFuture<Stop?> = session.begin(from: gate.envelopeSender, to: [outgoing.recipient], message: outgoing.bytes)
            .flatMapErrorThrowing { throw Stop.beforeData($0) }
            .flatMap { session.finish(after: gate.pass(outgoing.entry).flatMapErrorThrowing { throw Stop.notRecorded($0) }) }
            .map { sent in sent ? nil : Stop.takenOver }
            .flatMapError { error in loop.makeSucceededFuture(error as? Stop ?? .afterData(error)) }
        return attempt.flatMap { stop in
            if let stop { return loop.makeSucceededFuture(.stopped(outgoing, stop)) }
            gate.delivered(id)
            return sendOnLoop(from: queue, over: session, gate: gate)
        }
    }

    /// Records what became of a message that did not end as sent.
    private func handle(_ stop: Stop, for entry: Outbox.Entry, to recipient: String) async throws -> Outcome {
        switch stop {
        case .beforeData(let error):
            switch error as? SMTPError {
            case .permanent?:
                try await outbox.finish(entry, state: .failed, error: "\(error)")
                return .done
            case .transient?:
                try await outbox.markRetry(entry, error: "\(error)", at: clock())
                return .done
            default:
                // Nothing reached the server as a message: try again soon, without using up an attempt.
                try await deferRest([entry], error: error)
                return .connectionLost
            }
        case .notRecorded(let error):
            try await outbox.markRetry(entry, error: "\(error)", at: clock())
            return .connectionLost
        case .takenOver:
            // The only way out of DATA without the "." is to hang up. The row stays pending
            // and is sent by whichever worker claims it next.
            return .connectionLost
        case .afterData(let error):
            switch error as? SMTPError {
            case .transient?:
                try await outbox.markRetry(entry, error: "\(error)", at: clock())
                return .done
            case .permanent?:
                try await outbox.finish(entry, state: .failed, error: "\(error)")
                return .done
            default:
                logger.warning("No answer to the end of a message to \(recipient); it may or may not have been delivered, and is not sent again: \(error)")
                try await outbox.finish(entry, state: .unconfirmed, error: "\(error)")
                return .connectionLost
            }
        }
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
        let sql = try hub.sql
        for chunk in stride(from: 0, to: entries.count, by: 500).map({ Array(entries[$0..<min($0 + 500, entries.count)]) }) {
            try await sql.raw("""
                UPDATE \(outbox.byID) SET run_at = \(bind: until), locked_until = NULL, last_error = \(bind: String("\(error)".prefix(500)))
                WHERE state = 'pending' AND id IN (\(binds: chunk.map(\.id)))
                """).run()
        }
    }

    private func succeeded() {
        state.withLockedValue { $0.consecutiveConnectionFailures = 0 }
    }

    private func takeSession() async throws -> any MailSession {
        if let idle = state.withLockedValue({ $0.idleSessions.popLast() }), idle.isUsable { return idle }
        return try await transport.openSession(on: eventLoop)
    }

    private func giveBack(_ session: any MailSession) {
        state.withLockedValue { $0.idleSessions.append(session) }
    }

    /// The recorder of `sending` marks, opened on first use.
    private func recorder() async -> any SendingRecorder {
        if let kept = state.withLockedValue({ $0.recorder }) { return kept }
        let made = await SendingRecorders.make(hub: hub, outbox: outbox, gateLoop: eventLoop, logger: logger)
        let extra = state.withLockedValue { state -> (any SendingRecorder)? in
            if state.recorder == nil {
                state.recorder = made
                return nil
            }
            return made
        }
        if let extra { await extra.close() }
        return state.withLockedValue { $0.recorder } ?? made
    }

    /// Closes the connections kept for reuse, and the recorder's.
    public func closeIdleSessions() async {
        let (sessions, recorder) = state.withLockedValue { state in
            defer {
                state.idleSessions = []
                state.recorder = nil
            }
            return (state.idleSessions, state.recorder)
        }
        for session in sessions { await session.close() }
        await recorder?.close()
    }
}
