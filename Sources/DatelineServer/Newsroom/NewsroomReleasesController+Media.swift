import DatelineCore
import FluentKit
import Foundation
import Hummingbird

/// A release's photos and documents in the newsroom: upload through a plain multipart form
/// (RFC 7578), describe, reorder, choose the lead image, remove, and see each rendition in the
/// preview. The release is found through ``NewsroomAccess`` first, so another organization's
/// member gets 404 on every route; changes are allowed in the release's editable statuses
/// (draft and returned; submitted for editors). A refused file (``MediaError``) shows the
/// release's page with the reason (400), and nothing is stored.
extension NewsroomReleasesController {
    func addMediaRoutes(to group: RouterGroup<DatelineRequestContext>) {
        group.post(NewsroomURL.Pattern.attachments, use: attach)
        group.get(NewsroomURL.Pattern.releaseMedia, use: mediaFile)
        group.post(NewsroomURL.Pattern.describeAttachment, use: describeAttachment)
        group.post(NewsroomURL.Pattern.moveAttachment, use: moveAttachment)
        group.post(NewsroomURL.Pattern.leadAttachment, use: leadAttachment)
        group.post(NewsroomURL.Pattern.removeAttachment, use: removeAttachment)
    }

    var media: MediaStore { MediaStore(hub: hub, settings: settings, clock: clock) }

    /// The upload form: the file, its alt text, caption and credit (empty ones are taken from
    /// the file's own IPTC/XMP/EXIF fields), and whether it is the lead image ("on" when ticked).
    struct AttachmentForm: Decodable, Sendable {
        var file: UploadedFile?
        var alt: String?
        var caption: String?
        var credit: String?
        var lead: String?
    }

    /// The text of one attachment.
    struct DescribeForm: Decodable, Sendable {
        var alt: String?
        var caption: String?
        var credit: String?
    }

    /// `up` or `down`.
    struct MoveForm: Decodable, Sendable {
        var direction: String?
    }

    /// Uploads a file to the release: 303 back to its page, or the page with the reason (400).
    @Sendable func attach(request: Request, context: DatelineRequestContext) async throws -> Response {
        try await changeMedia(request, context, form: AttachmentForm.self) { release, form in
            guard let file = form.file, !file.data.isEmpty else { throw MediaError.empty }
            let upload = MediaStore.Upload(
                fileName: file.fileName, data: file.data, alt: form.alt,
                caption: Self.filled(form.caption), credit: Self.filled(form.credit), isLead: form.lead != nil
            )
            try await media.attach(upload, toRelease: try release.requireID())
        }
    }

    /// A rendition of a release the user may see, for the preview: never cached, never public.
    @Sendable func mediaFile(request: Request, context: DatelineRequestContext) async throws -> Response {
        let identity = try context.signedIn()
        let access = NewsroomAccess(user: identity.user, database: try hub.database)
        let release = try await release(context, access: access)
        guard let name = context.parameters.get("file"),
              let file = try await MediaFile.find(name, ofRelease: try release.requireID(), on: try hub.database)
        else { throw HTTPError(.notFound) }
        return MediaResponse.make(file, request: request, cacheControl: "private, no-store", database: try hub.database)
    }

    @Sendable func describeAttachment(request: Request, context: DatelineRequestContext) async throws -> Response {
        try await changeMedia(request, context, form: DescribeForm.self) { release, form in
            try await media.describe(try Self.mediaID(context), ofRelease: try release.requireID(), alt: form.alt ?? "", caption: form.caption, credit: form.credit)
        }
    }

    @Sendable func moveAttachment(request: Request, context: DatelineRequestContext) async throws -> Response {
        try await changeMedia(request, context, form: MoveForm.self) { release, form in
            try await media.move(try Self.mediaID(context), ofRelease: try release.requireID(), by: form.direction == "up" ? -1 : 1)
        }
    }

    @Sendable func leadAttachment(request: Request, context: DatelineRequestContext) async throws -> Response {
        try await changeMedia(request, context, form: EmptyForm.self) { release, _ in
            try await media.setLead(try Self.mediaID(context), ofRelease: try release.requireID())
        }
    }

    @Sendable func removeAttachment(request: Request, context: DatelineRequestContext) async throws -> Response {
        try await changeMedia(request, context, form: EmptyForm.self) { release, _ in
            try await media.remove(try Self.mediaID(context), ofRelease: try release.requireID())
        }
    }

    /// Runs a change to the route's release's attachments: 303 back to the release's page, or
    /// the page with the ``MediaError``'s message (400; 409 when the release's status does not
    /// allow changes). The release is looked up before the body is read, so a release the user
    /// may not touch answers 404 before its upload is decoded or processed.
    func changeMedia<Form: Decodable & Sendable>(
        _ request: Request, _ context: DatelineRequestContext, form formType: Form.Type,
        _ body: @escaping @Sendable (ReleaseModel, Form) async throws -> Void
    ) async throws -> Response {
        let identity = try context.signedIn()
        let access = NewsroomAccess(user: identity.user, database: try hub.database)
        let release = try await release(context, access: access)
        let form = try await request.decode(as: formType, context: context)
        let status = release.releaseStatus
        guard [.draft, .returned].contains(status) || (access.isEditor && status == .submitted) else {
            return try await editPage(release, access: access, identity: identity, error: MediaError.notEditable(status: status.rawValue).description, status: .conflict)
        }
        do {
            try await body(release, form)
        } catch let error as MediaError {
            let fresh = try await access.release(try release.requireID()) ?? release
            return try await editPage(fresh, access: access, identity: identity, error: error.description, upload: form as? AttachmentForm, status: .badRequest)
        }
        return NewsroomPages.redirect(to: .release(id: try release.requireID()))
    }

    /// The route's `:media`, when it is a media id; otherwise no attachment can have it.
    static func mediaID(_ context: DatelineRequestContext) throws -> String {
        guard let text = context.parameters.get("media"), let id = MediaID(text) else { throw MediaError.notFound }
        return id.rawValue
    }

    /// A typed field, or nil when left empty (so the file's own metadata fills it).
    static func filled(_ text: String?) -> String? {
        guard let text = text?.trimmingCharacters(in: .whitespacesAndNewlines), !text.isEmpty else { return nil }
        return text
    }
}
