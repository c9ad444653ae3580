import DatelineCore
import FluentKit
import Foundation

/// An issuing organization as stored in the `organizations` table.
final class OrganizationModel: Model, @unchecked Sendable {
    static let schema = "organizations"

    @ID(key: .id) var id: UUID?
    @Field(key: "name") var name: String
    @Field(key: "slug") var slug: String
    /// The "About" paragraph, Markdown.
    @OptionalField(key: "boilerplate") var boilerplate: String?
    @OptionalField(key: "website") var website: String?
    /// Social profiles, each a URL or a handle.
    @OptionalField(key: "mastodon") var mastodon: String?
    @OptionalField(key: "bluesky") var bluesky: String?
    @OptionalField(key: "x") var x: String?
    @OptionalField(key: "facebook") var facebook: String?
    @OptionalField(key: "linkedin") var linkedin: String?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    @Children(for: \.$organization) var contacts: [MediaContactModel]

    init() {}

    init(name: String, slug: Slug) {
        self.name = name
        self.slug = slug.rawValue
    }

    /// Reads and writes the profile columns by network.
    subscript(network: SocialNetwork) -> String? {
        get {
            switch network {
            case .mastodon: mastodon
            case .bluesky: bluesky
            case .x: x
            case .facebook: facebook
            case .linkedin: linkedin
            }
        }
        set {
            switch network {
            case .mastodon: mastodon = newValue
            case .bluesky: bluesky = newValue
            case .x: x = newValue
            case .facebook: facebook = newValue
            case .linkedin: linkedin = newValue
            }
        }
    }

    /// The domain value; the slug column is written only through `Slug`, so it always validates.
    var organization: Organization {
        Organization(
            name: name,
            slug: Slug(validating: slug) ?? Slug(making: name) ?? Slug(making: "organization")!,
            boilerplate: boilerplate,
            website: website.flatMap(URL.init(string:)),
            socialProfiles: SocialNetwork.allCases.compactMap { network in
                self[network].map { SocialProfile(network: network, handleOrURL: $0) }
            }
        )
    }
}
