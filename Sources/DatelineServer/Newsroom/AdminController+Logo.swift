import DatelineCore
import Foundation
import Hummingbird

/// An organization's logo, set by an admin through a multipart form (RFC 7578) on the
/// organization's page: an image, checked and processed as any attachment, replacing the one
/// before. Logos are public from the start (``SiteURL/media(_:)``).
extension AdminController {
    /// The logo form: the image file alone (its alt text is the organization's name).
    struct LogoForm: Decodable, Sendable {
        var file: UploadedFile?
    }

    /// Sets the logo: 303 back to the organization's page, or the page with the reason (400)
    /// and nothing stored.
    @Sendable func setLogo(request: Request, context: DatelineRequestContext) async throws -> Response {
        let identity = try context.signedIn()
        let organization = try await findOrganization(context)
        let form = try await request.decode(as: LogoForm.self, context: context)
        do {
            guard let file = form.file, !file.data.isEmpty else { throw MediaError.empty }
            let upload = MediaStore.Upload(fileName: file.fileName, data: file.data, alt: "\(organization.name) logo")
            try await MediaStore(hub: hub, settings: settings, clock: clock).setLogo(upload, of: try organization.requireID())
        } catch let error as MediaError {
            return try await organizationPage(organization, identity: identity, error: error.description, status: .badRequest)
        }
        return NewsroomPages.redirect(to: .organization(slug: organization.slug))
    }
}
