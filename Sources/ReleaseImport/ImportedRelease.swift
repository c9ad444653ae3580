import Foundation

/// The extraction of one press release, in the shape of the corpus SCHEMA.md
/// section "What an importer prints".
///
/// Every optional field is `nil` when the text does not give it; the importer never
/// invents a value from outside the text (no URL, no clock, no network).
public struct ImportedRelease: Codable, Sendable, Equatable {
    /// The release's title as printed, or `nil` when the stored page lost it.
    public var headline: String?
    /// The deck under the headline, or `nil` when there is none.
    public var subheadline: String?
    /// "For Immediate Release" or an embargo; `nil` when the text says neither.
    public var releaseTiming: ReleaseTimingKind?
    /// The instant an embargo lifts, resolved with the zone the text names
    /// (or the zone its language implies); `nil` unless embargoed.
    public var embargoUntil: Date?
    /// The dateline's place exactly as printed, e.g. "WASHINGTON" or "Köln".
    public var datelineCity: String?
    /// The release date as the text gives it, `YYYY-MM-DD`; `nil` when the text has none.
    public var date: String?
    /// BCP 47 language tag detected from the text itself (en, es, fr, de, fa, ar ...).
    public var language: String
    /// The organization that issued the release, when the text names it.
    public var issuer: String?
    /// Media contacts in the order the text lists them.
    public var contacts: [ImportedContact]
    /// Quotations with their speakers; `text` holds the whole quotation.
    public var quotes: [ImportedQuote]
    /// Body paragraphs, page clutter removed, ending before the boilerplate.
    public var body: [String]
    /// The organization's "About" paragraph(s), or `nil`.
    public var boilerplate: String?
    /// Where the original statement is published, when a link line gives a URL.
    public var statementURL: String?
    /// `true` when a "This statement is available at" line was present, even with its
    /// link stripped; not part of the JSON, so a caller can tell "no line" from "no URL".
    public var hasStatementLine: Bool
    /// Profiles named by "Follow X on Twitter" lines and similar.
    public var socialProfiles: [ImportedSocialProfile]
    /// What the importer decided about the lift time when it fell in a daylight-saving change
    /// (a time that happens twice, or never), as a sentence for the person importing; not part
    /// of the JSON (SCHEMA.md has no field for it), so `dateline import` prints it beside.
    public var embargoNote: String? = nil
    /// Whether the lift time rests on a guess: the embargo line names no time zone (read as UTC),
    /// or names a day without a year the reader could place (the release's own date was used).
    /// An import asked to publish keeps such a release a draft for a person to check; not part
    /// of the JSON, like ``embargoNote``, which says why.
    public var embargoUncertain = false
    /// How likely each field is right (the JSON's `confidence` object).
    public var confidence = FieldConfidence()
    /// The evidence behind each field, from which `confidence` is worked out.
    var trace = ExtractionTrace()

    /// Each field's evidence level, by JSON key (for fitting `ConfidenceTable`).
    public var evidenceLevels: [String: String] { trace.levels(of: self) }

    /// Works `confidence` out from the evidence the extraction recorded.
    mutating func assessConfidence() {
        confidence = FieldConfidence.assess(trace.levels(of: self))
    }

    /// Creates an extraction; every field defaults to "not found".
    public init(
        headline: String? = nil, subheadline: String? = nil,
        releaseTiming: ReleaseTimingKind? = nil, embargoUntil: Date? = nil,
        datelineCity: String? = nil, date: String? = nil, language: String = "und",
        issuer: String? = nil, contacts: [ImportedContact] = [], quotes: [ImportedQuote] = [],
        body: [String] = [], boilerplate: String? = nil, statementURL: String? = nil,
        hasStatementLine: Bool = false, socialProfiles: [ImportedSocialProfile] = []
    ) {
        self.headline = headline
        self.subheadline = subheadline
        self.releaseTiming = releaseTiming
        self.embargoUntil = embargoUntil
        self.datelineCity = datelineCity
        self.date = date
        self.language = language
        self.issuer = issuer
        self.contacts = contacts
        self.quotes = quotes
        self.body = body
        self.boilerplate = boilerplate
        self.statementURL = statementURL
        self.hasStatementLine = hasStatementLine
        self.socialProfiles = socialProfiles
    }

