import Foundation

/// What a person adds to an import that the release's text cannot say.
public struct ImportOptions: Sendable {
    /// Publish at once (or, for a release embargoed until a future instant, hold it until its lift time).
    public var publish: Bool
    /// The issuing organization's name, when the text does not give it or gives it wrongly.
    public var organizationName: String?
    /// Topic names to file the release under; created when new.
    public var topics: [String]
    /// Profile details for the organization, applied where its record has none yet.
    public var organizationWebsite: String?
    public var organizationProfiles: [String: String]
    /// The organization to file the release under, by id, when the caller already knows it (the
    /// newsroom): no organization is looked up by name, and no profile field is filled in.
    public var organizationID: UUID?
    /// Who imports, for the release's history: a user's email, or `cli:import`.
    public var actor: String
    /// Contacts the text names who are not yet the organization's are offered on the draft
    /// (``LearnedProfile/offered``) instead of being saved (the newsroom's paste).
    public var offerContacts = false

    public init(publish: Bool = false, organizationName: String? = nil, topics: [String] = [], organizationWebsite: String? = nil, organizationProfiles: [String: String] = [:], organizationID: UUID? = nil, actor: String = "cli:import") {
        self.organizationID = organizationID
        self.actor = actor
        self.publish = publish
        self.organizationName = organizationName
        self.topics = topics
        self.organizationWebsite = organizationWebsite
        self.organizationProfiles = organizationProfiles
    }
}

/// The outcome of importing one release.
public enum ImportOutcome: Sendable, Equatable {
    /// Stored, with its id, slug and status.
    case imported(id: String, slug: String, status: String)
    /// Not stored, for the reason given (already on the wire, for example).
    case skipped(reason: String)
}

/// Why a release could not be stored; the description says what to do.
public enum ReleaseStoreError: Error, CustomStringConvertible, Equatable {
    case missingField(String)
    case noIssuer

    public var description: String {
        switch self {
        case .missingField(let field):
            "no \(field) was found in the text; add it to the text (a \(field) line) and import again"
        case .noIssuer:
            "no issuing organization was found in the text; pass --organization \"Name\" to say who issued it"
        }
    }
}
