import Foundation

/// A readable, stable URL segment made from a headline or a name, such as
/// `prisoner-pardons-in-iran-welcome`.
///
/// Latin letters lose their diacritics and case; letters of other scripts (Persian, Arabic,
/// Greek ...) are kept as they are, because a reader of that language can read them and
/// browsers show them decoded. Everything else becomes a single hyphen.
public struct Slug: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The longest slug made from a text, in characters; longer texts are cut at a word boundary.
    public static let maximumLength = 80

    public let rawValue: String

    /// Makes a slug from free text; `nil` when the text has no letter or digit at all.
    public init?(making text: String) {
        let folded = text.folding(options: [.diacriticInsensitive, .caseInsensitive, .widthInsensitive], locale: Locale(identifier: "en"))
        var words: [String] = []
        var current = ""
        for character in folded {
            if character.isLetter || character.isNumber {
                current.append(character)
            } else if character == "'" || character == "’" {
                continue  // "Iran's" reads better as "irans" than "iran-s"
            } else if !current.isEmpty {
                words.append(current)
                current = ""
            }
        }
        if !current.isEmpty { words.append(current) }
        guard !words.isEmpty else { return nil }
        var slug = ""
        for word in words {
            let candidate = slug.isEmpty ? word : slug + "-" + word
            if candidate.count > Self.maximumLength {
                if slug.isEmpty { slug = String(word.prefix(Self.maximumLength)) }
                break
            }
            slug = candidate
        }
        rawValue = slug.lowercased()
    }

    /// Accepts an existing slug as found in a URL: lowercase letters, digits and single inner hyphens.
    public init?(validating text: String) {
        // Most slugs are ASCII: checked by their bytes, with the same outcome as the rule below.
        if text.utf8.allSatisfy({ $0 < 0x80 }) {
            let bytes = text.utf8
            guard !bytes.isEmpty, bytes.count <= Self.maximumLength + 8,
                  bytes.first != UInt8(ascii: "-"), bytes.last != UInt8(ascii: "-"), !text.contains("--"),
                  bytes.allSatisfy({ (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) || $0 == UInt8(ascii: "-") })
            else { return nil }
            rawValue = text
            return
        }
        guard !text.isEmpty, text.count <= Self.maximumLength + 8,
              !text.hasPrefix("-"), !text.hasSuffix("-"), !text.contains("--"),
              text.allSatisfy({ ($0.isLetter && $0.lowercased() == String($0)) || $0.isNumber || $0 == "-" })
        else { return nil }
        rawValue = text
    }

    /// The slug with a numeric suffix, for the second and later releases that share a headline:
    /// `budget-vote` becomes `budget-vote-2`.
    public func numbered(_ number: Int) -> Slug {
        Slug(rawValue: "\(rawValue)-\(number)")
    }

    private init(rawValue: String) { self.rawValue = rawValue }

    public var description: String { rawValue }
}