    enum CodingKeys: String, CodingKey {
        case headline, subheadline, date, language, issuer, contacts, quotes, body, boilerplate, confidence
        case releaseTiming = "release_timing"
        case embargoUntil = "embargo_until"
        case datelineCity = "dateline_city"
        case statementURL = "statement_url"
        case socialProfiles = "social_profiles"
    }

    /// Decodes the SCHEMA.md JSON; `embargo_until` must be ISO 8601 with an offset.
    /// `hasStatementLine` is not in the JSON, so it is inferred from `statement_url`.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        headline = try c.decodeIfPresent(String.self, forKey: .headline)
        subheadline = try c.decodeIfPresent(String.self, forKey: .subheadline)
        releaseTiming = try c.decodeIfPresent(ReleaseTimingKind.self, forKey: .releaseTiming)
        if let raw = try c.decodeIfPresent(String.self, forKey: .embargoUntil) {
            guard let instant = ISO8601.parse(raw) else {
                throw DecodingError.dataCorruptedError(
                    forKey: .embargoUntil, in: c,
                    debugDescription: "embargo_until must be ISO 8601 with an offset, e.g. 2021-04-01T18:00:00+02:00")
            }
            embargoUntil = instant
        } else {
            embargoUntil = nil
        }
        datelineCity = try c.decodeIfPresent(String.self, forKey: .datelineCity)
        date = try c.decodeIfPresent(String.self, forKey: .date)
        language = try c.decodeIfPresent(String.self, forKey: .language) ?? "und"
        issuer = try c.decodeIfPresent(String.self, forKey: .issuer)
        contacts = try c.decodeIfPresent([ImportedContact].self, forKey: .contacts) ?? []
        quotes = try c.decodeIfPresent([ImportedQuote].self, forKey: .quotes) ?? []
        body = try c.decodeIfPresent([String].self, forKey: .body) ?? []
        boilerplate = try c.decodeIfPresent(String.self, forKey: .boilerplate)
        statementURL = try c.decodeIfPresent(String.self, forKey: .statementURL)
        hasStatementLine = statementURL != nil
        socialProfiles = try c.decodeIfPresent([ImportedSocialProfile].self, forKey: .socialProfiles) ?? []
        confidence = try c.decodeIfPresent(FieldConfidence.self, forKey: .confidence) ?? FieldConfidence()
    }

    /// Encodes every key, writing `null` for missing values, because SCHEMA.md promises
    /// consumers that all keys are present.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(headline, forKey: .headline)
        try c.encode(subheadline, forKey: .subheadline)
        try c.encode(releaseTiming, forKey: .releaseTiming)
        try c.encode(embargoUntil.map(ISO8601.format), forKey: .embargoUntil)
        try c.encode(datelineCity, forKey: .datelineCity)
        try c.encode(date, forKey: .date)
        try c.encode(language, forKey: .language)
        try c.encode(issuer, forKey: .issuer)
        try c.encode(contacts, forKey: .contacts)
        try c.encode(quotes, forKey: .quotes)
        try c.encode(body, forKey: .body)
        try c.encode(boilerplate, forKey: .boilerplate)
        try c.encode(statementURL, forKey: .statementURL)
        try c.encode(socialProfiles, forKey: .socialProfiles)
        try c.encode(confidence, forKey: .confidence)
    }
}

/// Whether a release may be published at once or only after an embargo lifts.
/// JSON values: `"immediate"`, `"embargoed"`.
public enum ReleaseTimingKind: String, Codable, Sendable {
    /// "For Immediate Release".
    case immediate
    /// "Embargoed until ..." / "Sperrfrist ...".
    case embargoed
}

