import Foundation

/// A press release as the public surfaces and the syndication encoders see it.
public struct Release: Hashable, Sendable {
    public var id: ReleaseID
    public var slug: Slug
    public var headline: String
    public var subheadline: String?
    public var timing: ReleaseTiming
    public var dateline: Dateline?
    /// The release date-time the issuer gave, and the zone it was given in.
    public var releasedAt: Date
    public var timeZone: TimeZone
    /// The body in Markdown (CommonMark with GitHub's extensions).
    public var body: String
    public var language: LanguageTag
    /// Where the original statement is available on the issuer's site.
    public var statementURL: URL?
    public var organization: Organization
    public var contacts: [MediaContact]
    public var topics: [Topic]
    public var status: ReleaseStatus
    /// When the wire first published it; `nil` while unpublished.
    public var publishedAt: Date?
    /// When it last changed on the wire (publication, correction, retraction).
    public var updatedAt: Date
    /// 1 when first published, one more for each correction (IPTC ninjs `version`).
    public var version: Int
    /// Corrections made since publication, oldest first.
    public var corrections: [Correction]
    /// Why the issuer withdrew the release, when it is retracted.
    public var retractionNote: String?
    /// Photos and documents, in the order the writer set.
    public var media: [ReleaseMedia] = []

    /// The lead image, if the writer chose one.
    public var leadImage: ReleaseMedia? { media.first { $0.isLead && $0.kind == .image } }

    public init(
        id: ReleaseID, slug: Slug, headline: String, subheadline: String? = nil, timing: ReleaseTiming = .immediate,
        dateline: Dateline? = nil, releasedAt: Date, timeZone: TimeZone = TimeZone(identifier: "UTC")!, body: String,
        language: LanguageTag = .english, statementURL: URL? = nil, organization: Organization,
        contacts: [MediaContact] = [], topics: [Topic] = [], status: ReleaseStatus = .draft,
        publishedAt: Date? = nil, updatedAt: Date, version: Int = 1, corrections: [Correction] = [], retractionNote: String? = nil
    ) {
        self.id = id
        self.slug = slug
        self.headline = headline
        self.subheadline = subheadline
        self.timing = timing
        self.dateline = dateline
        self.releasedAt = releasedAt
        self.timeZone = timeZone
        self.body = body
        self.language = language
        self.statementURL = statementURL
        self.organization = organization
        self.contacts = contacts
        self.topics = topics
        self.status = status
        self.publishedAt = publishedAt
        self.updatedAt = updatedAt
        self.version = version
        self.corrections = corrections
        self.retractionNote = retractionNote
    }

    /// Whether the issuer has withdrawn it: feeds and agency formats then carry a notice to disregard.
    public var isRetracted: Bool { status == .retracted }
}

/// A dated correction of a published release: what changed and why.
public struct Correction: Hashable, Sendable {
    /// When the corrected text replaced the earlier one.
    public var date: Date
    /// The note readers see, e.g. "An earlier version gave the wrong date for the vote."
    public var note: String
    /// The version the correction produced (2 for the first correction).
    public var version: Int

    public init(date: Date, note: String, version: Int) {
        self.date = date
        self.note = note
        self.version = version
    }
}
