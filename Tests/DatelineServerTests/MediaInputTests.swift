@testable import DatelineServer
import DatelineCore
import Foundation
import Testing

/// Bad input: each refused with its own ``MediaError``, whose message names the file and says
/// what to do, and nothing stored (no row in media, media_renditions or media_blobs).
@Suite("Media input that is refused")
struct MediaInputTests {
    /// Attaches `data` as `fileName` and returns the error, checking that nothing was stored.
    func refusal(_ fileName: String, _ data: Data, settings adjust: (inout Settings) -> Void = { _ in }) async throws -> MediaError? {
        var refused: MediaError?
        try await withDraftRelease { settings, hub, releaseID, _ in
            var settings = settings
            adjust(&settings)
            do {
                _ = try await MediaStore(hub: hub, settings: settings).attach(.init(fileName: fileName, data: data, alt: "Alt"), toRelease: releaseID)
            } catch let error as MediaError {
                refused = error
            }
            #expect(try await mediaRowCounts(hub.database) == [0, 0, 0], "\(fileName): something was stored")
        }
        return refused
    }

    @Test("A file that is not what its name says is refused by its content: a PNG named .jpg, an HTML page named .pdf, a GIF")
    func notWhatItsNameSays() async throws {
        let png = try await MediaSample.make("png")
        let pngAsJPEG = try await refusal("holiday.jpg", png)
        #expect(pngAsJPEG == .nameDisagrees(fileName: "holiday.jpg", actual: .png))
        #expect(pngAsJPEG?.description.contains("holiday.jpg is a PNG image by its content") == true)
        #expect(pngAsJPEG?.description.contains("rename it .png") == true)

        let html = try await MediaSample.make("html")
        #expect(try await refusal("report.pdf", html) == .unknownFormat(fileName: "report.pdf"))
        let gif = Data("GIF89a".utf8) + Data([1, 0, 1, 0, 0x80, 0, 0]) + Data(repeating: 0, count: 40)
        let unknown = try await refusal("animation.gif", gif)
        #expect(unknown == .unknownFormat(fileName: "animation.gif"))
        #expect(unknown?.description.contains("is not a JPEG, PNG, WebP, HEIC or AVIF image or a PDF document") == true)
        #expect(try await refusal("empty.jpg", Data()) == .empty)
    }

    @Test("A truncated JPEG and a PNG with corrupt data are refused as unreadable")
    func truncatedAndCorrupt() async throws {
        for (name, kind) in [("cut.jpg", "truncated-jpeg"), ("damaged.png", "corrupt-png")] {
            let error = try await refusal(name, try await MediaSample.make(kind))
            guard case .unreadableImage(let fileName, let reason) = error else {
                Issue.record("\(kind): \(String(describing: error))"); continue
            }
            #expect(fileName == name)
            #expect(!reason.isEmpty)
            #expect(error?.description.contains("could not be read as an image") == true)
        }
    }

