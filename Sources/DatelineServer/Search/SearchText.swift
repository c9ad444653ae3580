import Foundation

/// Text as the search index and the query parser see it, the same on both engines: lower case,
/// diacritics folded ("Résumé" → "resume", "Straße" → "strasse", Arabic short vowels dropped),
/// Markdown syntax left out. Folding happens in Swift before either engine tokenizes, so SQLite
/// and PostgreSQL fold alike and neither needs an extension (`unaccent`).
enum SearchText {
    /// `text` lower-cased, with combining marks removed after canonical decomposition (Unicode
    /// UAX #15, NFD) and a few letters that do not decompose spelled out; recomposed (NFC).
    static func fold(_ text: String) -> String {
        var folded = String.UnicodeScalarView()
        for scalar in text.lowercased().decomposedStringWithCanonicalMapping.unicodeScalars {
            switch scalar.properties.generalCategory {
            case .nonspacingMark, .enclosingMark: continue
            default: break
            }
            switch scalar {
            case "ß": folded.append(contentsOf: "ss".unicodeScalars)
            case "æ": folded.append(contentsOf: "ae".unicodeScalars)
            case "œ": folded.append(contentsOf: "oe".unicodeScalars)
            case "ø": folded.append("o")
            case "đ", "ð": folded.append("d")
            case "ł": folded.append("l")
            case "ı": folded.append("i")
            case "þ": folded.append(contentsOf: "th".unicodeScalars)
            case "\u{0640}": continue  // Arabic tatweel: a stretch of the line, not a letter
            default: folded.append(scalar)
            }
        }
        return String(folded).precomposedStringWithCanonicalMapping
    }

    /// Whether a character belongs to a word (letters and digits of any script).
    static func isWordCharacter(_ character: Character) -> Bool {
        character.isLetter || character.isNumber
    }

    /// The words of already folded text: runs of letters and digits.
    static func words(_ folded: String) -> [String] {
        folded.split(whereSeparator: { !isWordCharacter($0) }).map(String.init)
    }

    /// A release body (Markdown) as plain running text: link targets, emphasis, heading and
    /// quotation markers and backslash escapes left out, lines joined by spaces.
    static func plain(markdown: String) -> String {
        var result = ""
        result.reserveCapacity(markdown.utf8.count)
        var characters = markdown.makeIterator()
        var previous: Character = " "
        var atLineStart = true
        while let character = characters.next() {
            switch character {
            case "\n", "\r", "\t":
                if previous != " " { result.append(" "); previous = " " }
                atLineStart = true
                continue
            case "*", "`", "[":
                continue
            case "#" where atLineStart, ">" where atLineStart:
                continue
            case "\\":
                if let next = characters.next() { result.append(next); previous = next }
                atLineStart = false
                continue
            case "]":
                // "[text](target)": the target is left out.
                var lookahead = characters
                if lookahead.next() == "(" {
                    characters = lookahead
                    var depth = 1
                    while depth > 0, let inner = characters.next() {
                        if inner == "(" { depth += 1 } else if inner == ")" { depth -= 1 }
                    }
                }
                continue
            case " ":
                if atLineStart || previous == " " { continue }
            default:
                break
            }
            atLineStart = false
            result.append(character)
            previous = character
        }
        return result.trimmingCharacters(in: .whitespaces)
    }
}
