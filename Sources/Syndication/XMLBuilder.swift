import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// Small helpers over FoundationXML's escaping builder (libxml2 underneath): every text and
/// attribute passes through it, so markup in a release arrives as text, never as elements.
enum XMLBuilder {
    static func element(_ name: String, _ text: String? = nil, attributes: [(String, String)] = []) -> XMLElement {
        let element = text.map { XMLElement(name: name, stringValue: XMLText.clean($0)) } ?? XMLElement(name: name)
        for (key, value) in attributes {
            element.addAttribute(attribute(key, value))
        }
        return element
    }

    static func attribute(_ name: String, _ value: String) -> XMLNode {
        XMLNode.attribute(withName: name, stringValue: XMLText.clean(value)) as! XMLNode
    }

    static func namespace(_ prefix: String, _ uri: String) -> XMLNode {
        XMLNode.namespace(withName: prefix, stringValue: uri) as! XMLNode
    }

    /// The document as UTF-8 bytes with an XML declaration.
    static func data(root: XMLElement) -> Data {
        let document = XMLDocument(rootElement: root)
        document.version = "1.0"
        document.characterEncoding = "UTF-8"
        return document.xmlData(options: [.nodePrettyPrint])
    }

    /// RFC 3339 `date-time` in UTC (Atom §3.3, W3C-DTF for sitemaps, ISO 8601 for NewsML-G2).
    static func timestamp(_ date: Date) -> String {
        date.formatted(.iso8601)
    }
}
