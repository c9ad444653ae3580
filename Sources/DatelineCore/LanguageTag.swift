/// A BCP 47 language tag (RFC 5646), such as `en`, `pt-BR` or `fa`.
///
/// Only the shape is checked (subtags of 1 to 8 letters or digits, a primary language of 2 to
/// 3 letters); registry membership is not, because new subtags are registered all the time.
public struct LanguageTag: Hashable, Sendable, Codable, CustomStringConvertible {
    public let rawValue: String

    /// Primary languages written right to left (Arabic, Persian, Hebrew, Urdu, Pashto, Yiddish,
    /// Dhivehi, Sorani Kurdish, Syriac, Uyghur).
    private static let rightToLeft: Set<String> = ["ar", "fa", "he", "iw", "ur", "ps", "yi", "dv", "ckb", "syr", "ug"]

    /// Accepts a tag of the BCP 47 shape; `nil` otherwise. Case is normalized (`EN-us` -> `en-US`).
    public init?(_ text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false).map(String.init)
        guard let primary = parts.first, (2...3).contains(primary.count), primary.allSatisfy({ $0.isASCII && $0.isLetter }) else { return nil }
        guard parts.dropFirst().allSatisfy({ (1...8).contains($0.count) && $0.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) } }) else { return nil }
        let normalized = parts.enumerated().map { index, part -> String in
            if index == 0 { return part.lowercased() }
            if part.count == 2 { return part.uppercased() }  // region
            if part.count == 4 { return part.prefix(1).uppercased() + part.dropFirst().lowercased() }  // script
            return part.lowercased()
        }
        rawValue = normalized.joined(separator: "-")
    }

    /// The primary language subtag, e.g. `pt` for `pt-BR`.
    public var primaryLanguage: String { String(rawValue.split(separator: "-").first ?? "") }

    /// Whether text in this language is written right to left; a script subtag decides when present.
    public var isRightToLeft: Bool {
        let parts = rawValue.split(separator: "-")
        if let script = parts.dropFirst().first(where: { $0.count == 4 }) {
            return ["Arab", "Hebr", "Syrc", "Thaa", "Nkoo", "Adlm", "Rohg"].contains(String(script))
        }
        return Self.rightToLeft.contains(primaryLanguage)
    }

    /// The HTML `dir` attribute value for this language: `rtl` or `ltr`.
    public var direction: String { isRightToLeft ? "rtl" : "ltr" }

    public var description: String { rawValue }

    public static let english = LanguageTag("en")!
}
