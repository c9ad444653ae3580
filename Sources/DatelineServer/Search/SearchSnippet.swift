import Foundation

/// A stretch of a release's text around the words a search found, with those words marked.
/// Made in Swift for the shown rows only, the same on both engines; parts are plain text that
/// the template escapes (a match is wrapped in `<mark>` by the template, never by the database).
struct SearchSnippet: Equatable, Sendable {
    struct Part: Equatable, Sendable {
        var text: String
        var isMatch: Bool
    }

    var parts: [Part]

    /// Words shown at most.
    static let maximumWords = 36

    /// The window of `text` with the most words matching `terms` (words shown before the first
    /// match so it reads in context), with "…" where it cuts the text. The start of the text when
    /// nothing matches (a match in the headline only).
    init(text: String, terms: [SearchQuery.Term]) {
        let wanted = Set(terms.flatMap(\.words))
        var words: [(range: Range<String.Index>, match: Bool)] = []
        var index = text.startIndex
        while index < text.endIndex {
            guard SearchText.isWordCharacter(text[index]) else { index = text.index(after: index); continue }
            let end = text[index...].firstIndex(where: { !SearchText.isWordCharacter($0) }) ?? text.endIndex
            let folded = SearchText.fold(String(text[index..<end]))
            words.append((index..<end, wanted.contains { Self.related(folded, $0) }))
            index = end
        }
        guard !words.isEmpty else { parts = []; return }
        let size = min(Self.maximumWords, words.count)
        var best = 0, bestCount = -1, current = words[0..<size].filter(\.match).count
        for start in 0...(words.count - size) {
            if start > 0 {
                current += (words[start + size - 1].match ? 1 : 0) - (words[start - 1].match ? 1 : 0)
            }
            if current > bestCount { best = start; bestCount = current }
        }
        // Start a few words before the first match of the window.
        if let first = words[best..<(best + size)].firstIndex(where: \.match) {
            best = max(0, min(best, first - 4))
        }
        let last = min(words.count, best + size) - 1
        var parts: [Part] = []
        var cursor = best == 0 ? text.startIndex : words[best].range.lowerBound
        if best > 0 { parts.append(Part(text: "… ", isMatch: false)) }
        for word in words[best...last] where word.match {
            if cursor < word.range.lowerBound { parts.append(Part(text: String(text[cursor..<word.range.lowerBound]), isMatch: false)) }
            parts.append(Part(text: String(text[word.range]), isMatch: true))
            cursor = word.range.upperBound
        }
        let end = last == words.count - 1 ? text.endIndex : words[last].range.upperBound
        if cursor < end { parts.append(Part(text: String(text[cursor..<end]), isMatch: false)) }
        if last < words.count - 1 { parts.append(Part(text: " …", isMatch: false)) }
        self.parts = parts
    }

    /// Whether a folded word of the text is the folded query word or, roughly, another form of it
    /// (one is the other with an ending of up to four letters): the engines stem, this only marks.
    static func related(_ a: String, _ b: String) -> Bool {
        if a == b { return true }
        let (short, long) = a.count <= b.count ? (a, b) : (b, a)
        let common = zip(short, long).prefix { $0 == $1 }.count
        return common >= max(3, short.count - 1) && long.count - common <= 4
    }

    /// The snippet as HTML: each part escaped, matches in `<mark>` (for the JSON API).
    var html: String {
        parts.map { $0.isMatch ? "<mark>\(HTMLEscaping.escaped($0.text))</mark>" : HTMLEscaping.escaped($0.text) }.joined()
    }

    /// The snippet as plain text.
    var plainText: String { parts.map(\.text).joined() }
}
