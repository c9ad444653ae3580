import DatelineCore
import FluentKit
import Foundation

/// A media contact of an organization, in the `media_contacts` table.
final class MediaContactModel: Model, @unchecked Sendable {
    static let schema = "media_contacts"

    @ID(key: .id) var id: UUID?
    @Parent(key: "organization_id") var organization: OrganizationModel
    @Field(key: "name") var name: String
    @OptionalField(key: "title") var title: String?
    /// The contact's own organization when it is not the issuer (an agency, a partner).
    @OptionalField(key: "affiliation") var affiliation: String?
    @OptionalField(key: "email") var email: String?
    @OptionalField(key: "phone") var phone: String?

    init() {}

    init(organizationID: UUID, contact: MediaContact) {
        self.$organization.id = organizationID
        name = contact.name
        title = contact.title
        affiliation = contact.organization
        email = contact.email
        phone = contact.phone
    }

    var contact: MediaContact {
        MediaContact(name: name, title: title, organization: affiliation, email: email, phone: phone)
    }
}
