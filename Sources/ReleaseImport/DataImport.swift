import Foundation

extension ReleaseImporter {
    /// Extracts a release from a file's bytes, whatever its format: a saved web page
    /// (recognised by its content — `<!doctype html`, `<html`, `<head`, `<body` near the start —
    /// never by file name) or plain text.
    ///
    /// Web pages are decoded with the encoding their byte-order mark, `<meta charset>` or
    /// XML declaration names (WHATWG sniffing; undeclared pages are read as UTF-8, or as
    /// Windows-1252 when they are not valid UTF-8), parsed with libxml2's HTML parser, and
    /// stripped of navigation, scripts, styles, forms and widgets before the text extractor
    /// runs; JSON-LD, Open Graph, `<time>` and `<html lang>` values then fill the fields.
    /// Text goes through `decodeText(_:)` and `extract(text:)`.
    ///
    /// - Parameters:
    ///   - data: the file's bytes.
    ///   - maximumBytes: the largest input accepted, in bytes (default `ReleaseImporter.maximumBytes`).
    /// - Throws: `ImportError.tooLarge(limit:)` above `maximumBytes`, `.empty` for no text, and for
    ///   text input the errors of `decodeText(_:)` (`.binary`, `.invalidUTF8`).
    public static func extract(data: Data, maximumBytes: Int = ReleaseImporter.maximumBytes) throws(ImportError) -> ImportedRelease {
        if data.isEmpty { throw .empty }
        if data.count > maximumBytes { throw .tooLarge(limit: maximumBytes) }
        let bytes = [UInt8](data)
        switch InputDetector.kind(of: bytes) {
        case .text:
            return extract(text: try decodeText(data))
        case .html:
            let encoding = TextEncodingSniffer.parserLabel(for: bytes)
            guard let page = HTMLDocumentReader.read(bytes, encoding: encoding), !page.lines.isEmpty || page.headline != nil else {
                throw .empty
            }
            return HTMLReleaseExtractor.extract(page)
        }
    }
}

extension ReleaseImporter {
    /// The text lines the HTML path hands to the text extractor, for diagnosing a page
    /// (`dateline import --page-text FILE`). Text input comes back as it is.
    public static func debugPageText(_ data: Data) -> String {
        let bytes = [UInt8](data)
        guard InputDetector.kind(of: bytes) == .html else { return (try? decodeText(data)) ?? "" }
        guard let page = HTMLDocumentReader.read(bytes, encoding: TextEncodingSniffer.parserLabel(for: bytes)) else { return "" }
        return "HEADLINE: \(page.headline ?? "-")\nLANG: \(page.language ?? "-")\nMETA: \(PageMetadata(page: page))\n----\n" + page.lines.joined(separator: "\n") + "\n"
    }
}
