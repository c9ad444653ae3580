import FluentKit
import Foundation
import SQLKit

/// What a refusal from the SMTP server says about a subscriber's address, and stopping mail to
/// addresses that are dead.
///
/// - A **hard bounce** (a 5yz reply for the recipient, RFC 5321 §4.2.1) marks the subscriber
///   `bounced` at once: the mailbox does not exist or takes no mail. A 5yz reply whose enhanced
///   status code (RFC 3463) blames the message or a policy rather than the mailbox
///   (`5.3.x` system, `5.6.x` content, `5.7.x` security or policy) says nothing about the address,
///   and counts as a soft bounce instead.
/// - A **soft bounce** (a 4yz reply, such as a full mailbox) is counted at most once per
///   ``softBounceSpacing``, so the outbox's retries of one message count once; after
///   ``softBouncesToStop`` counted ones (so across at least two spacings, some 40 hours) the subscriber is marked
///   `bounced`. A message delivered to the address since the last counted soft bounce starts
///   the count afresh.
///
/// Only `confirmed` and `pending` subscribers are marked; alerts and digests go to `confirmed`
/// ones only, so a bounced address gets nothing more until its owner signs up and confirms again.
enum Bounces {
    /// Counted soft bounces that stop mail to an address.
    static let softBouncesToStop = 3
    /// Soft bounces closer together than this count once (seconds).
    static let softBounceSpacing: TimeInterval = 20 * 3600

    /// How a refusal reads.
    enum Kind: Equatable {
        case hard, soft
    }

    /// Classifies a refusal by its reply text (code, then the enhanced status code right after
    /// it, if any: `550 5.1.1 …`).
    /// - Parameter permanent: whether the reply was 5yz.
    static func kind(ofReply reply: String, permanent: Bool) -> Kind {
        guard permanent else { return .soft }
        let text = reply.split(separator: "→ ", maxSplits: 1).last.map(String.init) ?? reply
        if let enhanced = text.firstMatch(of: /^\s*5\d\d[ -]5\.(\d{1,3})\.\d{1,3}\b/), let subject = Int(enhanced.1), [3, 6, 7].contains(subject) {
            return .soft
        }
        return .hard
    }

    /// Whether a refusal says anything about the recipient's address: only a refused
    /// `RCPT TO` does (RFC 5321 §3.3). A refused `MAIL FROM`, `DATA` or message, or a failed
    /// `AUTH`, is the sender's or the relay's trouble (an unverified sender, a rate limit, a
    /// content rule) and must not stop mail to anyone. `reply` is ``SMTPError``'s text,
    /// "COMMAND → CODE …".
    static func isAboutTheRecipient(_ reply: String) -> Bool {
        reply.hasPrefix("RCPT TO →") || reply.hasPrefix("RCPT TO ")
    }

    /// Records a refusal of mail to `subscriberID`.
    /// - Returns: whether the subscriber is now `bounced` because of it.
    @discardableResult
    static func record(subscriberID: UUID, reply: String, permanent: Bool, at now: Date, hub: DatabaseHub) async throws -> Bool {
        let reason = String(reply.prefix(500))
        switch kind(ofReply: reply, permanent: permanent) {
        case .hard:
            return try await hub.writeSQL { sql in
                try await !sql.update(SubscriberModel.schema)
                    .set("status", to: SubscriberStatus.bounced.rawValue)
                    .set("bounced_at", to: now)
                    .set("bounce_reason", to: reason)
                    .where("id", .equal, subscriberID)
                    .where("status", .in, [SubscriberStatus.confirmed.rawValue, SubscriberStatus.pending.rawValue])
                    .returning("id")
                    .all()
                    .isEmpty
            }
        case .soft:
            return try await hub.write { database in
                guard let subscriber = try await SubscriberModel.find(subscriberID, on: database),
                      [.confirmed, .pending].contains(subscriber.subscriberStatus)
                else { return false }
                var count = subscriber.softBounces
                if let last = subscriber.lastSoftBounceAt {
                    guard now.timeIntervalSince(last) >= softBounceSpacing else { return false }
                    if try await deliveredSince(last, to: subscriberID, on: database) { count = 0 }
                } else {
                    count = 0
                }
                count += 1
                subscriber.softBounces = count
                subscriber.lastSoftBounceAt = now
                if count >= softBouncesToStop {
                    subscriber.status = SubscriberStatus.bounced.rawValue
                    subscriber.bouncedAt = now
                    subscriber.bounceReason = reason
                }
                try await subscriber.save(on: database)
                return count >= softBouncesToStop
            }
        }
    }

    /// Whether a message to the subscriber was accepted after `instant`.
    private static func deliveredSince(_ instant: Date, to subscriberID: UUID, on database: any Database) async throws -> Bool {
        guard let sql = database as? any SQLDatabase else { return false }
        return try await sql.raw("""
            SELECT 1 AS found FROM outbox WHERE subscriber_id = \(bind: subscriberID) AND state = 'sent' AND sent_at > \(bind: instant) LIMIT 1
            """).first() != nil
    }

    /// The most recently bounced addresses, newest first, at most `limit`, and how many there are in all.
    static func recent(limit: Int, on database: any Database) async throws -> (subscribers: [SubscriberModel], total: Int) {
        let query = SubscriberModel.query(on: database).filter(\.$status == SubscriberStatus.bounced.rawValue)
        let total = try await query.copy().count()
        let subscribers = try await query.sort(\.$bouncedAt, .descending).limit(limit).all()
        return (subscribers, total)
    }
}
