import Foundation
import NIOCore

/// The group commit of the outbox's `sending` marks for the connections of one event loop.
///
/// A message's final "." may go out only after its row is recorded as `sending` (see
/// ``Outbox``); a worker killed between the two loses the message, so that moment must be as
/// short as can be. Each connection that has handed over a message's text asks the gate to
/// pass. The gate collects the connections that arrive while the loop works through its
/// current events and records all of them in one statement through its ``SendingRecorder``;
/// the moment the database's answer reaches this loop, the loop writes every "." of the group.
/// On SQLite the loop waits for the statement right there, holding still, and is woken by the
/// thread that committed it; on PostgreSQL the recorder's socket is served by this same loop.
/// (Handled in its turn behind other work on a loop of the database's group instead, the answer
/// came late enough that a kill fell in between in half of the crash test's runs on a loaded
/// machine.) After each group, the messages the server has accepted since the last one are
/// recorded as `sent`, without waiting.
///
/// The loop must therefore serve nothing but the outbox's connections (see
/// ``OutboxDeliverer/deliveryLoop``).
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
    /// A group's statement is under way (PostgreSQL); arrivals wait for the next group.
    private var committing = false
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
        if !scheduled && !committing {
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
        guard !waiting.isEmpty else { return }
        committing = true
        let batch = waiting
        waiting = []
        // On SQLite the answer is already there and this runs at once; on PostgreSQL it runs
        // when this loop reads the answer from the recorder's socket.
        recorder.record(sending: batch.map(\.id), on: eventLoop).whenComplete { result in
            switch result {
            case .success:
                for waiter in batch { waiter.promise.succeed(true) }
            case .failure(let error):
                // Nothing was written (or it cannot be told): no "." goes out for this group.
                for waiter in batch { waiter.promise.fail(error) }
            }
            self.committing = false
            self.recordAccepted()
            if !self.waiting.isEmpty { self.commit() }
        }
    }

    /// The messages accepted since the last time, recorded `sent` without waiting.
    private func recordAccepted() {
        let sent = accepted
        accepted = []
        guard !sent.isEmpty else { return }
        let loop = eventLoop
        recorder.recordSent(sent, at: clock()).whenFailure { _ in
            // They are recorded with the next group instead.
            loop.execute { self.accepted.append(contentsOf: sent) }
        }
    }
}
