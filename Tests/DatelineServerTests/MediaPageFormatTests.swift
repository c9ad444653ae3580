import DatelineCore
@testable import DatelineServer
import FluentKit
import Foundation
import Hummingbird
import HummingbirdTesting
import ReleaseImport
import Testing

/// A published release (the syndication fixture "Rivers Trust Opens Three New Wetlands") with
/// the test PNG as its lead image and the test PDF attached.
func publishedWithMedia(_ store: ReleaseStore, now: Date) async throws -> (slug: String, id: String, files: [String]) {
    let (slug, _) = try await storeSyndicationFixtures(store, now: now)
    let model = try #require(try await ReleaseModel.query(on: store.hub.database).filter(\.$slug == slug).first())
    let id = try model.requireID()
    let files = try await TestMedia.attachBoth(toRelease: id, hub: store.hub, settings: testSettings(store.hub.location))
    return (slug, id, files)
}

/// The public path's reading of that release, media included.
func publicReleaseWithMedia(_ store: ReleaseStore, slug: String, now: Date) async throws -> Release {
    let reader = PublicReleases(database: try store.hub.database, now: now)
    let validSlug = try #require(Slug(validating: slug))
    return try #require(try await reader.release(slug: validSlug))
}

extension Contexts {
    /// A photo with every text set, another photo and a PDF, as the page fixtures show them.
    static let media: [ReleaseMedia] = {
        func rendition(_ name: String, _ type: String, _ width: Int?, _ height: Int?, _ bytes: Int) -> MediaRendition {
            MediaRendition(name: name, id: MediaID(), mediaType: type, width: width, height: height, byteSize: bytes)
        }
        let lead = ReleaseMedia(
            id: MediaID(), kind: .image, alt: "Three herons over a flooded meadow", caption: "The new wetland at dawn", credit: "Photo: Ann Bell",
            copyright: "© Rivers Trust", isLead: true, fileName: "herons.jpg", mediaType: "image/jpeg", byteSize: 2_400_000, width: 3000, height: 2000,
            renditions: [
                rendition("w1600", "image/jpeg", 1600, 1067, 310_000), rendition("w1600", "image/webp", 1600, 1067, 220_000),
                rendition("w960", "image/jpeg", 960, 640, 140_000), rendition("w960", "image/webp", 960, 640, 98_000),
                rendition("w480", "image/jpeg", 480, 320, 41_000), rendition("w480", "image/webp", 480, 320, 30_000),
                rendition("og", "image/jpeg", 1200, 630, 120_000),
            ]
        )
        let second = ReleaseMedia(
            id: MediaID(), kind: .image, alt: "A volunteer planting reeds", caption: "Reeds go in by hand", credit: "Sam Reed", fileName: "reeds.png", mediaType: "image/png",
            byteSize: 800_000, width: 1200, height: 900,
            renditions: [rendition("w960", "image/jpeg", 960, 720, 120_000), rendition("w960", "image/webp", 960, 720, 80_000)]
        )
        let report = ReleaseMedia(
            id: MediaID(), kind: .document, alt: "The annual report 2026", fileName: "report-2026.pdf", mediaType: "application/pdf", byteSize: 1_234_567,
            renditions: [rendition("original", "application/pdf", nil, nil, 1_234_567)]
        )
        return [lead, second, report]
    }()
}

