import Foundation

/// The caption, credit and copyright an image file says about itself, read from its EXIF
/// (TIFF tags ImageDescription, Artist, Copyright), IPTC-IIM (2:120 Caption-Abstract,
/// 2:110 Credit, 2:80 By-line, 2:116 Copyright Notice) and XMP (dc:description,
/// photoshop:Credit, dc:creator, dc:rights) fields; XMP first, then IPTC, then EXIF. Used to
/// prefill the upload's fields, and written back (credit and copyright only) into the renditions.
struct ImageMetadata: Equatable, Sendable {
    var caption: String?
    var credit: String?
    var copyright: String?

    /// Combines the three sources, the first that has a field winning.
    init(xmp: Data?, iptc: Data?, exif: [String: String]) {
        let fromXMP = xmp.map(Self.readXMP) ?? ImageMetadata()
        let fromIPTC = iptc.map(Self.readIPTC) ?? ImageMetadata()
        let fromEXIF = ImageMetadata(
            caption: exif["exif-ifd0-ImageDescription"].flatMap(Self.exifValue),
            credit: exif["exif-ifd0-Artist"].flatMap(Self.exifValue),
            copyright: exif["exif-ifd0-Copyright"].flatMap(Self.exifValue).flatMap(Self.photographersCopyright)
        )
        caption = fromXMP.caption ?? fromIPTC.caption ?? fromEXIF.caption
        credit = fromXMP.credit ?? fromIPTC.credit ?? fromEXIF.credit
        copyright = fromXMP.copyright ?? fromIPTC.copyright ?? fromEXIF.copyright
    }

    init(caption: String? = nil, credit: String? = nil, copyright: String? = nil) {
        self.caption = Self.clean(caption)
        self.credit = Self.clean(credit)
        self.copyright = Self.clean(copyright)
    }

    /// libvips shows an EXIF string as `VALUE (VALUE, ASCII, 9 components, 9 bytes)`, the value
    /// twice: the value (found as the text that the parenthesis repeats).
    static func exifValue(_ shown: String) -> String? {
        var search = shown.startIndex
        while let open = shown.range(of: " (", range: search..<shown.endIndex) {
            let value = shown[..<open.lowerBound]
            if !value.isEmpty, shown[open.upperBound...].hasPrefix(value) { return clean(String(value)) }
            search = open.upperBound
        }
        return clean(shown)
    }

    /// libexif shows the Copyright tag as `PHOTOGRAPHER (Photographer) - EDITOR (Editor)`, with
    /// `[None]` for a missing part: the photographer's notice, else the editor's.
    static func photographersCopyright(_ shown: String) -> String? {
        guard let match = shown.firstMatch(of: /^(?<photographer>.*) \(Photographer\) - (?<editor>.*?)( \(Editor\))?$/) else { return clean(shown) }
        let photographer = String(match.photographer), editor = String(match.editor)
        if photographer != "[None]" { return clean(photographer) }
        return editor == "[None]" ? nil : clean(editor)
    }

    /// IPTC-IIM records: `0x1C record dataset length(2, big-endian) value`; UTF-8 or Latin-1 text.
    /// `data` is either bare IIM or, as libvips hands a JPEG's APP13 segment, a Photoshop 3.0
    /// image resource block whose resource 0x0404 holds the IIM: the resources are walked by their
    /// sizes, so bytes of other resources (a thumbnail's) are never taken for records.
    static func readIPTC(_ data: Data) -> ImageMetadata {
        var fields: [UInt8: String] = [:]
        let all = [UInt8](data)
        let bytes = photoshopIPTC(all) ?? all[...]
        var index = bytes.startIndex
        while index + 5 <= bytes.endIndex, bytes[index] == 0x1C {
            let record = bytes[index + 1], dataset = bytes[index + 2]
            let length = Int(bytes[index + 3]) << 8 | Int(bytes[index + 4])
            // Extended lengths (high bit set) are for binary data, never these text fields.
            guard length & 0x8000 == 0, index + 5 + length <= bytes.endIndex else { break }
            if record == 2, fields[dataset] == nil {
                let value = Array(bytes[(index + 5)..<(index + 5 + length)])
                fields[dataset] = String(validating: value, as: UTF8.self) ?? String(decoding: value.map { UInt16($0) }, as: UTF16.self)
            }
            index += 5 + length
        }
        return ImageMetadata(caption: fields[120], credit: fields[110] ?? fields[80], copyright: fields[116])
    }

