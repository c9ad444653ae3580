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
/// envelope and the text, and before the final "." that makes the server take the message
/// (see ``Outbox``). A failure before that point retries later; a silence after it does not.
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
    private let state = NIOLockedValueBox(DelivererState())

    struct DelivererState {
        var idleSessions: [any MailSession] = []
        var consecutiveConnectionFailures = 0
    }

    /// - Parameters:
    ///   - connections: how many SMTP connections to use at once.
    ///   - batchSize: how many rows to claim at a time.
    ///   - claimSeconds: how long claimed rows are held before another worker may take them.
    public init(
        hub: DatabaseHub, settings: Settings, library: MustacheLibrary, logger: Logger,
        transport: (any MailTransport)? = nil, connections: Int = 4, batchSize: Int = 200, claimSeconds: TimeInterval = 120,
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

    /// Sends every row that is due now, batch after batch, until none is left.
    /// - Returns: how many rows were handled (sent, refused or deferred).
    @discardableResult
    public func deliverDue() async -> Int {
        var handled = 0
        while !Task.isCancelled {
            let count = await deliverBatch()
            handled += count
            if count == 0 { break }
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

    /// One batch: claim, write, send. Returns how many rows it claimed.
    func deliverBatch() async -> Int {
        let now = clock()
        let entries: [Outbox.Entry]
        let prepared: PreparedBatch
        do {
            entries = try await outbox.claim(limit: batchSize, now: now)
            guard !entries.isEmpty else { return 0 }
            prepared = try await prepare(entries, now: now)
        } catch {
            logger.error("Cannot read the outbox: \(error)")
            return 0
        }
        // One connection first: when the server cannot be reached, the whole batch waits.
        let first: any MailSession
        do {
            first = try await takeSession()
        } catch {
            try? await deferRest(entries, error: error)
            return entries.count
        }
        // Rows go to the lanes in turn; each lane sends its share over one connection.
        let lanes = (0..<min(connections, entries.count)).map { lane in stride(from: lane, to: entries.count, by: connections).map { entries[$0] } }
        await withTaskGroup(of: Void.self) { group in
            for (index, lane) in lanes.enumerated() {
                let session: (any MailSession)? = index == 0 ? first : nil
                group.addTask { await send(lane, prepared: prepared, session: session) }
            }
        }
        return entries.count
    }

    // MARK: - Writing messages

    /// What a batch's messages need, read once: the subscribers, the releases, the key.
    struct PreparedBatch: @unchecked Sendable {
        var subscribers: [UUID: SubscriberModel]
        var mail: SubscriberMail
        /// Alerts by release id, digests by their list of release ids.
        var alerts: [String: MailSkeleton]
        var digests: [String: MailSkeleton]
    }

    private func prepare(_ entries: [Outbox.Entry], now: Date) async throws -> PreparedBatch {
        let database = try hub.database
        let subscriberIDs = Array(Set(entries.map(\.subscriberID)))
        let subscribers = try await SubscriberModel.query(on: database).filter(\.$id ~~ subscriberIDs).all()
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
            subscribers: Dictionary(subscribers.compactMap { s in s.id.map { ($0, s) } }, uniquingKeysWith: { a, _ in a }),
            mail: mail, alerts: alerts, digests: digests
        )
    }

    /// The message for a row, or `nil` when there is nothing to send any more (unsubscribed,
    /// release withdrawn).
    private func message(for entry: Outbox.Entry, in batch: PreparedBatch) throws -> MailMessage? {
        guard let subscriber = batch.subscribers[entry.subscriberID] else { return nil }
        switch entry.kind {
        case .confirmation:
            guard subscriber.subscriberStatus == .pending else { return nil }
            return try batch.mail.confirmation(to: subscriber.email, subscriberID: entry.subscriberID)
        case .alert:
            guard subscriber.subscriberStatus == .confirmed, let skeleton = batch.alerts[entry.reference] else { return nil }
            return batch.mail.message(skeleton, to: subscriber.email, subscriberID: entry.subscriberID)
        case .digest:
            guard subscriber.subscriberStatus == .confirmed, let skeleton = batch.digests[entry.payload ?? ""] else { return nil }
            return batch.mail.message(skeleton, to: subscriber.email, subscriberID: entry.subscriberID)
        }
    }

    // MARK: - Sending

    private func send(_ lane: [Outbox.Entry], prepared: PreparedBatch, session given: (any MailSession)?) async {
        var session = given
        // Rows the server accepted, recorded as `sent` together with the next row's `sending`
        // (one transaction instead of two per message), and at the end of the lane.
        var accepted: [Int64] = []
        for (index, entry) in lane.enumerated() {
            do {
                guard let message = try message(for: entry, in: prepared) else {
                    try await outbox.finish(entry, state: .skipped, error: nil)
                    continue
                }
                if session == nil || session?.isUsable == false {
                    if let stale = session { await stale.close() }
                    session = nil
                    do {
                        session = try await takeSession()
                    } catch {
                        try await deferRest(Array(lane[index...]), error: error)
                        break
                    }
                }
                guard let open = session else { continue }
                if try await deliver(message, entry: entry, over: open, accepted: &accepted) == .connectionLost {
                    await open.close()
                    session = nil
                }
            } catch {
                logger.error("Outbox row \(entry.id): \(error)")
                try? await outbox.markRetry(entry, error: "\(error)", at: clock())
            }
        }
        do {
            try await outbox.markSent(accepted, at: clock())
        } catch {
            // They stay `sending` and become `unconfirmed`: never sent twice.
            logger.error("Cannot record \(accepted.count) sent messages: \(error)")
        }
        if let session { giveBack(session) }
    }

    private enum Outcome { case done, connectionLost }

    /// Sends one message; on success its id joins `accepted`, to be recorded with the next.
    private func deliver(_ message: MailMessage, entry: Outbox.Entry, over session: any MailSession, accepted: inout [Int64]) async throws -> Outcome {
        let bytes = composer.render(message)
        do {
            try await session.begin(from: composer.envelopeSender, to: [message.to], message: bytes)
        } catch let error as SMTPError {
            switch error {
            case .permanent:
                try await outbox.finish(entry, state: .failed, error: error.description)
                return .done
            case .transient:
                try await outbox.markRetry(entry, error: error.description, at: clock())
                return .done
            default:
                // Nothing reached the server as a message: try again soon, without using up an attempt.
                try await deferRest([entry], error: error)
                return .connectionLost
            }
        } catch {
            try await deferRest([entry], error: error)
            return .connectionLost
        }
        // A failure to record "sending" means the "." was never sent.
        let gate = try outbox.markSending([entry.id], recordingSent: accepted, at: clock(), on: session.eventLoop)
            .map { $0.contains(entry.id) }
            .flatMapErrorThrowing { throw NotRecorded(underlying: $0) }
        do {
            let sent = try await session.finish(after: gate)
            accepted = []
            guard sent else {
                // Another worker took the row over; the only way out of DATA without the "." is to hang up.
                return .connectionLost
            }
            accepted.append(entry.id)
            succeeded()
            return .done
        } catch let error as SMTPError {
            switch error {
            case .transient:
                try await outbox.markRetry(entry, error: error.description, at: clock())
                return .done
            case .permanent:
                try await outbox.finish(entry, state: .failed, error: error.description)
                return .done
            default:
                logger.warning("No answer to the end of a message to \(message.to); it may or may not have been delivered, and is not sent again: \(error)")
                try await outbox.finish(entry, state: .unconfirmed, error: error.description)
                return .connectionLost
            }
        } catch let error as NotRecorded {
            try await outbox.markRetry(entry, error: "\(error.underlying)", at: clock())
            return .connectionLost
        } catch {
            try await outbox.finish(entry, state: .unconfirmed, error: "\(error)")
            return .connectionLost
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
        let sql = try hub.sql
        for chunk in stride(from: 0, to: entries.count, by: 500).map({ Array(entries[$0..<min($0 + 500, entries.count)]) }) {
            try await sql.raw("""
                UPDATE outbox SET run_at = \(bind: until), locked_until = NULL, last_error = \(bind: String("\(error)".prefix(500)))
                WHERE state = 'pending' AND id IN (\(binds: chunk.map(\.id)))
                """).run()
        }
    }

    private func succeeded() {
        state.withLockedValue { $0.consecutiveConnectionFailures = 0 }
    }

    private func takeSession() async throws -> any MailSession {
        if let idle = state.withLockedValue({ $0.idleSessions.popLast() }), idle.isUsable { return idle }
        return try await transport.openSession()
    }

    private func giveBack(_ session: any MailSession) {
        state.withLockedValue { $0.idleSessions.append(session) }
    }

    /// Closes the connections kept for reuse.
    public func closeIdleSessions() async {
        let sessions = state.withLockedValue { state in
            defer { state.idleSessions = [] }
            return state.idleSessions
        }
        for session in sessions { await session.close() }
    }
}
