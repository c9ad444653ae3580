import Foundation

/// A reader's search as typed, read into a small tree: words, "exact phrases", -excluded words
/// or phrases, and OR between two of them. Every engine emits its own syntax from this tree, so
/// no text a reader types ever reaches an engine as query syntax.
///
/// Any input reads into a query: unbalanced quotes close at the end, characters that are neither
/// letters nor digits only separate words, control characters are spaces, and input past
/// ``maximumLength`` characters or ``maximumTerms`` terms is left out.
struct SearchQuery: Equatable, Sendable {
    /// A word or a phrase: its folded words (``SearchText/fold(_:)``) in order, more than one for
    /// a phrase (a hyphenated word such as "e-mail" is a phrase of its parts, as the engines'
    /// tokenizers read it).
    struct Term: Equatable, Sendable {
        var words: [String]
        /// As the reader typed it, quotes included for a phrase.
        var text: String
    }

    /// Every group must match; a group matches when one of its terms does (terms joined by OR).
    var groups: [[Term]]
    /// Releases matching any of these are left out.
    var excluded: [Term]

    /// Characters of input read; the rest is ignored.
    static let maximumLength = 256
    /// Terms read, excluded ones included.
    static let maximumTerms = 16

    /// No word to look for (an empty query, or only excluded words): nothing is searched.
    var isEmpty: Bool { groups.isEmpty }

    /// The positive terms, for highlighting.
    var positiveTerms: [Term] { groups.flatMap { $0 } }

    init(groups: [[Term]], excluded: [Term] = []) {
        self.groups = groups
        self.excluded = excluded
    }

    init(parsing input: String) {
        let text = String(input.prefix(Self.maximumLength)).map { $0.isWhitespace || ($0.unicodeScalars.first?.properties.generalCategory == .control) ? " " : $0 }
        var groups: [[Term]] = []
        var excluded: [Term] = []
        var joinNext = false
        var count = 0
        var index = text.startIndex
        while index < text.endIndex, count < Self.maximumTerms {
            if text[index] == " " { index = text.index(after: index); continue }
            // An excluding "-" at the start of a word or phrase; "+" (required) is the default.
            var negated = false
            while index < text.endIndex, text[index] == "-" || text[index] == "+" {
                if text[index] == "-" { negated = true }
                index = text.index(after: index)
            }
            guard index < text.endIndex else { break }
            let raw: String
            let quoted = text[index] == "\""
            if quoted {
                let start = text.index(after: index)
                let end = text[start...].firstIndex(of: "\"") ?? text.endIndex
                raw = String(text[start..<end])
                index = end < text.endIndex ? text.index(after: end) : end
            } else {
                let end = text[index...].firstIndex(where: { $0 == " " || $0 == "\"" }) ?? text.endIndex
                raw = String(text[index..<end])
                index = end
            }
            if !quoted, !negated, raw == "OR" {
                joinNext = !groups.isEmpty
                continue
            }
            let words = SearchText.words(SearchText.fold(raw))
            guard !words.isEmpty else { continue }
            count += 1
            let term = Term(words: words, text: quoted ? "\"\(raw)\"" : raw)
            if negated {
                excluded.append(term)
            } else if joinNext, !groups.isEmpty {
                groups[groups.count - 1].append(term)
            } else {
                groups.append([term])
            }
            joinNext = false
        }
        self.groups = groups
        self.excluded = excluded
    }

    /// The query written back as a reader would type it (terms as typed, OR between alternatives).
    var text: String {
        (groups.map { $0.map(\.text).joined(separator: " OR ") } + excluded.map { "-" + $0.text }).joined(separator: " ")
    }

    /// The same words with any of them enough: a wider search to suggest when nothing matched.
    var widened: SearchQuery? {
        let terms = positiveTerms
        guard terms.count > 1 || !excluded.isEmpty else { return nil }
        return SearchQuery(groups: [terms])
    }

    /// The query in SQLite FTS5's syntax: each term a double-quoted string (a phrase when it has
    /// several words; `"` doubled inside), OR within a group, AND between groups, NOT for
    /// exclusions. Words hold only letters and digits, so the strings hold no syntax.
    var fts5: String {
        func string(_ term: Term) -> String {
            "\"" + term.words.joined(separator: " ").replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        let positive = groups.map { "(" + $0.map(string).joined(separator: " OR ") + ")" }.joined(separator: " AND ")
        return ([ "(" + positive + ")" ] + excluded.map(string)).joined(separator: " NOT ")
    }
}
