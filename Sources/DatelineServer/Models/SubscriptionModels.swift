import FluentKit
import Foundation

/// A reader's email subscription in the `subscribers` table.
final class SubscriberModel: Model, @unchecked Sendable {
    static let schema = "subscribers"

    @ID(key: .id) var id: UUID?
    /// Canonical form, see ``MailAddress/validate(_:)``.
    @Field(key: "email") var email: String
    /// A ``SubscriberStatus`` raw value.
    @Field(key: "status") var status: String
    /// A ``DeliveryCadence`` raw value.
    @Field(key: "cadence") var cadence: String
    /// Follows every release; otherwise only the organizations and topics in `follows`.
    /// Languages in `follows` narrow either choice.
    @Field(key: "everything") var everything: Bool
    @Children(for: \.$subscriber) var follows: [SubscriberFollowModel]
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @OptionalField(key: "confirmed_at") var confirmedAt: Date?
    @OptionalField(key: "unsubscribed_at") var unsubscribedAt: Date?
    /// Temporary refusals counted towards `bounced` (at most one a day), see ``Bounces``.
    @Field(key: "soft_bounces") var softBounces: Int
    @OptionalField(key: "last_soft_bounce_at") var lastSoftBounceAt: Date?
    /// When the address was found dead, and the server's reply that said so.
    @OptionalField(key: "bounced_at") var bouncedAt: Date?
    @OptionalField(key: "bounce_reason") var bounceReason: String?

    init() {}

    init(email: String) {
        self.email = email
        status = SubscriberStatus.pending.rawValue
        cadence = DeliveryCadence.daily.rawValue
        everything = true
        softBounces = 0
    }

    var subscriberStatus: SubscriberStatus { SubscriberStatus(rawValue: status) ?? .pending }
}

/// Where a subscription stands. Mail other than the confirmation goes only to `confirmed`.
enum SubscriberStatus: String, Sendable {
    /// Signed up, confirmation not yet clicked.
    case pending
    case confirmed
    case unsubscribed
    /// The address refused mail for good (a hard bounce, or soft ones over several days): nothing
    /// more is sent to it until the person signs up and confirms again.
    case bounced
}

/// How often a subscriber hears from the site.
enum DeliveryCadence: String, Sendable, CaseIterable {
    /// One alert per release, when it is published.
    case instant
    /// One digest a day of the day's releases.
    case daily
}

/// One thing a subscriber follows: an organization or topic (by slug), or a language (BCP 47).
final class SubscriberFollowModel: Model, @unchecked Sendable {
    static let schema = "subscriber_follows"

    @ID(key: .id) var id: UUID?
    @Parent(key: "subscriber_id") var subscriber: SubscriberModel
    /// A ``FollowKind`` raw value.
    @Field(key: "kind") var kind: String
    @Field(key: "value") var value: String

    init() {}

    init(subscriberID: UUID, kind: FollowKind, value: String) {
        $subscriber.id = subscriberID
        self.kind = kind.rawValue
        self.value = value
    }
}

enum FollowKind: String, Sendable {
    case organization, topic, language
}

/// A sign-up request, kept for throttling (per address and per client address).
final class SubscriptionAttemptModel: Model, @unchecked Sendable {
    static let schema = "subscription_attempts"

    @ID(key: .id) var id: UUID?
    @Field(key: "email") var email: String
    @Field(key: "client") var client: String
    @Field(key: "created_at") var createdAt: Date

    init() {}

    init(email: String, client: String, at date: Date) {
        self.email = email
        self.client = client
        createdAt = date
    }
}

/// One run of the daily digest: the window of publication times it covers.
final class DigestRunModel: Model, @unchecked Sendable {
    static let schema = "digest_runs"

    @ID(key: .id) var id: UUID?
    /// The instant the run was due; unique, so that two processes cannot both run it.
    @Field(key: "scheduled_for") var scheduledFor: Date
    @Field(key: "window_start") var windowStart: Date
    @Field(key: "window_end") var windowEnd: Date
    @Field(key: "created_at") var createdAt: Date

    init() {}
}

/// A site-wide setting kept in the database: the subscription token key, the support appeal.
final class SiteSettingModel: Model, @unchecked Sendable {
    static let schema = "site_settings"

    @ID(custom: "key", generatedBy: .user) var id: String?
    @Field(key: "value") var value: String

    init() {}

    init(key: String, value: String) {
        id = key
        self.value = value
    }
}
