import CVips
@testable import DatelineServer
import DatelineCore
import FluentKit
import Foundation
import Testing
import VipsShim

/// Photos through the real libvips: upright, at the promised sizes and types, without place and
/// camera, with credit and copyright; caption and credit read from EXIF, IPTC and XMP.
/// Files are made by Pillow and renditions read back by Pillow (Tests/Tools/media_samples.py).
@Suite("Media processing")
struct MediaProcessingTests {
    /// The stored bytes of every rendition of one attachment, by rendition.
    func blobs(of media: ReleaseMedia, on database: any Database) async throws -> [(MediaRendition, Data)] {
        var result: [(MediaRendition, Data)] = []
        for rendition in media.renditions {
            let blob = try #require(try await MediaBlobModel.find(rendition.id.rawValue, on: database))
            result.append((rendition, blob.bytes))
        }
        return result
    }

    /// IFD0 tags a rendition may carry: Orientation, XResolution, YResolution, ResolutionUnit,
    /// YCbCrPositioning, and the pointer to the Exif IFD.
    static let technicalTags: Set<Int> = [274, 282, 283, 296, 531, 34665]
    /// Exif IFD tags a rendition may carry: ExifVersion, ComponentsConfiguration, FlashpixVersion,
    /// ColorSpace, PixelXDimension, PixelYDimension.
    static let technicalExifIFDTags: Set<Int> = [36864, 37121, 40960, 40961, 40962, 40963]

    @Test("A sideways JPEG with GPS and camera model comes out upright in every rendition, at 480/960/1600 and 1200x630, as JPEG and WebP, with no place or camera and with credit and copyright in XMP")
    func sidewaysPhotoWithLocation() async throws {
        try await withDraftRelease { settings, hub, releaseID, _ in
            // setup: stored 2400x1800 with orientation 6, so upright 1800x2400; GPS, make and model in EXIF
            let photo = try await MediaSample.make("exif-photo")
            let original = try await MediaSample.read(photo)
            #expect(original.orientation == 6 && !original.gps.isEmpty && original.model == "DatelineCam X100", "the sample carries what is to be stripped")

            // MUT
            let media = try await MediaStore(hub: hub, settings: settings)
                .attach(.init(fileName: "meadow.jpg", data: photo, alt: "A flooded meadow"), toRelease: releaseID)

            // validation: the attachment is upright, its text read from EXIF
            #expect(media.kind == .image)
            #expect(media.width == 1800 && media.height == 2400, "upright size: \(String(describing: media.width))x\(String(describing: media.height))")
            #expect(media.caption == "Flooded meadow at dawn")
            #expect(media.credit == "Ana Example")
            #expect(media.copyright == "(c) 2026 Rivers Trust")
            let shapes = media.renditions.map { "\($0.name) \($0.mediaType) \($0.width ?? 0)x\($0.height ?? 0)" }.sorted()
            #expect(shapes == [
                "og image/jpeg 1200x630",
                "w1600 image/jpeg 1600x2133", "w1600 image/webp 1600x2133",
                "w480 image/jpeg 480x640", "w480 image/webp 480x640",
                "w960 image/jpeg 960x1280", "w960 image/webp 960x1280",
            ], "\(shapes)")
            #expect(try await mediaRowCounts(hub.database) == [1, 7, 7])

