@testable import DatelineServer
import DatelineCore
import FluentKit
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import ReleaseImport
import Testing

/// Media files on the public path: served with their type, ETag and caching while their release
/// is public; answered exactly as a file that never existed (status, headers, body) while it is
/// a draft, embargoed or retracted, whatever was served or cached before; to journalists through
/// their embargo links until the link expires or the release is published.
@Suite("Media on the public path")
struct MediaPublicPathTests {
    struct Answer: Equatable {
        var status: HTTPResponse.Status
        var headers: [String: String]
        var body: Data
    }

    func release(_ headline: String, embargoedUntil: Date? = nil) -> ImportedRelease {
        var release = ImportedRelease(headline: headline, language: "en")
        release.issuer = "Rivers Trust"
        release.body = ["\(headline): the meadow was flooded again this spring."]
        if let embargoedUntil {
            release.releaseTiming = .embargoed
            release.embargoUntil = embargoedUntil
        }
        return release
    }

    @Test("Files of a published release are served with type, ETag, 304 and a PDF's name; a draft's, an embargoed and a retracted release's answer as a nonexistent file; embargo links serve theirs until expiry or publication")
    func publicPath() async throws {
        try await TestDatabase.withFresh { location in
            // setup: a published, a draft and an embargoed release, each with a photo and a PDF
            let clock = TestClock()
            let settings = testSettings(location)
            let hub = try DatabaseHub(location: location, logger: quietLogger)
            do {
                try await hub.migrate()
                let store = ReleaseStore(hub: hub, clock: { clock.now })
                let lift = clock.now.addingTimeInterval(3600)
                guard case .imported(let publishedID, let publishedSlug, _) = try await store.store(release("Meadow flooded"), options: ImportOptions(publish: true)),
                      case .imported(let draftID, _, _) = try await store.store(release("Meadow draft"), options: ImportOptions(publish: false)),
                      case .imported(let embargoedID, let embargoedSlug, _) = try await store.store(release("Meadow embargoed", embargoedUntil: lift), options: ImportOptions(publish: true))
                else { throw MediaSample.SampleError(message: "a release was not imported") }
                for id in [publishedID, draftID, embargoedID] {
                    _ = try await TestMedia.attachBoth(toRelease: id, hub: hub, settings: settings)
                }
                @Sendable func renditions(_ releaseID: String) async throws -> [MediaRendition] {
                    try await MediaStore.media(ofRelease: releaseID, on: hub.database).flatMap(\.renditions)
                }
                @Sendable func bytes(_ rendition: MediaRendition) async throws -> Data {
                    try #require(try await MediaBlobModel.find(rendition.id.rawValue, on: hub.database)).bytes
                }
                let published = try await renditions(publishedID), draft = try await renditions(draftID), embargoed = try await renditions(embargoedID)
                #expect(published.count == 4 && draft.count == 4 && embargoed.count == 4, "w64 JPEG and WebP, og, and the PDF")
                // Two journalists' links: one expiring at the lift time, as issued; one whose expiry
                // is moved past it, to show that publication alone ends a link's access too.
                let links = EmbargoLinks(hub: hub, settings: settings, clock: { clock.now })
                try await links.addJournalist(name: "Ada Reporter", email: "ada@example.org", outlet: "The Ledger")
                try await links.addJournalist(name: "Bo Writer", email: "bo@example.org", outlet: "The Courier")
                let adaLink = try await links.issue(release: embargoedSlug, journalistEmail: "ada@example.org").path
                let boLink = try await links.issue(release: embargoedSlug, journalistEmail: "bo@example.org").path
                let boHash = EmbargoLinks.hash(String(boLink.split(separator: "/").last!))
                try await hub.write { database in
                    try await EmbargoLinkModel.query(on: database).filter(\.$tokenHash == boHash)
                        .set(\.$expiresAt, to: lift.addingTimeInterval(86400)).update()
                }
                let app = try await buildApplication(settings: settings, runJobs: false, logger: quietLogger, clock: { clock.now })

                try await app.test(.router) { client in
                    func fetch(_ path: String, _ headers: HTTPFields = [:], method: HTTPRequest.Method = .get) async throws -> Answer {
                        try await client.execute(uri: path, method: method, headers: headers) { response in
                            var fields: [String: String] = [:]
                            for field in response.headers where field.name != .date { fields[field.name.canonicalName] = field.value }
                            return Answer(status: response.status, headers: fields, body: Data(buffer: response.body))
                        }
                    }
                    /// What a file that never existed answers, with the same extension.
                    func nonexistent(like rendition: MediaRendition, token: String? = nil) async throws -> Answer {
                        let name = MediaID().rawValue + "." + rendition.fileExtension
                        return try await fetch(token.map { "/embargoed/\($0)/media/\(name)" } ?? "/media/\(name)")
                    }
                    func expectHidden(_ renditions: [MediaRendition], under prefix: String = "/media/", _ why: String) async throws {
                        for rendition in renditions {
                            let answer = try await fetch(prefix + rendition.fileName)
                            let never = try await nonexistent(like: rendition, token: prefix == "/media/" ? nil : String(repeating: "A", count: 43))
                            #expect(answer.status == .notFound, "\(why): \(rendition.fileName)")
                            #expect(answer == never, "\(why): \(rendition.fileName) answers otherwise than a file that never existed")
                            let head = try await fetch(prefix + rendition.fileName, method: .head)
                            #expect(head.status == .notFound, "\(why): HEAD \(rendition.fileName)")
                        }
                    }

                    // MUT + validation: the published release's files
                    for rendition in published {
                        let answer = try await fetch("/media/\(rendition.fileName)")
                        #expect(answer.status == .ok, "\(rendition.fileName)")
                        #expect(answer.headers["content-type"] == rendition.mediaType)
                        #expect(answer.headers["etag"] == "\"\(rendition.id.rawValue)\"")
                        #expect(answer.headers["cache-control"] == "public, max-age=3600, s-maxage=3600")
                        #expect(answer.body == (try await bytes(rendition)), "\(rendition.fileName): the stored bytes")
                        if rendition.mediaType == "application/pdf" {
                            #expect(answer.headers["content-disposition"] == "inline; filename=\"report.pdf\"; filename*=UTF-8''report.pdf")
                        } else {
                            #expect(answer.headers["content-disposition"] == nil)
                        }
                        let again = try await fetch("/media/\(rendition.fileName)", [.ifNoneMatch: "\"\(rendition.id.rawValue)\""])
                        #expect(again.status == .notModified && again.body.isEmpty, "\(rendition.fileName)")
                        #expect(again.headers["etag"] == answer.headers["etag"])
                        let other = try await fetch("/media/\(rendition.fileName)", [.ifNoneMatch: "\"\(MediaID().rawValue)\""])
                        #expect(other.status == .ok)
                        // The same id under another extension is no file.
                        let wrongExtension = rendition.fileExtension == "pdf" ? "jpg" : "pdf"
                        let renamed = try await fetch("/media/\(rendition.id.rawValue).\(wrongExtension)")
                        #expect(renamed.status == .notFound)
                    }
                    // a draft's and an embargoed release's files
                    try await expectHidden(draft, "a draft's file")
                    try await expectHidden(embargoed, "an embargoed release's file")

                    // the embargoed release's files through the journalists' links, and nothing else through them
                    for rendition in embargoed {
                        let answer = try await fetch("\(adaLink)/media/\(rendition.fileName)")
                        #expect(answer.status == .ok, "\(rendition.fileName)")
                        #expect(answer.headers["content-type"] == rendition.mediaType)
                        #expect(answer.headers["cache-control"] == "private, no-store")
                        #expect(answer.body == (try await bytes(rendition)))
                    }
                    try await expectHidden(draft + published, under: "\(adaLink)/media/", "another release's file through an embargo link")
                    // ...which leaves the public path as it was: nothing was held for it.
                    try await expectHidden(embargoed, "an embargoed release's file after the journalist saw it")

                    // A retraction: the files served (and perhaps held) a moment ago answer as nonexistent.
                    try await ReleaseCorrections(hub: hub, clock: { clock.now }).retract(publishedSlug, note: "Wrong meadow.", actor: "cli:operator")
                    try await expectHidden(published, "a retracted release's file")

                    // The lift time passes: Ada's link has expired; the release is not yet published
                    // (the scheduler has not run), so Bo's link still serves it and the public path does not.
                    clock.advance(by: 3601)
                    try await expectHidden(embargoed, under: "\(adaLink)/media/", "a file through an expired link")
                    #expect(try await fetch("\(boLink)/media/\(embargoed[0].fileName)").status == .ok)
                    try await expectHidden(embargoed, "an embargoed release's file before the scheduler publishes it")

                    // Published: the public path serves the files, and no link does any more.
                    await ReleaseScheduler(hub: hub, logger: quietLogger, clock: { clock.now }).publishDue()
                    for rendition in embargoed {
                        let answer = try await fetch("/media/\(rendition.fileName)")
                        #expect(answer.status == .ok, "\(rendition.fileName) after the lift")
                        #expect(answer.headers["cache-control"] == "public, max-age=3600, s-maxage=3600")
                        #expect(answer.body == (try await bytes(rendition)))
                    }
                    try await expectHidden(embargoed, under: "\(boLink)/media/", "a file through a link after publication")
                }
                await hub.shutdown()
            } catch {
                await hub.shutdown()
                throw error
            }
        }
    }
}
