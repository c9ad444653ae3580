import DatelineCore
@testable import DatelineServer
import FluentKit
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// Attachments in the newsroom, through the real forms: a member uploads a photo and a PDF with
/// the multipart form, sees them listed and in the preview, reorders, chooses the lead image,
/// edits the alt text, removes; refused files store nothing; another organization's member finds
/// none of the routes; a release whose image has no alt text is not submitted or approved; an
/// admin sets an organization's logo.
@Suite("Newsroom media")
struct NewsroomMediaTests {
    /// Rivers Trust with Ann, Forest Fund with Bo, an editor, and an admin.
    func withNewsroom(_ test: @escaping @Sendable (any TestClientProtocol, DatabaseHub, TestClock) async throws -> Void) async throws {
        let clock = TestClock()
        try await TestDatabase.withFresh { location in
            let hub = try DatabaseHub(location: location, logger: quietLogger)
            try await hub.migrate()
            for name in ["Rivers Trust", "Forest Fund"] {
                let organization = OrganizationModel(name: name, slug: Slug(making: name)!)
                try await hub.write { try await organization.create(on: $0) }
            }
            let accounts = Accounts(hub: hub, bcryptCost: 4)
            try await accounts.createUser(email: "a@rivers.example", name: "Ann", role: .member, password: "correct horse battery", organizations: ["rivers-trust"])
            try await accounts.createUser(email: "b@forest.example", name: "Bo", role: .member, password: "correct horse battery", organizations: ["forest-fund"])
            try await accounts.createUser(email: "ed@wire.example", name: "Ed", role: .editor, password: "correct horse battery")
            try await accounts.createUser(email: "admin@wire.example", name: "Ada", role: .admin, password: "correct horse battery")
            let app = try await buildApplication(settings: testSettings(location), runJobs: false, logger: quietLogger, clock: { clock.now })
            do {
                try await app.test(.router) { client in try await test(client, hub, clock) }
                await hub.shutdown()
            } catch {
                await hub.shutdown()
                throw error
            }
        }
    }

    /// A file part of a multipart form.
    struct FilePart {
        var fileName: String
        var contentType: String
        var data: Data
    }