/// A media contact: JSON `{name, title, organization, email, phone}`.
public struct ImportedContact: Codable, Sendable, Equatable {
    /// The person's name; `nil` for an office or shared mailbox.
    public var name: String?
    /// The person's job title when printed apart from the organization.
    public var title: String?
    /// The organization or office the contact speaks for.
    public var organization: String?
    /// A usable address; obfuscated or truncated ones ("[email protected]", "pre...@x.de") are dropped.
    public var email: String?
    /// The phone number as printed (one number; slash-joined extensions are split).
    public var phone: String?

    /// Creates a contact.
    public init(name: String? = nil, title: String? = nil, organization: String? = nil,
                email: String? = nil, phone: String? = nil) {
        self.name = name
        self.title = title
        self.organization = organization
        self.email = email
        self.phone = phone
    }

    enum CodingKeys: String, CodingKey { case name, title, organization, email, phone }

    /// Encodes every key, `null` when missing.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(name, forKey: .name)
        try c.encode(title, forKey: .title)
        try c.encode(organization, forKey: .organization)
        try c.encode(email, forKey: .email)
        try c.encode(phone, forKey: .phone)
    }
}

/// A quotation: JSON `{speaker, role, text}`.
public struct ImportedQuote: Codable, Sendable, Equatable {
    /// The person (or, for unattributed statements, the organization) quoted.
    public var speaker: String?
    /// The speaker's title as the text gives it.
    public var role: String?
    /// The whole quotation, without the attribution; paragraphs joined by a blank line.
    public var text: String

    /// Creates a quotation.
    public init(speaker: String?, role: String?, text: String) {
        self.speaker = speaker
        self.role = role
        self.text = text
    }

    enum CodingKeys: String, CodingKey { case speaker, role, text }

    /// Encodes every key, `null` when missing.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(speaker, forKey: .speaker)
        try c.encode(role, forKey: .role)
        try c.encode(text, forKey: .text)
    }
}

/// A social-media profile of the issuer: JSON `{network, handle_or_url}`.
public struct ImportedSocialProfile: Codable, Sendable, Equatable {
    /// Lower-case network name, e.g. "twitter".
    public var network: String
    /// "@handle", a URL, or the account's display name as the line gives it.
    public var handleOrURL: String

    /// Creates a profile.
    public init(network: String, handleOrURL: String) {
        self.network = network
        self.handleOrURL = handleOrURL
    }

    enum CodingKeys: String, CodingKey {
        case network
        case handleOrURL = "handle_or_url"
    }
}

extension ImportedRelease {
    /// Names (JSON keys) of fields a stored release needs that this extraction lacks,
    /// e.g. `["headline"]`; empty when the release can be stored as it is.
    public var missingRequiredFields: [String] {
        var missing: [String] = []
        if Self.isBlank(headline ?? "") {
            missing.append("headline")
        }
        return missing
    }

    /// `text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty`, scalar by scalar:
    /// Foundation's trimming was a visible share of the run for this one field per release.
    /// Its set is `String.isSpaceOrNewline` plus U+200B ZERO WIDTH SPACE, which CoreFoundation
    /// counts as white space (the tests compare every scalar).
    static func isBlank(_ text: String) -> Bool {
        text.unicodeScalars.allSatisfy { String.isSpaceOrNewline($0) || $0.value == 0x200B }
    }
}

/// ISO 8601 with an explicit offset, the form SCHEMA.md gives for `embargo_until`.
enum ISO8601 {
    static func format(_ date: Date) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        f.timeZone = TimeZone(identifier: "UTC")
        return f.string(from: date)
    }

    static func parse(_ text: String) -> Date? {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        if let d = f.date(from: text) { return d }
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return f.date(from: text)
    }
}
