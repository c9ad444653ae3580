import Foundation

/// What an uploaded file is, judged by its first bytes only (never by its name or declared
/// type), and whether its name agrees.
public enum MediaFormat: String, Sendable, CaseIterable {
    case jpeg, png, webp, heic, avif, pdf

    var mediaType: String {
        switch self {
        case .jpeg: "image/jpeg"
        case .png: "image/png"
        case .webp: "image/webp"
        case .heic: "image/heic"
        case .avif: "image/avif"
        case .pdf: "application/pdf"
        }
    }

    var isImage: Bool { self != .pdf }

    /// The name extensions a file of this format may carry, lowercased.
    var extensions: Set<String> {
        switch self {
        case .jpeg: ["jpg", "jpeg", "jpe", "jfif"]
        case .png: ["png"]
        case .webp: ["webp"]
        case .heic: ["heic", "heif", "hif"]
        case .avif: ["avif"]
        case .pdf: ["pdf"]
        }
    }

    var displayName: String {
        switch self {
        case .jpeg: "a JPEG image"
        case .png: "a PNG image"
        case .webp: "a WebP image"
        case .heic: "a HEIC image"
        case .avif: "an AVIF image"
        case .pdf: "a PDF document"
        }
    }

    /// The format of `data` by its signature (JPEG SOI, PNG signature, RIFF/WEBP, ISO BMFF
    /// `ftyp` brands, `%PDF-`); nil for anything else, SVG and other text included.
    static func sniff(_ data: Data) -> MediaFormat? {
        let bytes = [UInt8](data.prefix(32))
        func starts(_ prefix: [UInt8], at offset: Int = 0) -> Bool {
            bytes.count >= offset + prefix.count && Array(bytes[offset..<(offset + prefix.count)]) == prefix
        }
        if starts([0xFF, 0xD8, 0xFF]) { return .jpeg }
        if starts([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return .png }
        if starts(Array("RIFF".utf8)), starts(Array("WEBP".utf8), at: 8) { return .webp }
        if starts(Array("%PDF-".utf8)) { return .pdf }
        if starts(Array("ftyp".utf8), at: 4), bytes.count >= 12 {
            let brand = String(decoding: bytes[8..<12], as: UTF8.self)
            if ["avif", "avis"].contains(brand) { return .avif }
            if ["heic", "heix", "heim", "heis", "hevc", "hevx", "mif1", "msf1"].contains(brand) { return .heic }
        }
        return nil
    }

    /// The lowercased extension of a file name, nil when it has none.
    static func nameExtension(_ fileName: String) -> String? {
        let name = (fileName as NSString).lastPathComponent
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return nil }
        let ext = name[name.index(after: dot)...].lowercased()
        return ext.isEmpty ? nil : ext
    }
}
