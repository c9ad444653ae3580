import Foundation

/// One paragraph-sized piece of the text: a line, or several hard-wrapped lines joined.
struct Unit: Equatable {
    var text: String
    /// A blank line separated this unit from the one before, which groups contact blocks.
    var blankBefore: Bool
}

/// Turns raw page text into units: normalizes whitespace, drops clutter lines, splits
/// lines a collapsed page layout glued together, and re-joins hard-wrapped lines.
enum TextSegmenter {
    /// Lines with whitespace normalized; lines holding only spaces/NBSP/zero-width characters become empty.
    static func lines(of text: String) -> [String] {
        // One pass over the UTF-8 bytes instead of six Foundation replacements: this runs on every
        // input, and appending scalar by scalar to a String was itself a visible cost. The text is
        // valid UTF-8, so C2 A0 is always NBSP, E2 80 8B ZERO WIDTH SPACE and EF BB BF the BOM.
        var lines: [String] = []
        var text = text
        text.withUTF8 { bytes in
            var line: [UInt8] = []
            var previousCR = false
            var i = 0
            let n = bytes.count
            while i < n {
                let b = bytes[i]
                switch b {
                case 0x0A:
                    if previousCR { previousCR = false; i += 1; continue }
                    lines.append(String(decoding: line, as: UTF8.self)); line.removeAll(keepingCapacity: true)
                case 0x0D:
                    lines.append(String(decoding: line, as: UTF8.self)); line.removeAll(keepingCapacity: true)
                    previousCR = true
                    i += 1
                    continue
                case 0x09:
                    line.append(0x20)
                case 0xC2 where i + 1 < n && bytes[i + 1] == 0xA0:
                    line.append(0x20); i += 1
                case 0xE2 where i + 2 < n && bytes[i + 1] == 0x80 && bytes[i + 2] == 0x8B:
                    i += 2
                case 0xEF where i + 2 < n && bytes[i + 1] == 0xBB && bytes[i + 2] == 0xBF:
                    i += 2
                default:
                    line.append(b)
                }
                previousCR = false
                i += 1
            }
            lines.append(String(decoding: line, as: UTF8.self))
        }
        return lines.map { $0.trimmed }
    }

