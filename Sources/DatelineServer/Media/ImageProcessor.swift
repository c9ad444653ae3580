import CVips
import Foundation
import NIOPosix
import VipsShim

/// Turns an uploaded image into the renditions Dateline serves, with libvips (Debian's
/// libvips-dev): decoded with shrink-on-load, turned upright by its EXIF orientation, resized
/// (never enlarged) to each width in JPEG and WebP, and cropped to 1200×630 for link previews.
/// Every rendition loses the file's metadata (place, camera, dates) but the credit and copyright,
/// which are written back as XMP. One image is processed at a time, on NIO's thread pool, off
/// the event loops, with one libvips thread: memory stays bounded by one image's shrunk decode.
enum ImageProcessor {
    /// The widths made, in pixels.
    static let widths = [480, 960, 1600]
    /// The Open Graph crop (Facebook's and LinkedIn's recommended 1.91:1).
    static let openGraphSize = (width: 1200, height: 630)
    /// Images above this many pixels are refused before any pixel is decoded.
    static let maximumPixels = 100_000_000
    static let jpegQuality: Int32 = 82
    static let webpQuality: Int32 = 78

    /// What an image is, read from its header alone.
    struct Inspection: Sendable {
        var width: Int
        var height: Int
        var metadata: ImageMetadata
    }

    /// One encoded rendition.
    struct Output: Sendable {
        var name: String
        var mediaType: String
        var width: Int
        var height: Int
        var bytes: Data
    }

    /// The image's size and its caption, credit and copyright, from the header only.
    /// - Throws: ``MediaError/unreadableImage(fileName:reason:)`` or ``MediaError/tooManyPixels(width:height:limit:)``.
    static func inspect(_ data: Data, fileName: String) async throws -> Inspection {
        try await run { try inspectNow(data, fileName: fileName) }
    }

    /// Every rendition of the image (widths × JPEG and WebP, then the Open Graph crop, as JPEG).
    /// - Throws: ``MediaError/unreadableImage(fileName:reason:)`` for an image libvips cannot decode
    ///   whole (truncated or corrupt), ``MediaError/tooManyPixels(width:height:limit:)``.
    static func renditions(of data: Data, fileName: String, metadata: ImageMetadata) async throws -> [Output] {
        try await run {
            let inspection = try inspectNow(data, fileName: fileName)
            let xmp = metadata.xmpPacket
            var outputs: [Output] = []
            // Each width below the image's own, and the image's own when it is narrower than the
            // widest: a 1200-pixel photo gets 480, 960 and 1200; a 300-pixel one only 300.
            var widths = Self.widths.filter { $0 < inspection.width }
            if inspection.width < Self.widths.last! { widths.append(inspection.width) }
            // One decode of the upload, at the widest rendition's size; the smaller renditions and
            // the crop are made from it in memory. (A panorama too low for the crop at that size
            // has its crop made from the upload.)
            let widest = widths.max()!
            let base = try thumbnail(data, width: widest, height: 0, crop: false, fileName: fileName)
            defer { dl_vips_unref(base) }
            for width in widths.sorted() {
                let image: UnsafeMutablePointer<VipsImage>
                if width == widest {
                    image = base
                } else {
                    guard let smaller = dl_vips_resize(base, Int32(width), 0, 0) else { throw MediaError.unreadableImage(fileName: fileName, reason: lastError()) }
                    image = smaller
                }
                defer { if image != base { dl_vips_unref(image) } }
                outputs += try encode(image, name: "w\(width)", webp: true, xmp: xmp, fileName: fileName)
            }
            let baseCoversCrop = Int(dl_vips_height(base)) >= min(openGraphSize.height, inspection.height)
                && Int(dl_vips_width(base)) >= min(openGraphSize.width, inspection.width)
            let crop: UnsafeMutablePointer<VipsImage>
            if baseCoversCrop {
                guard let made = dl_vips_resize(base, Int32(openGraphSize.width), Int32(openGraphSize.height), 1) else { throw MediaError.unreadableImage(fileName: fileName, reason: lastError()) }
                crop = made
            } else {
                crop = try thumbnail(data, width: openGraphSize.width, height: openGraphSize.height, crop: true, fileName: fileName)
            }
            defer { dl_vips_unref(crop) }
            outputs += try encode(crop, name: "og", webp: false, xmp: xmp, fileName: fileName)
            return outputs
        }
    }

    // MARK: libvips

    /// `image` without the upload's metadata (but `xmp`), as JPEG, and as WebP when `webp`.
    private static func encode(_ image: UnsafeMutablePointer<VipsImage>, name: String, webp: Bool, xmp: Data?, fileName: String) throws -> [Output] {
        dl_vips_replace_metadata(image, xmp.map { String(decoding: $0, as: UTF8.self) }, xmp?.count ?? 0)
        let (width, height) = (Int(dl_vips_width(image)), Int(dl_vips_height(image)))
        var outputs = [Output(name: name, mediaType: "image/jpeg", width: width, height: height, bytes: try save(image, format: 0, quality: jpegQuality, fileName: fileName))]
        if webp {
            outputs.append(Output(name: name, mediaType: "image/webp", width: width, height: height, bytes: try save(image, format: 1, quality: webpQuality, fileName: fileName)))
        }
        return outputs
    }