    /// Posts a `multipart/form-data` form (RFC 7578) as a browser does: text fields, then the file.
    func postMultipart(
        _ client: any TestClientProtocol, _ uri: String, _ fields: [String: String], file: FilePart?, jar: CookieJar
    ) async throws -> (status: HTTPResponse.Status, location: String?, body: String) {
        let boundary = "----DatelineTestBoundary\(UUID().uuidString.prefix(8))"
        var body = Data()
        for (name, value) in fields.sorted(by: { $0.key < $1.key }) {
            body.append(Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8))
        }
        if let file {
            body.append(Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(file.fileName)\"\r\nContent-Type: \(file.contentType)\r\n\r\n".utf8))
            body.append(file.data)
            body.append(Data("\r\n".utf8))
        }
        body.append(Data("--\(boundary)--\r\n".utf8))
        var headers: HTTPFields = [.contentType: "multipart/form-data; boundary=\(boundary)"]
        headers.append(contentsOf: jar.header)
        return try await client.execute(uri: uri, method: .post, headers: headers, body: ByteBuffer(bytes: body)) {
            ($0.status, $0.headers[.location], String(buffer: $0.body))
        }
    }

    /// A draft written through the form by the member of `jar`; returns its page's path.
    func draft(_ client: any TestClientProtocol, jar: CookieJar, organization: String, headline: String) async throws -> String {
        let created = try await post(client, "/newsroom/releases", [
            "_csrf": try await csrfToken(client, jar: jar), "organization": organization, "headline": headline,
            "language": "en", "timing": "immediate", "body": "The trust opened three wetlands.",
        ], jar: jar)
        return try #require(created.location)
    }

    func page(_ client: any TestClientProtocol, _ path: String, jar: CookieJar) async throws -> String {
        try await client.execute(uri: path, method: .get, headers: jar.header) { String(buffer: $0.body) }
    }

    func media(_ hub: DatabaseHub, release id: String) async throws -> [ReleaseMedia] {
        try await MediaStore.media(ofRelease: id, on: hub.database)
    }

    static let svg = Data(#"<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>"#.utf8)

    @Test("A member attaches a photo and a PDF through the form, sees them, reorders, sets the lead image, edits alt text and removes one")
    func attachAndManage() async throws {
        try await withNewsroom { client, hub, clock in
            // setup
            let ann = try await signInFully(client, email: "a@rivers.example", hub: hub, clock: clock)
            let path = try await draft(client, jar: ann, organization: "rivers-trust", headline: "Wetlands open")
            let id = String(path.split(separator: "/").last!)
            let editPage = try await page(client, path, jar: ann)
            #expect(editPage.contains(#"enctype="multipart/form-data""#))
            #expect(editPage.contains(#"accept="image/jpeg,image/png,image/webp,image/heic,image/avif,application/pdf""#))
            #expect(editPage.contains("No photos or documents yet."))

            // MUT: the photo with alt text, then the PDF
            let photo = try await postMultipart(client, "\(path)/attachments", ["_csrf": try await csrfToken(client, jar: ann), "alt": "A yellow sign on green", "caption": "The new sign", "credit": ""], file: FilePart(fileName: "wetlands.png", contentType: "image/png", data: TestMedia.png), jar: ann)
            let pdf = try await postMultipart(client, "\(path)/attachments", ["_csrf": try await csrfToken(client, jar: ann), "alt": "The annual report"], file: FilePart(fileName: "report.pdf", contentType: "application/pdf", data: TestMedia.pdf), jar: ann)

            // validation: stored in order, listed with thumbnail, name, size and type
            #expect(photo.status == .seeOther && photo.location == path, "\(photo.status) \(photo.body.prefix(300))")
            #expect(pdf.status == .seeOther && pdf.location == path)
            var stored = try await media(hub, release: id)
            #expect(stored.map(\.fileName) == ["wetlands.png", "report.pdf"])
            #expect(stored[0].alt == "A yellow sign on green" && stored[0].caption == "The new sign" && stored[0].credit == nil)
            #expect(!stored[0].isLead)
            let listed = try await page(client, path, jar: ann)
            let thumbnail = try #require(stored[0].renditions(ofType: "image/jpeg").last)
            let thumbnailPath = "/newsroom/releases/\(id)/media/\(thumbnail.fileName)"
            #expect(listed.contains(#"<img class="thumbnail" src="\#(thumbnailPath)" alt="A yellow sign on green""#))
            #expect(listed.contains("wetlands.png") && listed.contains("PNG image, 64 × 40 px"))
            #expect(listed.contains("report.pdf") && listed.contains("PDF document, "))
            #expect(!listed.contains("No photos or documents yet."))
            #expect(listed.contains(#"class="gallery-grid""#) && listed.contains(#"srcset="/newsroom/releases/\#(id)/media/"#), "the preview shows the image through the newsroom's route")
            #expect(listed.contains(#"<a href="/newsroom/releases/\#(id)/media/"#) && listed.contains("(PDF, "), "and the document")
            #expect(!listed.contains(#""/media/"#) && !listed.contains(" /media/"), "never the public path")
            let served = try await client.execute(uri: thumbnailPath, method: .get, headers: ann.header) { ($0.status, $0.headers[.contentType], $0.headers[.cacheControl], $0.body.readableBytes) }
            #expect(served.0 == .ok && served.1 == "image/jpeg" && served.2 == "private, no-store" && served.3 > 100)
            #expect(try await client.execute(uri: thumbnailPath, method: .get) { $0.status } == .seeOther, "signed out: to sign-in")
            #expect(try await client.execute(uri: "/media/\(thumbnail.fileName)", method: .get) { $0.status } == .notFound, "not public before the lift")

            // MUT: the PDF up, the photo as lead, new alt text, then the PDF removed
            let (imageID, pdfID) = (stored[0].id.rawValue, stored[1].id.rawValue)
            let moved = try await post(client, "\(path)/attachments/\(pdfID)/move", ["_csrf": try await csrfToken(client, jar: ann), "direction": "up"], jar: ann)
            #expect(moved.status == .seeOther)
            #expect(try await media(hub, release: id).map(\.fileName) == ["report.pdf", "wetlands.png"])
            let lead = try await post(client, "\(path)/attachments/\(imageID)/lead", ["_csrf": try await csrfToken(client, jar: ann)], jar: ann)
            #expect(lead.status == .seeOther)
            let described = try await post(client, "\(path)/attachments/\(imageID)/describe", ["_csrf": try await csrfToken(client, jar: ann), "alt": "Two herons at dawn", "caption": "", "credit": "Ann Photographer"], jar: ann)
            #expect(described.status == .seeOther)
            stored = try await media(hub, release: id)
            #expect(stored[1].isLead && stored[1].alt == "Two herons at dawn" && stored[1].credit == "Ann Photographer" && stored[1].caption == nil)
            let shown = try await page(client, path, jar: ann)
            #expect(shown.contains("Lead image</strong>"))
            #expect(shown.contains(#"<div class="lead-image">"#) && shown.contains(#"alt="Two herons at dawn" decoding="async""#), "the preview's lead image")
            #expect(shown.contains(#"value="Two herons at dawn""#))
            let removed = try await post(client, "\(path)/attachments/\(pdfID)/remove", ["_csrf": try await csrfToken(client, jar: ann)], jar: ann)
            #expect(removed.status == .seeOther)
            #expect(try await media(hub, release: id).map(\.fileName) == ["wetlands.png"])
            #expect(!(try await page(client, path, jar: ann)).contains("report.pdf"))
            // A removed file is gone from the preview route too.
            let pdfFile = try #require(stored[0].primary?.fileName)
            #expect(try await client.execute(uri: "/newsroom/releases/\(id)/media/\(pdfFile)", method: .get, headers: ann.header) { $0.status } == .notFound)
        }
    }

    @Test("A refused upload (an SVG, a file whose name is not what it is, no file) shows the reason and stores nothing")
    func refusedUploads() async throws {
        try await withNewsroom { client, hub, clock in
            // setup
            let ann = try await signInFully(client, email: "a@rivers.example", hub: hub, clock: clock)
            let path = try await draft(client, jar: ann, organization: "rivers-trust", headline: "Wetlands open")
            let cases: [(FilePart?, String)] = [
                (FilePart(fileName: "logo.svg", contentType: "image/svg+xml", data: Self.svg), "is an SVG drawing"),
                (FilePart(fileName: "logo.png", contentType: "image/png", data: Self.svg), "is an SVG drawing"),
                (FilePart(fileName: "photo.jpg", contentType: "image/jpeg", data: TestMedia.png), "its name says otherwise"),
                (FilePart(fileName: "", contentType: "application/octet-stream", data: Data()), "The file is empty"),
                (nil, "The file is empty"),
            ]
            for (file, reason) in cases {
                // MUT
                let answer = try await postMultipart(client, "\(path)/attachments", ["_csrf": try await csrfToken(client, jar: ann), "alt": "Typed alt"], file: file, jar: ann)

                // validation
                #expect(answer.status == .badRequest, "\(file?.fileName ?? "no file")")
                #expect(answer.body.contains(#"role="alert""#) && answer.body.contains(reason), "\(file?.fileName ?? "no file"): \(reason)")
                #expect(answer.body.contains(#"id="upload-alt" name="alt" value="Typed alt""#), "the typed text is kept")
            }
            // A urlencoded form naming the file field is refused with a page, not a crash.
            let urlencoded = try await post(client, "\(path)/attachments", ["_csrf": try await csrfToken(client, jar: ann), "file": "x", "alt": "y"], jar: ann)
            #expect(urlencoded.status == .badRequest)
            #expect(try await MediaModel.query(on: hub.database).count() == 0)
            #expect(try await MediaRenditionModel.query(on: hub.database).count() == 0)
            #expect(try await MediaBlobModel.query(on: hub.database).count() == 0)
        }
    }

    @Test("Another organization's member gets 404 on every attachment route and changes nothing")
    func otherOrganization() async throws {
        try await withNewsroom { client, hub, clock in
            // setup: Bo's draft with a photo and a PDF
            let bo = try await signInFully(client, email: "b@forest.example", hub: hub, clock: clock)
            let path = try await draft(client, jar: bo, organization: "forest-fund", headline: "Secret forest plan")
            let id = String(path.split(separator: "/").last!)
            let files = try await TestMedia.attachBoth(toRelease: id, hub: hub, settings: testSettings(hub.location))
            let before = try await media(hub, release: id)
            let mediaID = before[0].id.rawValue
            let ann = try await signInFully(client, email: "a@rivers.example", hub: hub, clock: clock)
            let csrf = try await csrfToken(client, jar: ann)

            // MUT + validation
            for file in files {
                #expect(try await client.execute(uri: "/newsroom/releases/\(id)/media/\(file)", method: .get, headers: ann.header) { $0.status } == .notFound, "\(file)")
            }
            let upload = try await postMultipart(client, "\(path)/attachments", ["_csrf": csrf, "alt": "Hijack"], file: FilePart(fileName: "x.png", contentType: "image/png", data: TestMedia.png), jar: ann)
            #expect(upload.status == .notFound)
            for action in ["describe", "move", "lead", "remove"] {
                let answer = try await post(client, "\(path)/attachments/\(mediaID)/\(action)", ["_csrf": csrf, "alt": "Hijacked", "direction": "down"], jar: ann)
                #expect(answer.status == .notFound, "\(action)")
            }
            #expect(try await media(hub, release: id) == before)
            // Bo sees his own files; an attachment of another release is not found through his.
            #expect(try await client.execute(uri: "/newsroom/releases/\(id)/media/\(files[0])", method: .get, headers: bo.header) { $0.status } == .ok)
            let annPath = try await draft(client, jar: ann, organization: "rivers-trust", headline: "Wetlands open")
            #expect(try await client.execute(uri: "\(annPath)/media/\(files[0])", method: .get, headers: ann.header) { $0.status } == .notFound)
            let crossed = try await post(client, "\(annPath)/attachments/\(mediaID)/remove", ["_csrf": csrf], jar: ann)
            #expect(crossed.status == .badRequest && crossed.body.contains("No such attachment on this release."))
            #expect(try await media(hub, release: id) == before)
        }
    }

    @Test("An image without alt text is marked, and submitting or approving the release says so instead of failing")
    func altTextBeforeSubmission() async throws {
        try await withNewsroom { client, hub, clock in
            // setup: a photo uploaded without alt text
            let ann = try await signInFully(client, email: "a@rivers.example", hub: hub, clock: clock)
            let path = try await draft(client, jar: ann, organization: "rivers-trust", headline: "Wetlands open")
            let id = String(path.split(separator: "/").last!)
            let uploaded = try await postMultipart(client, "\(path)/attachments", ["_csrf": try await csrfToken(client, jar: ann), "alt": ""], file: FilePart(fileName: "wetlands.png", contentType: "image/png", data: TestMedia.png), jar: ann)
            #expect(uploaded.status == .seeOther)
            let imageID = try #require(try await media(hub, release: id).first?.id.rawValue)
            let marked = try await page(client, path, jar: ann)
            #expect(marked.contains(#"aria-invalid="true" aria-describedby="alt-missing-\#(imageID)""#))
            #expect(marked.contains("An image has no alt text"))

            // MUT: submit
            let submitted = try await post(client, "\(path)/submit", ["_csrf": try await csrfToken(client, jar: ann)], jar: ann)

            // validation
            #expect(submitted.status == .badRequest)
            #expect(submitted.body.contains(MediaError.altMissing(count: 1).description.replacingOccurrences(of: "\"", with: "&quot;")))
            #expect(try await ReleaseModel.find(id, on: hub.database)?.status == "draft")

            // An editor approving the draft is told the same.
            let ed = try await signInFully(client, email: "ed@wire.example", hub: hub, clock: clock)
            let approved = try await post(client, "\(path)/approve", ["_csrf": try await csrfToken(client, jar: ed), "decision": "now"], jar: ed)
            #expect(approved.status == .badRequest && approved.body.contains("An image has no alt text."))
            #expect(try await ReleaseModel.find(id, on: hub.database)?.status == "draft")
            #expect(try await client.execute(uri: "/releases/wetlands-open", method: .get) { $0.status } == .notFound)

            // With alt text the release goes to review.
            _ = try await post(client, "\(path)/attachments/\(imageID)/describe", ["_csrf": try await csrfToken(client, jar: ann), "alt": "A yellow sign on green"], jar: ann)
            let again = try await post(client, "\(path)/submit", ["_csrf": try await csrfToken(client, jar: ann)], jar: ann)
            #expect(again.status == .seeOther)
            #expect(try await ReleaseModel.find(id, on: hub.database)?.status == "submitted")
            // Submitted, the member no longer changes its attachments; an editor still does.
            let late = try await post(client, "\(path)/attachments/\(imageID)/remove", ["_csrf": try await csrfToken(client, jar: ann)], jar: ann)
            #expect(late.status == .conflict)
            #expect(try await media(hub, release: id).count == 1)
            let edited = try await post(client, "\(path)/attachments/\(imageID)/describe", ["_csrf": try await csrfToken(client, jar: ed), "alt": "A yellow sign by the reeds"], jar: ed)
            #expect(edited.status == .seeOther)
            #expect(try await media(hub, release: id).first?.alt == "A yellow sign by the reeds")
        }
    }

    @Test("An admin sets an organization's logo through the form; an SVG is refused")
    func logo() async throws {
        try await withNewsroom { client, hub, clock in
            // setup
            let admin = try await signInFully(client, email: "admin@wire.example", hub: hub, clock: clock)
            let path = "/newsroom/admin/organizations/rivers-trust"
            let csrf = try #require(hiddenCSRF(try await page(client, path, jar: admin)))

            // MUT
            let refused = try await postMultipart(client, "\(path)/logo", ["_csrf": csrf], file: FilePart(fileName: "logo.svg", contentType: "image/svg+xml", data: Self.svg), jar: admin)
            let set = try await postMultipart(client, "\(path)/logo", ["_csrf": csrf], file: FilePart(fileName: "logo.png", contentType: "image/png", data: TestMedia.png), jar: admin)

            // validation
            #expect(refused.status == .badRequest && refused.body.contains("is an SVG drawing"))
            #expect(set.status == .seeOther && set.location == path)
            let organization = try #require(try await OrganizationModel.query(on: hub.database).filter(\.$slug == "rivers-trust").first())
            let logo = try #require(try await MediaStore.logo(of: try organization.requireID(), on: hub.database))
            let file = try #require(logo.primary?.fileName)
            let shown = try await page(client, path, jar: admin)
            #expect(shown.contains(#"<img class="organization-logo" src="/media/\#(file)" alt="Rivers Trust logo">"#))
            #expect(try await client.execute(uri: "/media/\(file)", method: .get) { $0.status } == .ok, "a logo is public")
            // A member has no such form.
            let ann = try await signInFully(client, email: "a@rivers.example", hub: hub, clock: clock)
            #expect(try await postMultipart(client, "\(path)/logo", ["_csrf": try await csrfToken(client, jar: ann)], file: FilePart(fileName: "logo.png", contentType: "image/png", data: TestMedia.png), jar: ann).status == .notFound)
        }
    }
}