    private static let typeLabel = #"(?:press\s+release|news\s+release|media\s+release|media\s+advisory|pressemitteilung|communiqué(?:\s+de\s+presse)?|comunicado(?:\s+de\s+prensa)?|statement)"#
    /// "News Release - July 23, 2009 HEADLINE..." : a type label and date that a collapsed
    /// layout table put on the line of the text that follows.
    static let labelDatePrefix = Rx(#"^("# + typeLabel + #"\s*[-–—:]\s*(?i:"# + DateParser.anyDatePattern + #"))\s+(\S.*)$"#, prefixes: typeLabelPrefixes)
    /// "Press Release: Today is ..." : a type label glued before the first sentence.
    static let labelPrefix = Rx(#"^"# + typeLabel + #"\s*:\s+(\S.{40,})$"#, prefixes: typeLabelPrefixes)
    /// How every `typeLabel` starts ("pressemitteilung" with "press"): both patterns run on
    /// every line, and the first bytes rule most lines out.
    private static let typeLabelPrefixes = ["press", "news", "media", "communiqu", "comunicado", "statement"]
    /// "...AT THE UNIVERSITY OF REGINAThe federal ..." : an all-capitals title glued to the body.
    static let capsThenText = Rx(#"^((?:[\p{Lu}\d$%&'’,.:;-]+\s+){3,}[\p{Lu}\d$%&'’,.]+?)([\p{Lu}][\p{Ll}].*)$"#, caseInsensitive: false, precheck: Precheck.opensWithThreeCapsWords)

    /// Splits glued lines apart (see the patterns above); other lines pass through.
    /// "485  0 Kommentare j2 Global Reports ...": a page's view and comment counters glued before a line.
    static let countersBefore = Rx(#"^(?:\d[\d.,]*\s+){2,3}\p{L}+\s+(\S.{10,})$"#, precheck: { $0.utf8.first.map { $0 >= 0x30 && $0 <= 0x39 } ?? false })

    /// "CITY OF GREENSBORO Contact: Jared Holloway": a letterhead's two columns flattened into one
    /// line, the right one opening with a capitalized contact field label.
    static let fieldBeside = Rx(#"^(\S.{1,60}?)\s+((?:Media\s+|MEDIA\s+|Press\s+|PRESS\s+)?(?:Contacts?|CONTACTS?|Phone|PHONE|Tel|TEL|Telephone|E-?mail|E-?MAIL|Fax|FAX)\s*:\s*\S.*)$"#,
                                caseInsensitive: false, needs: ["contact", "phone", "tel", "mail", "fax"],
                                precheck: { $0.utf8.contains(UInt8(ascii: ":")) })

    static func splitGlued(_ line: String) -> [String] {
        if let m = countersBefore.match(line), let rest = m[1] { return splitGlued(rest) }
        if let m = fieldBeside.match(line), let left = m[1], let right = m[2], left.wordCount <= 6,
           let last = left.last, !",;:(".contains(last), !left.contains(":") {
            return [left, right]
        }
        if let m = labelDatePrefix.match(line), let head = m[1], let tail = m[2] {
            return [head] + splitGlued(tail)
        }
        if let m = labelPrefix.match(line), let tail = m[1], tail.endsSentence || tail.hasSuffix(":") || tail.wordCount >= 20 {
            return [tail]
        }
        if !line.hasCount(atMost: 80), let m = capsThenText.match(line), let caps = m[1], let rest = m[2],
           caps.trimmed.wordCount >= 4, rest.wordCount >= 6 {
            return [caps.trimmed, rest]
        }
        return [line]
    }

    /// Function words that cannot end a line unless the sentence continues on the next one.
    private static let continuationWords: Set<String> = [
        "by", "of", "the", "and", "to", "in", "for", "with", "a", "an", "at", "from", "on", "or", "as",
        "und", "der", "die", "das", "den", "dem", "des", "von", "zu", "mit", "im", "ihre", "ihr", "sich", "sie",
        "de", "la", "le", "les", "et", "du", "des", "el", "los", "las", "y", "en",
    ]

    /// Builds units. Hard-wrapped lines are joined when the document is wrapped at a
    /// fixed width, when a line ends on a word that needs a continuation, or when the
    /// next line starts in lower case.
    static func units(from lines: [String]) -> [Unit] {
        let width = wrapWidth(lines)
        var units: [Unit] = []
        var blank = false
        var previousLine: String?
        for line in lines {
            if line.isEmpty { blank = true; previousLine = nil; continue }
            if let prev = previousLine, var last = units.last, shouldJoin(prev, line, wrapWidth: width) {
                last.text = last.text + " " + line
                units[units.count - 1] = last
            } else {
                units.append(Unit(text: line, blankBefore: blank))
            }
            blank = false
            previousLine = line
        }
        return units
    }

    static let bulletOrLabel = Rx(#"^(?:[-*•–—]+\s|\d{1,2}[.)]\s|[\p{L} ]{2,20}:)"#, precheck: Precheck.mayOpenWithBulletOrLabel)
    static let phoneLine = Rx(#"^\+?[\d(][\d\s()/.-]{6,}$"#, precheck: { Precheck.endsWithDigitsRun($0, count: 6, others: "()/.-") })

    private static func isBulletOrLabel(_ line: String) -> Bool {
        bulletOrLabel.test(line)
    }

    private static func shouldJoin(_ previous: String, _ next: String, wrapWidth: Int?) -> Bool {
        if isBulletOrLabel(next) { return false }
        // A short line ending in a comma continues on the next ("New York," / "NY, September 29, 2008 – ...").
        if previous.hasSuffix(","), previous.wordCount <= 4 { return true }
        if previous.hasSuffix(":") || previous.endsSentence { return false }
        if next.containsASCII("@") && next.wordCount == 1 && !next.firstIsLowercase { return false }
        if phoneLine.test(next) { return false }
        let lastWord = lastWord(of: previous).lowercased()
        if continuationWords.contains(lastWord) && previous.hasCount(atLeast: 30) { return true }
        if next.firstIsLowercase && previous.hasCount(atLeast: 30) { return true }
        if let w = wrapWidth, previous.hasCount(atLeast: w - 10), previous.hasCount(atMost: w) { return true }
        return false
    }

    /// `line.split(separator: " ").last ?? ""`, found from the end instead of splitting the
    /// whole line (this runs for every pair of lines).
    private static func lastWord(of line: String) -> Substring {
        guard let space = line.lastIndex(of: " ") else { return line[...] }
        let word = line[line.index(after: space)...]
        return word.isEmpty ? line.split(separator: " ").last ?? "" : word
    }

    /// The width a document is wrapped at, when it is: many 50–82 character lines followed
    /// by another line. `nil` for texts with one line per paragraph.
    private static func wrapWidth(_ lines: [String]) -> Int? {
        var wrappedLengths: [Int] = []
        var longLines = 0
        for (i, line) in lines.enumerated() where line.hasCount(atLeast: 50) {
            longLines += 1
            let count = line.characterCount
            if count <= 82, i + 1 < lines.count, !lines[i + 1].isEmpty { wrappedLengths.append(count) }
        }
        guard wrappedLengths.count >= 4, Double(wrappedLengths.count) >= 0.4 * Double(longLines) else { return nil }
        return wrappedLengths.max()
    }
}