    /// One image at a time, on NIO's thread pool.
    private static let gate = ProcessingGate()

    private static func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await gate.withTurn {
            try await NIOThreadPool.singleton.runIfActive {
                guard dl_vips_start(1) == 0 else { throw MediaError.unreadableImage(fileName: "", reason: "the image library did not start: \(lastError())") }
                return try work()
            }
        }
    }

    private static func inspectNow(_ data: Data, fileName: String) throws -> Inspection {
        // The header's image reads from the upload's bytes (libvips does not copy them), so
        // everything is read from it while they are lent.
        try data.withUnsafeBytes { buffer in
            var width: Int32 = 0, height: Int32 = 0
            var loader = [CChar](repeating: 0, count: 64)
            guard let image = dl_vips_header(buffer.baseAddress, buffer.count, &width, &height, &loader, loader.count) else {
                throw MediaError.unreadableImage(fileName: fileName, reason: lastError())
            }
            defer { dl_vips_unref(image) }
            guard Int(width) * Int(height) <= maximumPixels else {
                throw MediaError.tooManyPixels(width: Int(width), height: Int(height), limit: maximumPixels)
            }
            var exif: [String: String] = [:]
            for name in ["exif-ifd0-ImageDescription", "exif-ifd0-Artist", "exif-ifd0-Copyright"] {
                var text = [CChar](repeating: 0, count: 2048)
                if dl_vips_get_string(image, name, &text, text.count) == 0 { exif[name] = String(cString: text) }
            }
            let metadata = ImageMetadata(xmp: blob(image, "xmp-data"), iptc: blob(image, "iptc-data"), exif: exif)
            // Orientations 5 to 8 turn the image a quarter: its upright width is its stored height.
            var orientation: Int32 = 1
            if vips_image_get_typeof(image, "orientation") != 0 { _ = vips_image_get_int(image, "orientation", &orientation) }
            let quarterTurned = (5...8).contains(Int(orientation))
            return Inspection(width: Int(quarterTurned ? height : width), height: Int(quarterTurned ? width : height), metadata: metadata)
        }
    }

    private static func blob(_ image: UnsafeMutablePointer<VipsImage>?, _ name: String) -> Data? {
        var pointer: UnsafeRawPointer?
        var length = 0
        guard dl_vips_get_blob(image, name, &pointer, &length) == 0, let pointer, length > 0 else { return nil }
        return Data(bytes: pointer, count: length)
    }

    private static func thumbnail(_ data: Data, width: Int, height: Int, crop: Bool, fileName: String) throws -> UnsafeMutablePointer<VipsImage> {
        let image = data.withUnsafeBytes { buffer in
            dl_vips_thumbnail(buffer.baseAddress, buffer.count, Int32(width), Int32(height), crop ? 1 : 0)
        }
        guard let image else { throw MediaError.unreadableImage(fileName: fileName, reason: lastError()) }
        return image
    }

    private static func save(_ image: UnsafeMutablePointer<VipsImage>, format: Int32, quality: Int32, fileName: String) throws -> Data {
        var pointer: UnsafeMutableRawPointer?
        var length = 0
        guard dl_vips_save(image, format, quality, &pointer, &length) == 0, let pointer else {
            throw MediaError.unreadableImage(fileName: fileName, reason: lastError())
        }
        defer { dl_vips_free(pointer) }
        return Data(bytes: pointer, count: length)
    }

    private static func lastError() -> String {
        var buffer = [CChar](repeating: 0, count: 512)
        dl_vips_error(&buffer, buffer.count)
        let text = String(cString: buffer).split(separator: "\n").first.map(String.init) ?? ""
        return text.isEmpty ? "unknown error" : text
    }
}

/// Lets one image be processed at a time; the others wait their turn in arrival order, at most
/// ``maximumWaiting`` of them (each holds its upload): one more is refused with
/// ``MediaError/busy``, to be sent again a little later.
actor ProcessingGate {
    static let maximumWaiting = 16
    private var busy = false
    private var waiting: [CheckedContinuation<Void, Never>] = []

    /// How many wait for their turn now, and whether a photo is being processed.
    var waitingCount: Int { waiting.count }
    var isBusy: Bool { busy }

    func withTurn<T: Sendable>(_ work: @Sendable () async throws -> T) async throws -> T {
        if busy {
            guard waiting.count < Self.maximumWaiting else { throw MediaError.busy }
            await withCheckedContinuation { waiting.append($0) }
        } else {
            busy = true
        }
        defer {
            if waiting.isEmpty { busy = false } else { waiting.removeFirst().resume() }
        }
        return try await work()
    }
}
