import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// An element of an XML document being written: a name, namespace declarations, attributes,
/// and either text or child elements (or a well-formed fragment carried as it is). Serialized
/// with two-space indentation, text and attribute values escaped (XML 1.0 §2.4, §3.1).
///
/// Our own, not FoundationXML's `XMLElement`: on Linux every `XMLElement` leaks the libxml2
/// node under it, which made the server's memory grow with every feed and sitemap rendered
/// (BENCHMARKS.md, "Memory"). Writing is all the encoders need; parsing stays with libxml2.
final class XMLTag {
    /// A `name="value"` pair: an attribute, or a namespace declaration (`xmlns`, `xmlns:p`).
    struct Attribute {
        var name: String
        var value: String
    }

    let name: String
    private var namespaces: [Attribute] = []
    private var attributes: [Attribute] = []
    /// Text (escaped when written), or a well-formed fragment (written as it is); else children.
    private var text: String?
    private var fragment: String?
    private var children: [XMLTag] = []

    init(name: String) {
        self.name = name
    }

    /// An element holding only `stringValue`, escaped when written.
    init(name: String, stringValue: String) {
        self.name = name
        text = stringValue
    }

    /// An element given as well-formed XML text (one root element), carried as it is.
    /// - Throws: ``XMLTagError`` when the text is not well-formed XML (checked by libxml2).
    init(wellFormed xml: String) throws {
        let parser = XMLParser(data: Data(xml.utf8))
        let root = RootName()
        parser.delegate = root
        guard parser.parse(), let name = root.name else { throw XMLTagError(message: "not well-formed XML: \(parser.parserError.map { "\($0)" } ?? "no element")") }
        self.name = name
        fragment = xml
    }

    func addChild(_ child: XMLTag) {
        precondition(text == nil && fragment == nil, "<\(name)> holds text; it takes no child elements")
        children.append(child)
    }

    func addAttribute(_ attribute: Attribute) {
        attributes.append(attribute)
    }

    /// Declares a namespace; written before the attributes, as `xmlns` or `xmlns:prefix`.
    func addNamespace(_ namespace: Attribute) {
        namespaces.append(namespace)
    }

    /// The document: an XML declaration, then this element as its root, UTF-8.
    func documentData() -> Data {
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        write(into: &out, depth: 0)
        out += "\n"
        return Data(out.utf8)
    }

    private func write(into out: inout String, depth: Int) {
        for _ in 0..<depth { out += "  " }
        if let fragment {
            out += fragment
            return
        }
        out += "<"
        out += name
        for attribute in namespaces + attributes {
            out += " "
            out += attribute.name
            out += "=\""
            Self.append(attribute.value, inAttribute: true, to: &out)
            out += "\""
        }
        if let text {
            out += ">"
            Self.append(text, inAttribute: false, to: &out)
            out += "</"
            out += name
            out += ">"
        } else if children.isEmpty {
            out += "/>"
        } else {
            out += ">\n"
            for child in children {
                child.write(into: &out, depth: depth + 1)
                out += "\n"
            }
            for _ in 0..<depth { out += "  " }
            out += "</"
            out += name
            out += ">"
        }
    }

    static func escape(_ text: String, inAttribute: Bool) -> String {
        var escaped = ""
        append(text, inAttribute: inAttribute, to: &escaped)
        return escaped
    }

    /// Appends `text` escaped: `&`, `<`, `>` always; in attribute values also `"` and the
    /// whitespace characters that attribute-value normalization would otherwise turn into
    /// spaces (XML 1.0 §3.3.3). Text with none of them is appended whole.
    static func append(_ text: String, inAttribute: Bool, to out: inout String) {
        let special = text.utf8.contains { byte in
            byte == UInt8(ascii: "&") || byte == UInt8(ascii: "<") || byte == UInt8(ascii: ">") || byte == UInt8(ascii: "\r")
                || (inAttribute && (byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\t")))
        }
        guard special else {
            out += text
            return
        }
        // Byte by byte: every character escaped is ASCII, and UTF-8 never uses an ASCII byte
        // inside another character.
        var escaped: [UInt8] = []
        escaped.reserveCapacity(text.utf8.count + 64)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "&"): escaped.append(contentsOf: "&amp;".utf8)
            case UInt8(ascii: "<"): escaped.append(contentsOf: "&lt;".utf8)
            case UInt8(ascii: ">"): escaped.append(contentsOf: "&gt;".utf8)
            case UInt8(ascii: "\"") where inAttribute: escaped.append(contentsOf: "&quot;".utf8)
            case UInt8(ascii: "\n") where inAttribute: escaped.append(contentsOf: "&#10;".utf8)
            case UInt8(ascii: "\r"): escaped.append(contentsOf: "&#13;".utf8)
            case UInt8(ascii: "\t") where inAttribute: escaped.append(contentsOf: "&#9;".utf8)
            default: escaped.append(byte)
            }
        }
        out += String(decoding: escaped, as: UTF8.self)
    }
}

/// Text given as XML that is not well-formed.
struct XMLTagError: Error {
    var message: String
}

/// Notes the name of the first element a parse meets.
private final class RootName: NSObject, XMLParserDelegate {
    var name: String?

    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
        if name == nil { name = qualifiedName ?? elementName }
    }
}