            for (rendition, bytes) in try await blobs(of: media, on: hub.database) {
                let label = "\(rendition.name) \(rendition.mediaType)"
                #expect(rendition.byteSize == bytes.count, "\(label)")
                // The type by the bytes, not by the label.
                if rendition.mediaType == "image/jpeg" {
                    #expect(MediaFormat.sniff(bytes) == .jpeg, "\(label)")
                } else {
                    #expect(MediaFormat.sniff(bytes) == .webp, "\(label)")
                }
                let seen = try await MediaSample.read(bytes)
                #expect(seen.format == (rendition.mediaType == "image/jpeg" ? "JPEG" : "WEBP"), "\(label)")
                #expect(seen.width == rendition.width && seen.height == rendition.height, "\(label): Pillow reads \(seen.width)x\(seen.height)")
                // Upright: the stored top (red) is now the right side, the stored bottom (blue) the left.
                #expect(seen.right[0] > 200 && seen.right[2] < 60, "\(label): right side \(seen.right)")
                #expect(seen.left[2] > 200 && seen.left[0] < 60, "\(label): left side \(seen.left)")
                #expect(seen.orientation == 1, "\(label) says no turn")
                #expect(seen.gps.isEmpty, "\(label) still has GPS \(seen.gps)")
                #expect(seen.model.isEmpty, "\(label) still names the camera")
                // libvips writes a minimal EXIF block of its own (orientation 1, resolution, the
                // Exif IFD with its version and colour space); nothing of the camera's is left.
                #expect(Set(seen.exifTags).isSubset(of: Self.technicalTags), "\(label) keeps EXIF tags \(seen.exifTags)")
                #expect(Set(seen.exifIFDTags).isSubset(of: Self.technicalExifIFDTags), "\(label) keeps Exif IFD tags \(seen.exifIFDTags)")
                #expect(bytes.range(of: Data("DatelineCam".utf8)) == nil && bytes.range(of: Data("DatelineMake".utf8)) == nil, "\(label) carries the camera in its bytes")
                #expect(seen.xmp.contains("<photoshop:Credit>Ana Example</photoshop:Credit>"), "\(label) XMP: \(seen.xmp)")
                #expect(seen.xmp.contains("(c) 2026 Rivers Trust</rdf:li>"), "\(label) XMP: \(seen.xmp)")
                #expect(!seen.xmp.contains("Flooded meadow"), "\(label): only credit and copyright are written back")
            }
        }
    }

    @Test("Caption, credit and copyright are prefilled from EXIF, from IPTC and from XMP; what the writer typed wins", arguments: [
        ("exif-caption", "Flooded meadow at dawn", "Ana Example", "(c) 2026 Rivers Trust"),
        ("iptc-caption", "Volunteers plant reeds on the bank", "Rivers Trust / Ben Example", "Rivers Trust 2026"),
        ("xmp-caption", "Heron & egret on the weir", "Wetland Press", "CC BY 4.0 Wetland Press"),
    ])
    func prefilled(kind: String, caption: String, credit: String, copyright: String) async throws {
        try await withDraftRelease { settings, hub, releaseID, _ in
            // setup
            let file = try await MediaSample.make(kind)
            let store = MediaStore(hub: hub, settings: settings)

            // MUT
            let fromFile = try await store.attach(.init(fileName: "\(kind).jpg", data: file, alt: "Reeds"), toRelease: releaseID)
            let typed = try await store.attach(.init(fileName: "\(kind).jpg", data: file, alt: "Reeds", caption: "Typed caption", credit: "Typed credit"), toRelease: releaseID)

            // validation
            #expect(fromFile.caption == caption)
            #expect(fromFile.credit == credit)
            #expect(fromFile.copyright == copyright)
            #expect(typed.caption == "Typed caption")
            #expect(typed.credit == "Typed credit")
            #expect(typed.copyright == copyright, "the copyright is the file's own")
            let og = try #require(fromFile.openGraph)
            let bytes = try #require(try await MediaBlobModel.find(og.id.rawValue, on: hub.database)).bytes
            let seen = try await MediaSample.read(bytes)
            #expect(seen.xmp.contains(credit.replacingOccurrences(of: "&", with: "&amp;")), "\(seen.xmp)")
        }
    }

    /// An IPTC-IIM dataset: tag 0x1C, record, dataset, length (2 bytes, big-endian), value.
    func dataset(_ record: UInt8, _ number: UInt8, _ text: String) -> [UInt8] {
        let value = Array(text.utf8)
        return [0x1C, record, number, UInt8(value.count >> 8), UInt8(value.count & 0xFF)] + value
    }

    /// A Photoshop image resource block ("8BIM", id, empty name, size, data padded to even).
    func resource(_ id: UInt16, _ data: [UInt8]) -> [UInt8] {
        let size = UInt32(data.count)
        return Array("8BIM".utf8) + [UInt8(id >> 8), UInt8(id & 0xFF), 0, 0]
            + [UInt8(size >> 24), UInt8(size >> 16 & 0xFF), UInt8(size >> 8 & 0xFF), UInt8(size & 0xFF)]
            + data + (data.count % 2 == 1 ? [0] : [])
    }

    @Test("IPTC is read from a Photoshop APP13 block whatever its sizes and other resources hold, and from bare IIM")
    func iptcBlocks() {
        // setup: IIM of exactly 28 (0x1C) bytes, so the resource's size ends with the IIM tag byte,
        // behind a resource of binary data full of 0x1C bytes (a thumbnail's, say)
        let iim = dataset(2, 120, "Reeds on a bank") + dataset(2, 110, "Ben")
        #expect(iim.count == 28)
        let binary = [UInt8](repeating: 0x1C, count: 40) + [0x1C, 0x02, 0x78, 0x00, 0x03] + Array("BAD".utf8)
        let photoshop = Array("Photoshop 3.0\0".utf8) + resource(0x040C, binary) + resource(0x0404, iim)

        // MUT + validation
        let read = ImageMetadata.readIPTC(Data(photoshop))
        #expect(read.caption == "Reeds on a bank")
        #expect(read.credit == "Ben")
        let bare = ImageMetadata.readIPTC(Data(dataset(1, 90, "\u{1B}%G") + dataset(2, 80, "Ann By-line") + dataset(2, 116, "Ann 2026") + dataset(2, 120, "Bare caption")))
        #expect(bare == ImageMetadata(caption: "Bare caption", credit: "Ann By-line", copyright: "Ann 2026"))
        // Latin-1 text (no coded character set) is read as Latin-1.
        let latin = ImageMetadata.readIPTC(Data([0x1C, 2, 120, 0, 4] + [0x43, 0x61, 0x66, 0xE9]))
        #expect(latin.caption == "Café")
        // Cut short: what is whole is read, nothing else.
        let cut = ImageMetadata.readIPTC(Data((dataset(2, 120, "Whole") + dataset(2, 110, "Cut short")).dropLast(3)))
        #expect(cut == ImageMetadata(caption: "Whole"))
    }

    @Test("AVIF (made by Pillow) and HEIC (made by pillow-heif) are read by libvips through libheif and attached with JPEG and WebP renditions", arguments: [
        ("avif", MediaFormat.avif), ("heic", MediaFormat.heic),
    ])
    func heifFormats(kind: String, format: MediaFormat) async throws {
        try await withDraftRelease { settings, hub, releaseID, _ in
            // setup
            let file = try await MediaSample.make(kind)
            #expect(MediaFormat.sniff(file) == format)
            #expect(dl_vips_start(1) == 0)
            let loader = file.withUnsafeBytes { vips_foreign_find_load_buffer($0.baseAddress, $0.count).map { String(cString: $0) } }
            #expect(loader == "VipsForeignLoadHeifBuffer", "libvips' loader for \(kind): \(String(describing: loader))")

            // MUT
            let media = try await MediaStore(hub: hub, settings: settings).attach(.init(fileName: "reeds.\(kind)", data: file, alt: "Reeds"), toRelease: releaseID)

            // validation
            #expect(media.mediaType == format.mediaType)
            #expect(media.width == 640 && media.height == 400)
            let shapes = media.renditions.map { "\($0.name) \($0.mediaType) \($0.width ?? 0)x\($0.height ?? 0)" }.sorted()
            #expect(shapes == ["og image/jpeg 640x400", "w480 image/jpeg 480x300", "w480 image/webp 480x300", "w640 image/jpeg 640x400", "w640 image/webp 640x400"], "\(shapes)")
            for rendition in media.renditions {
                let bytes = try #require(try await MediaBlobModel.find(rendition.id.rawValue, on: hub.database)).bytes
                #expect(MediaFormat.sniff(bytes) == (rendition.mediaType == "image/jpeg" ? .jpeg : .webp))
                let seen = try await MediaSample.read(bytes)
                #expect(seen.width == rendition.width && seen.height == rendition.height)
            }
        }
    }
}
