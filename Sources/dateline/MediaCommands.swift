import ArgumentParser
import DatelineServer
import Foundation

/// `dateline attach SLUG FILE [--alt TEXT] [--caption TEXT] [--credit TEXT] [--lead]`.
struct Attach: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Attach a photo (JPEG, PNG, WebP, HEIC, AVIF) or a PDF to a release.",
        discussion: """
            The file is checked by its content, photos are made into renditions (their place and camera \
            metadata removed), and the attachment follows the release's others. Caption and credit \
            left out are taken from the photo's own IPTC, XMP or EXIF fields. A photo needs alt text \
            before its release can be submitted or published.
            """
    )

    @Argument(help: "The release's slug or id.") var release: String
    @Argument(help: "The photo or PDF file.") var file: String
    @Option(help: "What the photo shows, for readers who cannot see it (a document's title).") var alt: String?
    @Option(help: "The caption shown under the photo.") var caption: String?
    @Option(help: "Who took the photo, or whose it is.") var credit: String?
    @Flag(help: "Make the photo the release's lead image.") var lead = false

    func run() async throws {
        let data: Data
        do {
            // The size limit first, so that a huge file is not read to be refused.
            let settings = try loadSettings()
            let size = (try FileManager.default.attributesOfItem(atPath: file)[.size] as? Int) ?? 0
            if size > settings.mediaMaxMegabytes * 1_048_576 {
                printError("dateline attach: \(MediaError.tooLarge(bytes: size, limit: settings.mediaMaxMegabytes * 1_048_576))")
                throw ExitCode.failure
            }
            data = try Data(contentsOf: URL(fileURLWithPath: file))
        } catch let exit as ExitCode {
            throw exit
        } catch {
            printError("dateline attach: cannot read \(file): \(error.localizedDescription)")
            throw ExitCode.failure
        }
        try await withDatabase("attach") { settings, hub in
            let upload = MediaStore.Upload(fileName: file, data: data, alt: alt, caption: caption, credit: credit, isLead: lead)
            let media = try await MediaStore(hub: hub, settings: settings).attach(upload, toReleaseNamed: release)
            let size = media.width.map { " (\($0) × \(media.height ?? 0) px)" } ?? ""
            print("Attached \(media.fileName)\(size) to \(release) as \(media.kind.rawValue) \(media.id)\(media.isLead ? ", its lead image" : "").")
            if media.kind == .image && media.alt.isEmpty {
                print("It has no alt text yet: add it in the newsroom before the release is submitted.")
            }
        }
    }
}