    /// The data of resource 0x0404 (IPTC-NAA) in a Photoshop 3.0 block (`Photoshop 3.0\0`, then
    /// resources: signature(4) id(2) Pascal name padded to even, size(4), data padded to even);
    /// empty when the block has none, nil when `bytes` is no such block.
    static func photoshopIPTC(_ bytes: [UInt8]) -> ArraySlice<UInt8>? {
        let header = Array("Photoshop 3.0\0".utf8)
        guard bytes.starts(with: header) else { return nil }
        var index = header.count
        while index + 7 <= bytes.count {
            let id = Int(bytes[index + 4]) << 8 | Int(bytes[index + 5])
            let nameLength = 1 + Int(bytes[index + 6])
            let sizeAt = index + 6 + nameLength + nameLength % 2
            guard sizeAt + 4 <= bytes.count else { break }
            let size = bytes[sizeAt..<(sizeAt + 4)].reduce(0) { $0 << 8 | Int($1) }
            let start = sizeAt + 4
            guard size >= 0, start + size <= bytes.count else { break }
            if id == 0x0404 { return bytes[start..<(start + size)] }
            index = start + size + size % 2
        }
        return []
    }

    /// The XMP fields, found by their element names (the packet is RDF/XML; its values are text
    /// or an `rdf:Alt`/`rdf:Seq` of `rdf:li`).
    static func readXMP(_ data: Data) -> ImageMetadata {
        let text = String(decoding: data, as: UTF8.self)
        func element(_ name: String) -> String? {
            guard let open = text.range(of: "<\(name)"), let start = text[open.upperBound...].range(of: ">"),
                  let close = text[start.upperBound...].range(of: "</\(name)>") else {
                // An attribute form: photoshop:Credit="...".
                guard let attribute = text.range(of: "\(name)=\"") , let end = text[attribute.upperBound...].firstIndex(of: "\"") else { return nil }
                return unescape(String(text[attribute.upperBound..<end]))
            }
            var inner = String(text[start.upperBound..<close.lowerBound])
            if let li = inner.range(of: "<rdf:li"), let liStart = inner[li.upperBound...].range(of: ">"),
               let liEnd = inner[liStart.upperBound...].range(of: "</rdf:li>") {
                inner = String(inner[liStart.upperBound..<liEnd.lowerBound])
            }
            return unescape(inner)
        }
        return ImageMetadata(caption: element("dc:description"), credit: element("photoshop:Credit") ?? element("dc:creator"), copyright: element("dc:rights"))
    }

    /// The XMP packet written into renditions: the credit and copyright, nothing else.
    var xmpPacket: Data? {
        guard credit != nil || copyright != nil else { return nil }
        var description = ""
        if let credit { description += "<photoshop:Credit>\(Self.escape(credit))</photoshop:Credit>" }
        if let copyright { description += "<dc:rights><rdf:Alt><rdf:li xml:lang=\"x-default\">\(Self.escape(copyright))</rdf:li></rdf:Alt></dc:rights>" }
        let packet = """
            <?xpacket begin="\u{FEFF}" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\
            <rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/">\(description)</rdf:Description>\
            </rdf:RDF></x:xmpmeta><?xpacket end="w"?>
            """
        return Data(packet.utf8)
    }

    private static func clean(_ text: String?) -> String? {
        guard let text else { return nil }
        let cleaned = PlainText.clean(text).trimmingCharacters(in: .whitespacesAndNewlines)
        return cleaned.isEmpty ? nil : String(cleaned.prefix(1000))
    }

    private static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    private static func unescape(_ text: String) -> String {
        text.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&apos;", with: "'")
            .replacingOccurrences(of: "&amp;", with: "&")
    }
}
