import DatelineCore
import FluentKit
import Foundation

/// A release in the `releases` table. Its primary key is a ``ReleaseID``: 128 random bits,
/// so that no unpublished release can be found by counting.
final class ReleaseModel: Model, @unchecked Sendable {
    static let schema = "releases"

    @ID(custom: "id", generatedBy: .user) var id: String?
    @Field(key: "slug") var slug: String
    @Field(key: "headline") var headline: String
    @OptionalField(key: "subheadline") var subheadline: String?
    /// `immediate` or `embargoed`.
    @Field(key: "timing") var timing: String
    @OptionalField(key: "embargo_until") var embargoUntil: Date?
    @OptionalField(key: "dateline_city") var datelineCity: String?
    @OptionalField(key: "dateline_region") var datelineRegion: String?
    @Field(key: "released_at") var releasedAt: Date
    /// IANA zone identifier the release date-time was given in.
    @Field(key: "time_zone") var timeZone: String
    /// Markdown.
    @Field(key: "body") var body: String
    /// BCP 47.
    @Field(key: "language") var language: String
    @OptionalField(key: "statement_url") var statementURL: String?
    @Parent(key: "organization_id") var organization: OrganizationModel
    @Field(key: "status") var status: String
    /// 1 when first published, +1 for each correction.
    @Field(key: "version") var version: Int
    @OptionalField(key: "published_at") var publishedAt: Date?
    /// When a `scheduled` release is to be published.
    @OptionalField(key: "scheduled_at") var scheduledAt: Date?
    @OptionalField(key: "retraction_note") var retractionNote: String?
    /// Profile and contact details read from this release, held until it is public
    /// (JSON of ``LearnedProfile``; null once applied).
    @OptionalField(key: "learned_profile") var learnedProfile: String?
    /// Earlier versions, one per correction.
    @Children(for: \.$release) var versions: [ReleaseVersionModel]
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    @Siblings(through: ReleaseContactModel.self, from: \.$release, to: \.$contact) var contacts: [MediaContactModel]
    @Siblings(through: ReleaseTopicModel.self, from: \.$release, to: \.$topic) var topics: [TopicModel]

    init() {}

    var releaseStatus: ReleaseStatus { ReleaseStatus(rawValue: status) ?? .draft }

    var releaseTiming: ReleaseTiming {
        if timing == "embargoed", let embargoUntil { return .embargoed(until: embargoUntil) }
        return .immediate
    }

    func setTiming(_ timing: ReleaseTiming) {
        switch timing {
        case .immediate:
            self.timing = "immediate"
            embargoUntil = nil
        case .embargoed(let until):
            self.timing = "embargoed"
            embargoUntil = until
        }
    }

    /// The domain value. Needs `organization`, `contacts` and `topics` eager-loaded; corrections
    /// are included when `versions` is.
    var release: Release {
        Release(
            id: ReleaseID(id ?? "") ?? ReleaseID(),
            slug: Slug(validating: slug) ?? Slug(making: headline) ?? Slug(making: "release")!,
            headline: headline,
            subheadline: subheadline,
            timing: releaseTiming,
            dateline: datelineCity.map { Dateline(city: $0, region: datelineRegion) },
            releasedAt: releasedAt,
            timeZone: TimeZone(identifier: timeZone) ?? TimeZone(identifier: "UTC")!,
            body: body,
            language: LanguageTag(language) ?? .english,
            statementURL: statementURL.flatMap(URL.init(string:)),
            organization: organization.organization,
            contacts: $contacts.value?.map(\.contact) ?? [],
            topics: ($topics.value ?? []).map(\.topic).sorted { $0.name < $1.name },
            status: releaseStatus,
            publishedAt: publishedAt,
            updatedAt: updatedAt ?? publishedAt ?? releasedAt,
            version: version,
            corrections: ($versions.value ?? []).sorted { $0.version < $1.version }.map {
                Correction(date: $0.correctedAt, note: $0.correctionNote, version: $0.version + 1)
            },
            retractionNote: retractionNote
        )
    }
}

/// Links a release to a media contact (`release_contacts`).
final class ReleaseContactModel: Model, @unchecked Sendable {
    static let schema = "release_contacts"

    @ID(key: .id) var id: UUID?
    @Parent(key: "release_id") var release: ReleaseModel
    @Parent(key: "contact_id") var contact: MediaContactModel

    init() {}
}

/// Files a release under a topic (`release_topics`).
final class ReleaseTopicModel: Model, @unchecked Sendable {
    static let schema = "release_topics"

    @ID(key: .id) var id: UUID?
    @Parent(key: "release_id") var release: ReleaseModel
    @Parent(key: "topic_id") var topic: TopicModel

    init() {}
}
