import Foundation

/// Why an upload was refused, said so the writer knows what to do. Nothing is stored when one
/// is thrown.
public enum MediaError: Error, Equatable, CustomStringConvertible {
    case empty
    case tooLarge(bytes: Int, limit: Int)
    case unknownFormat(fileName: String)
    case svg(fileName: String)
    case nameDisagrees(fileName: String, actual: MediaFormat)
    case tooManyPixels(width: Int, height: Int, limit: Int)
    case unreadableImage(fileName: String, reason: String)
    case pdfWithScript(fileName: String)
    /// A PDF whose compressed structure could not be read, so it could not be checked for scripts.
    case pdfUnreadable(fileName: String)
    case altRequired
    /// Submitting or publishing a release with images that have no alt text.
    case altMissing(count: Int)
    case altTooLong
    case notFound
    /// Too many photos are waiting to be processed in this process.
    case busy
    case notEditable(status: String)

    public var description: String {
        switch self {
        case .empty:
            "The file is empty. Choose the photo or PDF again."
        case .tooLarge(let bytes, let limit):
            "The file is \(Self.megabytes(bytes)); files up to \(Self.megabytes(limit)) are accepted. Send a smaller file (a photo of about 12 megapixels is enough for any rendition)."
        case .unknownFormat(let name):
            "\(name) is not a JPEG, PNG, WebP, HEIC or AVIF image or a PDF document by its content. Export it in one of those formats and attach it again."
        case .svg(let name):
            "\(name) is an SVG drawing, which can carry scripts; it is not accepted. Export it as PNG and attach that."
        case .nameDisagrees(let name, let actual):
            "\(name) is \(actual.displayName) by its content, but its name says otherwise. Check that this is the file you meant, rename it .\(actual.extensions.sorted().first ?? ""), and attach it again."
        case .tooManyPixels(let width, let height, let limit):
            "The image is \(width) × \(height) pixels, more than the \(limit / 1_000_000) megapixels accepted. Scale it down and attach it again."
        case .unreadableImage(let name, let reason):
            "\(name) could not be read as an image (\(reason)); it may be cut short or damaged. Export it again and attach the new file."
        case .pdfWithScript(let name):
            "\(name) contains JavaScript or actions that run when it opens; such PDFs are not accepted. Save it again without scripts (\"Print to PDF\" does) and attach that."
        case .pdfUnreadable(let name):
            "\(name) stores its structure in a way Dateline cannot read, so it could not be checked for scripts, and is not accepted. Save it again (\"Print to PDF\" does) and attach that."
        case .altRequired:
            "An image needs alt text: say in a sentence what it shows, for readers who cannot see it."
        case .altMissing(let count):
            "\(count == 1 ? "An image has" : "\(count) images have") no alt text. Say what each shows, for readers who cannot see it, then send the release again."
        case .altTooLong:
            "Alt text is at most 1,000 characters; put the rest in the caption."
        case .busy:
            "Many photos are being processed right now. Send this one again in a minute."
        case .notFound:
            "No such attachment on this release."
        case .notEditable(let status):
            "A \(status) release's attachments cannot be changed here."
        }
    }

    private static func megabytes(_ bytes: Int) -> String {
        String(format: "%.1f MB", Double(bytes) / 1_048_576)
    }
}
