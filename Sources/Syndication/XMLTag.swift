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

    private enum Content {
        case text(String)
        case children([XMLTag])
        /// A well-formed fragment, written unchanged.
        case fragment(String)
    }

    let name: String
    private var namespaces: [Attribute] = []
    private var attributes: [Attribute] = []
    private var content: Content

    init(name: String) {
        self.name = name
        content = .children([])
    }

    /// An element holding only `stringValue`, escaped when written.
    init(name: String, stringValue: String) {
        self.name = name
        content = .text(stringValue)
    }

    /// An element given as well-formed XML text (one root element), carried as it is.
    /// - Throws: ``XMLTagError`` when the text is not well-formed XML (checked by libxml2).
    init(wellFormed xml: String) throws {
        let parser = XMLParser(data: Data(xml.utf8))
        let root = RootName()
        parser.delegate = root
        guard parser.parse(), let name = root.name else { throw XMLTagError(message: "not well-formed XML: \(parser.parserError.map { "\($0)" } ?? "no element")") }
        self.name = name
        content = .fragment(xml)
    }

    func addChild(_ child: XMLTag) {
        switch content {
        case .children(let children): content = .children(children + [child])
        case .text, .fragment: preconditionFailure("<\(name)> holds text; it takes no child elements")
        }
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
        let indent = String(repeating: "  ", count: depth)
        if case .fragment(let xml) = content {
            out += indent + xml
            return
        }
        out += indent + "<" + name
        for attribute in namespaces + attributes {
            out += " " + attribute.name + "=\"" + Self.escape(attribute.value, inAttribute: true) + "\""
        }
        switch content {
        case .text(let text):
            out += ">" + Self.escape(text, inAttribute: false) + "</" + name + ">"
        case .children(let children) where children.isEmpty:
            out += "/>"
        case .children(let children):
            out += ">\n"
            for child in children {
                child.write(into: &out, depth: depth + 1)
                out += "\n"
            }
            out += indent + "</" + name + ">"
        case .fragment:
            break  // written above
        }
    }

    /// `&`, `<`, `>` always; in attribute values also `"` and the whitespace characters that
    /// attribute-value normalization would otherwise turn into spaces (XML 1.0 §3.3.3).
    static func escape(_ text: String, inAttribute: Bool) -> String {
        var escaped = ""
        escaped.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"" where inAttribute: escaped += "&quot;"
            case "\n" where inAttribute: escaped += "&#10;"
            case "\r": escaped += "&#13;"
            case "\t" where inAttribute: escaped += "&#9;"
            default: escaped.unicodeScalars.append(scalar)
            }
        }
        return escaped
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
