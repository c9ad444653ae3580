import Foundation

/// A compiled regular expression with String-friendly results.
///
/// NSRegularExpression is documented as safe to use from several threads, which is
/// why the wrapper may be `@unchecked Sendable` and the patterns can be shared `let`s.
final class Rx: @unchecked Sendable {
    private let re: NSRegularExpression

    /// Patterns are literals in this module, so a bad one is a programming error caught by the tests.
    init(_ pattern: String, caseInsensitive: Bool = true) {
        var options: NSRegularExpression.Options = [.useUnicodeWordBoundaries]
        if caseInsensitive { options.insert(.caseInsensitive) }
        // swiftlint:disable:next force_try
        re = try! NSRegularExpression(pattern: pattern, options: options)
    }

    /// Capture groups of the first match (index 0 = whole match); `nil` when no match.
    func match(_ s: String) -> [String?]? {
        let ns = s as NSString
        guard let m = re.firstMatch(in: s, range: NSRange(location: 0, length: ns.length)) else { return nil }
        return (0..<m.numberOfRanges).map { i in
            let r = m.range(at: i)
            return r.location == NSNotFound ? nil : ns.substring(with: r)
        }
    }

    /// Every match's capture groups.
    func matches(_ s: String) -> [[String?]] {
        let ns = s as NSString
        return re.matches(in: s, range: NSRange(location: 0, length: ns.length)).map { m in
            (0..<m.numberOfRanges).map { i in
                let r = m.range(at: i)
                return r.location == NSNotFound ? nil : ns.substring(with: r)
            }
        }
    }

    /// Text before and after the first match, with the match's groups.
    func split(_ s: String) -> (before: String, groups: [String?], after: String)? {
        let ns = s as NSString
        guard let m = re.firstMatch(in: s, range: NSRange(location: 0, length: ns.length)) else { return nil }
        let groups: [String?] = (0..<m.numberOfRanges).map { i in
            let r = m.range(at: i)
            return r.location == NSNotFound ? nil : ns.substring(with: r)
        }
        let before = ns.substring(to: m.range.location)
        let after = ns.substring(from: m.range.location + m.range.length)
        return (before, groups, after)
    }

    func test(_ s: String) -> Bool { match(s) != nil }

    func replace(_ s: String, with template: String) -> String {
        let ns = s as NSString
        return re.stringByReplacingMatches(in: s, range: NSRange(location: 0, length: ns.length), withTemplate: template)
    }
}

extension String {
    var trimmed: String { trimmingCharacters(in: .whitespacesAndNewlines) }

    /// Collapses runs of whitespace (NBSP included) to one space.
    var squeezed: String {
        split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }

    var wordCount: Int { split(whereSeparator: { $0.isWhitespace }).count }

    /// Letters-and-digits-only lower-case form, for "same text" comparisons that
    /// ignore case, punctuation and spacing (duplicated titles and leads).
    var comparable: String {
        String(lowercased().unicodeScalars.filter { CharacterSet.alphanumerics.contains($0) }.map(Character.init))
    }

    var endsSentence: Bool {
        guard let last = trimmed.last else { return false }
        return ".!?…".contains(last) || (("\"”»’'".contains(last)) && trimmed.dropLast().last.map { ".!?,".contains($0) } == true)
    }

    var firstIsLowercase: Bool {
        guard let c = first(where: { !$0.isWhitespace }) else { return false }
        return c.isLowercase
    }

    /// Trims the characters a heading or name may carry at its edges.
    func trimmingEdges(_ chars: String = " \t,;:-–—.") -> String {
        trimmingCharacters(in: CharacterSet(charactersIn: chars).union(.whitespacesAndNewlines))
    }
}

extension Rx {
    /// First match with its UTF-16 location, so several patterns can be raced for the earliest hit.
    func located(_ s: String) -> (location: Int, length: Int, groups: [String?])? {
        let ns = s as NSString
        guard let m = re.firstMatch(in: s, range: NSRange(location: 0, length: ns.length)) else { return nil }
        let groups: [String?] = (0..<m.numberOfRanges).map { i in
            let r = m.range(at: i)
            return r.location == NSNotFound ? nil : ns.substring(with: r)
        }
        return (m.range.location, m.range.length, groups)
    }
}
