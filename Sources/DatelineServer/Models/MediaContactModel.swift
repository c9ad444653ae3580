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

    /// The organization's contact with this name, if it has one.
    static func named(_ name: String, organizationID: UUID, on database: any Database) async throws -> MediaContactModel? {
        try await query(on: database).filter(\.$organization.$id == organizationID).filter(\.$name == name).first()
    }

    /// The organization's contact with this name, created with its name only when it has none.
    static func findOrCreate(named name: String, organizationID: UUID, on database: any Database) async throws -> MediaContactModel {
        if let existing = try await named(name, organizationID: organizationID, on: database) { return existing }
        let model = MediaContactModel(organizationID: organizationID, contact: MediaContact(name: name))
        try await model.create(on: database)
        return model
    }

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