@Suite("Media on the release page and in listings")
struct MediaPageFormatTests {
    @Test("The release page shows the lead image as a responsive picture, the gallery, the document with its size, and names the image for link previews and in JSON-LD")
    func releasePage() async throws {
        let clock = TestClock()
        try await withApp(clock: clock) { client, store in
            // setup
            let (slug, _, files) = try await publishedWithMedia(store, now: clock.now)
            let release = try await publicReleaseWithMedia(store, slug: slug, now: clock.now)
            let lead = try #require(release.leadImage)
            let jpeg = try #require(lead.renditions(ofType: "image/jpeg").first)
            let webp = try #require(lead.renditions(ofType: "image/webp").first)
            // The 1200×630 crop, or for an image smaller than that (as the test PNG) its JPEG.
            let og = lead.openGraph ?? jpeg
            let pdf = try #require(release.media.first { $0.kind == .document }?.primary)

            // MUT
            let page = try await body(client, "/releases/\(slug)")
            let html = String(decoding: page.data, as: UTF8.self)

            // validation: the picture
            #expect(page.status == .ok)
            #expect(html.contains("<picture>"))
            #expect(html.contains(#"<source type="image/webp" srcset="/media/\#(webp.fileName) \#(webp.width ?? 0)w" sizes="\#(PictureView.articleSizes)">"#), "\(html)")
            #expect(html.contains(#"srcset="/media/\#(jpeg.fileName) \#(jpeg.width ?? 0)w""#))
            #expect(html.contains(#"width="\#(lead.width ?? 0)" height="\#(lead.height ?? 0)" alt="A yellow sign on green""#))
            // the document, with its type and size
            #expect(html.contains(#"href="/media/\#(pdf.fileName)" download="report.pdf""#))
            #expect(html.contains("(PDF, \(DocumentLink.size(pdf.byteSize)))"))
            // link previews: the crop, absolute, with its size and alt
            #expect(html.contains(#"<meta property="og:image" content="https://wire.example.org/media/\#(og.fileName)">"#))
            #expect(html.contains(#"<meta property="og:image:width" content="\#(og.width ?? 0)">"#))
            #expect(html.contains(#"<meta property="og:image:height" content="\#(og.height ?? 0)">"#))
            #expect(html.contains(#"<meta property="og:image:alt" content="A yellow sign on green">"#))
            #expect(html.contains(#"<meta name="twitter:card" content="summary_large_image">"#))
            #expect(html.contains(#"<meta name="twitter:image" content="https://wire.example.org/media/\#(og.fileName)">"#))
            // JSON-LD: ImageObjects, absolute
            let article = try #require(try extractJSONLD(html).first)
            let images = try #require(article["image"] as? [[String: Any]])
            #expect(images.first?["@type"] as? String == "ImageObject")
            #expect(images.compactMap { $0["url"] as? String }.contains("https://wire.example.org/media/\(jpeg.fileName)"))
            #expect(images.first?["width"] as? Int == jpeg.width)
            // Every file the page names is served.
            for file in files where html.contains("/media/\(file)") || og.fileName == file {
                #expect(try await body(client, "/media/\(file)").status == .ok, "\(file)")
            }
        }
    }

    @Test("Listing rows show the lead image's smallest renditions as a thumbnail with alt text and its size; rows without one show none")
    func listingThumbnails() async throws {
        let clock = TestClock()
        try await withApp(clock: clock) { client, store in
            // setup
            let (slug, _, _) = try await publishedWithMedia(store, now: clock.now)
            let lead = try #require(try await publicReleaseWithMedia(store, slug: slug, now: clock.now).leadImage)
            let smallest = try #require(lead.renditions(ofType: "image/jpeg").last)

            for path in ["/", "/organizations/rivers-trust", "/topics/environment", "/languages/en"] {
                // MUT
                let page = String(decoding: try await body(client, path).data, as: UTF8.self)

                // validation
                #expect(page.contains(#"<img src="/media/\#(smallest.fileName)" width="\#(smallest.width ?? 0)" height="\#(smallest.height ?? 0)" alt="A yellow sign on green""#), "\(path)")
                #expect(page.components(separatedBy: "class=\"thumbnail\"").count == 2, "one row has a lead image, the hostile release none: \(path)")
            }
        }
    }