    @Test("A decompression bomb (a 30000x30000 PNG of one colour, about 100 KB) is refused by its header before any pixel is decoded")
    func decompressionBomb() async throws {
        // setup
        let bomb = try await MediaSample.make("png-bomb")
        #expect(bomb.count < 1_000_000)

        // MUT
        let error = try await refusal("field.png", bomb)

        // validation: refused for its size, which only the header gives (decoded, its 900 million
        // one-byte pixels would take 900 MB; the test process's own peak memory is no measure of
        // that here, as the tests beside it raise it by hundreds of megabytes)
        #expect(error == .tooManyPixels(width: 30000, height: 30000, limit: ImageProcessor.maximumPixels))
        #expect(error?.description.contains("30000 × 30000 pixels, more than the 100 megapixels accepted") == true)
        await #expect(throws: MediaError.tooManyPixels(width: 30000, height: 30000, limit: ImageProcessor.maximumPixels)) {
            _ = try await ImageProcessor.renditions(of: bomb, fileName: "field.png", metadata: ImageMetadata())
        }
    }

    @Test("An attachment to a release that left the editable statuses while its photo was processed is refused in the same transaction, and nothing is stored")
    func statusCheckedInTheTransaction() async throws {
        try await withDraftRelease { settings, hub, releaseID, _ in
            // setup: an editor approved the release meanwhile
            try await hub.writeSQL { sql in
                try await sql.update("releases").set("status", to: ReleaseStatus.published.rawValue).where("id", .equal, releaseID).run()
            }
            let photo = TestMedia.png

            // MUT
            let store = MediaStore(hub: hub, settings: settings)
            await #expect(throws: MediaError.notEditable(status: "published")) {
                _ = try await store.attach(.init(fileName: "late.png", data: photo, alt: "Late"), toRelease: releaseID)
            }

            // validation
            #expect(try await mediaRowCounts(hub.database) == [0, 0, 0])
        }
    }

    @Test("Photos wait their turn for processing, at most sixteen of them; one more is refused as busy; then the queue runs on")
    func processingQueue() async throws {
        // setup: one photo holds the gate until it is let go
        let gate = ProcessingGate()
        let (letGo, holder) = AsyncStream.makeStream(of: Void.self)
        let first = Task { try await gate.withTurn { for await _ in letGo { break }; return 0 } }
        while await !gate.isBusy { await Task.yield() }
        var waiters: [Task<Int, any Error>] = []
        for number in 1...ProcessingGate.maximumWaiting {
            while await gate.waitingCount < number - 1 { await Task.yield() }
            waiters.append(Task { try await gate.withTurn { number } })
        }
        while await gate.waitingCount < ProcessingGate.maximumWaiting { await Task.yield() }

        // MUT
        await #expect(throws: MediaError.busy) { _ = try await gate.withTurn { -1 } }
        holder.yield()
        holder.finish()

        // validation: every waiter ran, in arrival order
        #expect(try await first.value == 0)
        var results: [Int] = []
        for waiter in waiters { results.append(try await waiter.value) }
        #expect(results == Array(1...ProcessingGate.maximumWaiting))
        #expect(await gate.waitingCount == 0)
    }

    @Test("A file over DATELINE_MEDIA_MAX_MB is refused before it is read")
    func overTheSizeLimit() async throws {
        let big = try await MediaSample.make("jpeg") + Data(repeating: 0, count: 1_100_000)
        let error = try await refusal("large.jpg", big) { $0.mediaMaxMegabytes = 1 }
        #expect(error == .tooLarge(bytes: big.count, limit: 1_048_576))
        #expect(error?.description.contains("files up to 1.0 MB are accepted") == true)
    }

    @Test("An SVG is refused, also when named .png")
    func svg() async throws {
        let drawing = Data(#"<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>"#.utf8)
        #expect(try await refusal("logo.svg", drawing) == .svg(fileName: "logo.svg"))
        #expect(try await refusal("logo.png", drawing) == .svg(fileName: "logo.png"))
        #expect(MediaError.svg(fileName: "logo.png").description.contains("Export it as PNG"))
    }

    @Test("A PDF with JavaScript, an OpenAction, a hex-escaped /J#61vaScript, or JavaScript only inside a compressed object stream is refused; a plain one is stored", arguments: [
        "pdf-javascript", "pdf-openaction", "pdf-escaped-name", "pdf-objstm-javascript",
        // the object stream's names escaped, a nested dictionary before `stream`, two filters
        "pdf-objstm-escaped-type", "pdf-objstm-nested-dictionary", "pdf-objstm-two-filters", "pdf-objstm-long-dictionary", "pdf-xfa",
    ])
    func activePDF(kind: String) async throws {
        let pdf = try await MediaSample.make(kind)
        if kind.hasPrefix("pdf-objstm") {
            #expect(pdf.range(of: Data("JavaScript".utf8)) == nil && pdf.range(of: Data("/JS".utf8)) == nil, "the script is only in the compressed stream")
        }
        let error = try await refusal("\(kind).pdf", pdf)
        // A nested dictionary, two filters or a dictionary too long to read back hide the object
        // stream from the inspector: refused as unreadable, the others for what they carry.
        if ["pdf-objstm-nested-dictionary", "pdf-objstm-two-filters", "pdf-objstm-long-dictionary"].contains(kind) {
            #expect(error == .pdfUnreadable(fileName: "\(kind).pdf"))
            #expect(error?.description.contains("could not be checked for scripts") == true)
        } else {
            #expect(error == .pdfWithScript(fileName: "\(kind).pdf"))
            #expect(error?.description.contains("contains JavaScript or actions that run when it opens") == true)
        }
    }

    @Test("A plain PDF passes the same checks and is stored with its one rendition")
    func plainPDF() async throws {
        let pdf = try await MediaSample.make("pdf")
        #expect(!PDFInspector.hasActiveContent(pdf))
        try await withDraftRelease { settings, hub, releaseID, _ in
            let media = try await MediaStore(hub: hub, settings: settings).attach(.init(fileName: "plain.pdf", data: pdf, alt: "Plain"), toRelease: releaseID)
            #expect(media.kind == .document && media.renditions.map(\.name) == [MediaRendition.original])
            #expect(try await mediaRowCounts(hub.database) == [1, 1, 1])
        }
    }

    @Test("dateline attach on a bad file exits 1 with the message and stores nothing; on a good one it attaches")
    func attachCommand() async throws {
        try await withDraftRelease { _, hub, _, slug in
            let location = hub.location
            let files = ["holiday.jpg": try await MediaSample.make("png"), "script.pdf": try await MediaSample.make("pdf-javascript"), "good.png": try await MediaSample.make("png")]
            try await withFiles(files) { folder in
                // MUT + validation: a PNG named .jpg
                let misnamed = try runDateline(["attach", slug, folder.appendingPathComponent("holiday.jpg").path, "--alt", "A holiday"], database: location)
                #expect(misnamed.status == 1)
                #expect(misnamed.errors.contains("holiday.jpg is a PNG image by its content"), "\(misnamed.errors)")
                // a PDF with JavaScript
                let script = try runDateline(["attach", slug, folder.appendingPathComponent("script.pdf").path], database: location)
                #expect(script.status == 1)
                #expect(script.errors.contains("script.pdf contains JavaScript"), "\(script.errors)")
                // a file that is not there
                let missing = try runDateline(["attach", slug, folder.appendingPathComponent("missing.jpg").path], database: location)
                #expect(missing.status == 1)
                #expect(missing.errors.contains("cannot read"), "\(missing.errors)")
                #expect(try await mediaRowCounts(hub.database) == [0, 0, 0])

                let good = try runDateline(["attach", slug, folder.appendingPathComponent("good.png").path, "--alt", "Noise"], database: location)
                #expect(good.status == 0, "\(good.errors)")
                #expect(good.output.contains("Attached good.png (96 × 64 px)"), "\(good.output)")
                #expect(try await mediaRowCounts(hub.database) == [1, 3, 3], "w96 in JPEG and WebP, and og")
            }
        }
    }
}
