import Foundation

/// Small helpers over ``XMLTag``, which escapes every text and attribute value: markup in a
/// release arrives as text, never as elements.
enum XMLBuilder {
    static func element(_ name: String, _ text: String? = nil, attributes: [(String, String)] = []) -> XMLTag {
        let element = text.map { XMLTag(name: name, stringValue: XMLText.clean($0)) } ?? XMLTag(name: name)
        for (key, value) in attributes {
            element.addAttribute(attribute(key, value))
        }
        return element
    }

    static func attribute(_ name: String, _ value: String) -> XMLTag.Attribute {
        XMLTag.Attribute(name: name, value: XMLText.clean(value))
    }

    /// `xmlns` (an empty prefix) or `xmlns:prefix`.
    static func namespace(_ prefix: String, _ uri: String) -> XMLTag.Attribute {
        XMLTag.Attribute(name: prefix.isEmpty ? "xmlns" : "xmlns:" + prefix, value: uri)
    }

    /// The document as UTF-8 bytes with an XML declaration.
    static func data(root: XMLTag) -> Data {
        root.documentData()
    }

    /// RFC 3339 `date-time` in UTC (Atom §3.3, W3C-DTF for sitemaps, ISO 8601 for NewsML-G2).
    static func timestamp(_ date: Date) -> String {
        date.formatted(.iso8601)
    }
}
