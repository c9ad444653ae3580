import Foundation

/// An organization that issues releases: an NGO, union, company or agency.
public struct Organization: Hashable, Sendable {
    public var name: String
    public var slug: Slug
    /// The "About" paragraph printed at the end of each of its releases, in Markdown.
    public var boilerplate: String?
    public var website: URL?
    public var socialProfiles: [SocialProfile]

    public init(name: String, slug: Slug, boilerplate: String? = nil, website: URL? = nil, socialProfiles: [SocialProfile] = []) {
        self.name = name
        self.slug = slug
        self.boilerplate = boilerplate
        self.website = website
        self.socialProfiles = socialProfiles
    }
}

/// A person journalists can call or write to about a release.
public struct MediaContact: Hashable, Sendable {
    public var name: String
    public var title: String?
    /// The contact's organization when it differs from the issuer (an agency, a coalition partner).
    public var organization: String?
    public var email: String?
    public var phone: String?

    public init(name: String, title: String? = nil, organization: String? = nil, email: String? = nil, phone: String? = nil) {
        self.name = name
        self.title = title
        self.organization = organization
        self.email = email
        self.phone = phone
    }
}

/// A subject releases are filed under, such as "Human rights" or "Climate".
public struct Topic: Hashable, Sendable {
    public var name: String
    public var slug: Slug

    public init(name: String, slug: Slug) {
        self.name = name
        self.slug = slug
    }
}