    @Test("An organization's logo shows on its public page, with its alt text and size, once an admin sets it")
    func organizationLogo() async throws {
        let clock = TestClock()
        try await withApp(clock: clock) { client, store in
            // setup
            _ = try await publishedWithMedia(store, now: clock.now)
            let organization = try #require(try await OrganizationModel.query(on: store.hub.database).filter(\.$slug == "rivers-trust").first())
            let before = String(decoding: try await body(client, "/organizations/rivers-trust").data, as: UTF8.self)

            // MUT
            let logo = try await MediaStore(hub: store.hub, settings: testSettings(store.hub.location))
                .setLogo(.init(fileName: "logo.png", data: TestMedia.png, alt: "Rivers Trust logo"), of: try organization.requireID())
            let after = String(decoding: try await body(client, "/organizations/rivers-trust").data, as: UTF8.self)

            // validation
            let file = try #require(logo.primary)
            #expect(!before.contains("org-logo"))
            #expect(after.contains(#"<img class="org-logo" src="/media/\#(file.fileName)" alt="Rivers Trust logo" width="\#(file.width ?? 0)" height="\#(file.height ?? 0)">"#), "the page cache let the new logo through")
        }
    }

    @Test("A journalist's embargo link shows the images through the link itself, which serves them before the lift; the public addresses do not")
    func embargoLinkPage() async throws {
        let clock = TestClock()
        try await withApp(clock: clock) { client, store in
            // setup
            var embargoed = ImportedRelease(headline: "Merger agreed", language: "en")
            embargoed.issuer = "Rivers Trust"
            embargoed.body = ["Two trusts merge."]
            embargoed.releaseTiming = .embargoed
            embargoed.embargoUntil = clock.now.addingTimeInterval(3600)
            guard case .imported(let id, let slug, _) = try await store.store(embargoed, options: ImportOptions(publish: true)) else { throw TestFailure("not imported") }
            let files = try await TestMedia.attachBoth(toRelease: id, hub: store.hub, settings: testSettings(store.hub.location))
            let links = EmbargoLinks(hub: store.hub, settings: testSettings(store.hub.location), clock: { clock.now })
            try await links.addJournalist(name: "Ada Reporter", email: "ada@example.org", outlet: "The Daily")
            let link = try await links.issue(release: slug, journalistEmail: "ada@example.org")
            let path = link.path

            // MUT
            let page = String(decoding: try await body(client, path).data, as: UTF8.self)

            // validation
            #expect(page.contains("<picture>"))
            #expect(page.contains("og:image") == false, "no link preview names an embargoed image")
            var shown = 0
            for file in files where page.contains("\(path)/media/\(file)") {
                shown += 1
                #expect(try await body(client, "\(path)/media/\(file)").status == .ok, "\(file) through the link")
                #expect(try await body(client, "/media/\(file)").status == .notFound, "\(file) publicly")
            }
            #expect(shown >= 3, "the picture's JPEG and WebP and the document are named through the link")
            #expect(!page.contains("\"/media/"), "no public media address on the page")
        }
    }

    @Test("A cached release page, feed and ninjs document show an attachment added after publication on their next request")
    func cachedPageReflectsNewAttachment() async throws {
        let clock = TestClock()
        try await withCachedSite(clock: clock) { client, _, other, _ in
            // setup
            let store = ReleaseStore(hub: other, clock: { clock.now })
            guard case .imported(let id, let slug, _) = try await store.store(cacheFixture("Wetlands open on the Aire"), options: ImportOptions(publish: true, topics: ["Water"])) else {
                throw TestFailure("not imported")
            }
            let cached = try await primed(client, "/releases/\(slug)")
            #expect(!cached.text.contains("<picture>"))
            for path in ["/", "/feed.atom", "/releases/\(slug)/ninjs.json"] { try await primed(client, path) }

            // MUT: another process attaches a photo and a document
            _ = try await TestMedia.attachBoth(toRelease: id, hub: other, settings: testSettings(other.location))

            // validation
            let page = try await fetch(client, "/releases/\(slug)")
            #expect(page.text.contains("<picture>"), "the lead image is on the page")
            #expect(page.text.contains("A yellow sign on green"))
            #expect(page.text.contains("(PDF, "), "the document is linked")
            #expect(try await fetch(client, "/").text.contains("class=\"thumbnail\""), "the home page's row has its thumbnail")
            #expect(try await fetch(client, "/feed.atom").text.contains(#"rel="enclosure""#), "the feed carries the files")
            #expect(try await fetch(client, "/releases/\(slug)/ninjs.json").text.contains(#""type":"picture""#), "ninjs carries the photo")
        }
    }
}
