import Dispatch
import Foundation
import NIOConcurrencyHelpers
import NIOCore

/// The group commit of the outbox's `sending` marks for the connections of one event loop.
///
/// A message's final "." may go out only after its row is recorded as `sending` (see
/// ``Outbox``); a worker killed between the two loses the message, so that moment must be as
/// short as can be. Each connection that has handed over a message's text asks the gate to
/// pass. The gate collects the connections that arrive while the loop works through its
/// current events, records all of them in one statement, and waits for it right there, on the
/// loop's own thread, holding the loop still; as soon as the database answers, the same thread
/// writes every "." of the group. Had the loop gone on with other work instead, the answer
/// would wait its turn behind that work — measured under load, long enough for a kill to fall
/// in between in one run out of three of the crash test. The statement also records the
/// messages the server has accepted since the last one as `sent`.
///
/// The loop must therefore serve nothing but this deliverer's connections (see
/// ``OutboxDeliverer/deliveryLoop``), and the statement runs on another loop of the database's
/// group (`databaseLoop`), whose thread delivers the answer.
///
/// Confined to ``eventLoop``: every method is called there (hence `@unchecked Sendable`).
final class SendingGate: @unchecked Sendable {
    let eventLoop: any EventLoop
    /// The envelope sender of every message.
    let envelopeSender: String
    private let databaseLoop: any EventLoop
    private let outbox: Outbox
    private let clock: @Sendable () -> Date
    private var waiting: [(id: Int64, promise: EventLoopPromise<Bool>)] = []
    /// Rows the server accepted, to be recorded `sent` with the next commit.
    private var accepted: [Int64] = []
    private var scheduled = false
    /// How long the loop waits for the database before the group counts as not recorded.
    static let commitTimeout: DispatchTimeInterval = .seconds(30)

    init(eventLoop: any EventLoop, databaseLoop: any EventLoop, envelopeSender: String, outbox: Outbox, clock: @escaping @Sendable () -> Date) {
        self.eventLoop = eventLoop
        self.databaseLoop = databaseLoop
        self.envelopeSender = envelopeSender
        self.outbox = outbox
        self.clock = clock
    }

    /// Waits until the row is recorded as `sending`.
    /// - Returns: a future of true when the message may be finished now, false when the row's
    ///   claim is about to run out (see ``Outbox/claimMargin``: another worker may soon take it,
    ///   so this one must not finish it); it fails when the record could not be written, and
    ///   then nothing may be sent. It answers on ``eventLoop``, in the callback that follows the
    ///   database's answer.
    func pass(_ entry: Outbox.Entry) -> EventLoopFuture<Bool> {
        eventLoop.preconditionInEventLoop()
        guard clock() < entry.claimedUntil.addingTimeInterval(-outbox.claimMargin) else {
            return eventLoop.makeSucceededFuture(false)
        }
        let id = entry.id
        let promise = eventLoop.makePromise(of: Bool.self)
        waiting.append((id, promise))
        if !scheduled {
            // After the events the loop is handling now, so that every connection that gets
            // here meanwhile joins the same statement.
            scheduled = true
            eventLoop.execute { self.commit() }
        }
        return promise.futureResult
    }

    /// Notes that the server accepted row `id`; it is recorded `sent` with the next commit or by
    /// ``drain()``.
    func delivered(_ id: Int64) {
        eventLoop.preconditionInEventLoop()
        accepted.append(id)
    }

    /// Records the remaining accepted rows as `sent`. A row whose record fails stays `sending`
    /// and later becomes `unconfirmed`: never sent twice.
    func drain() -> EventLoopFuture<Void> {
        eventLoop.preconditionInEventLoop()
        let sent = accepted
        accepted = []
        guard !sent.isEmpty else { return eventLoop.makeSucceededVoidFuture() }
        let outbox = self.outbox
        let now = clock()
        return eventLoop.makeFutureWithTask { try await outbox.markSent(sent, at: now) }
    }

    private func commit() {
        scheduled = false
        let batch = waiting
        let sent = accepted
        waiting = []
        accepted = []
        guard !batch.isEmpty else {
            accepted = sent
            return
        }
        switch record(sending: batch.map(\.id), sent: sent) {
        case .success:
            for waiter in batch { waiter.promise.succeed(true) }
        case .failure(let error):
            // Nothing of the statement was written (or it is unknown): the sent rows are tried
            // again next time, and no "." goes out for this group.
            accepted.insert(contentsOf: sent, at: 0)
            for waiter in batch { waiter.promise.fail(error) }
        }
    }

    /// Runs the statement on the database's loop and blocks this loop's thread until it answers.
    private func record(sending: [Int64], sent: [Int64]) -> Result<Void, any Error> {
        let answered = DispatchSemaphore(value: 0)
        let result = NIOLockedValueBox<Result<Void, any Error>?>(nil)
        do {
            try outbox.markSending(sending, recordingSent: sent, at: clock(), on: databaseLoop).whenComplete { outcome in
                result.withLockedValue { $0 = outcome }
                answered.signal()
            }
        } catch {
            return .failure(error)
        }
        guard answered.wait(timeout: .now() + Self.commitTimeout) == .success else {
            return .failure(GateTimeout())
        }
        return result.withLockedValue { $0 } ?? .failure(GateTimeout())
    }

    struct GateTimeout: Error, CustomStringConvertible {
        var description: String { "the database did not record the messages as sending in time" }
    }
}
