import Foundation
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
/// would wait its turn behind that work: on a loaded machine the crash test then lost a message
/// in half of its runs (some of those losses may have been the test server's own, since fixed);
/// this way, with the recorder's own SQLite connection, in none of 12. After each group, the
/// messages the server has accepted since the last one are recorded as `sent`, without waiting.
///
/// The loop must therefore serve nothing but the outbox's connections (see
/// ``OutboxDeliverer/deliveryLoop``); the ``SendingRecorder`` runs the statement elsewhere and
/// wakes the loop when it is stored.
///
/// Confined to ``eventLoop``: every method is called there (hence `@unchecked Sendable`).
final class SendingGate: @unchecked Sendable {
    let eventLoop: any EventLoop
    /// The envelope sender of every message.
    let envelopeSender: String
    private let recorder: any SendingRecorder
    private let outbox: Outbox
    private let clock: @Sendable () -> Date
    private var waiting: [(id: Int64, promise: EventLoopPromise<Bool>)] = []
    /// Rows the server accepted, to be recorded `sent` after the next group or by ``drain()``.
    private var accepted: [Int64] = []
    private var scheduled = false
    init(eventLoop: any EventLoop, recorder: any SendingRecorder, envelopeSender: String, outbox: Outbox, clock: @escaping @Sendable () -> Date) {
        self.eventLoop = eventLoop
        self.recorder = recorder
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

    /// Notes that the server accepted row `id`; it is recorded `sent` after the next group or by
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
        return recorder.recordSent(sent, at: clock()).hop(to: eventLoop)
    }

    private func commit() {
        scheduled = false
        let batch = waiting
        waiting = []
        guard !batch.isEmpty else { return }
        switch recorder.record(sending: batch.map(\.id)) {
        case .success:
            for waiter in batch { waiter.promise.succeed(true) }
        case .failure(let error):
            // Nothing was written (or it cannot be told): no "." goes out for this group.
            for waiter in batch { waiter.promise.fail(error) }
        }
        // The "." lines are out; now the messages accepted since the last time, without waiting.
        let sent = accepted
        accepted = []
        if !sent.isEmpty {
            let loop = eventLoop
            recorder.recordSent(sent, at: clock()).whenFailure { _ in
                // They are recorded with the next group instead.
                loop.execute { self.accepted.append(contentsOf: sent) }
            }
        }
    }
}
