import Foundation

/// Detects the language of a release from its own text, never from the page's URL or a default.
///
/// Arabic-script text is told apart by letters only Persian uses (پ چ ژ گ and the Persian
/// forms of yeh and kaf); Latin-script text by counting common function words, which
/// outnumber everything else in any running text.
enum LanguageDetector {
    private static let stopwords: [String: Set<String>] = [
        "en": ["the", "and", "of", "to", "in", "is", "that", "for", "on", "with", "are", "was", "by", "as", "this", "be", "it", "from", "have", "has", "will", "at", "who", "their", "not"],
        "de": ["der", "die", "und", "das", "ist", "nicht", "mit", "den", "von", "sich", "des", "auf", "für", "eine", "ein", "im", "dem", "zu", "auch", "wird", "werden", "über", "bei", "sind", "wir"],
        "fr": ["le", "la", "les", "et", "des", "est", "une", "un", "du", "dans", "que", "qui", "pour", "pas", "sur", "au", "aux", "avec", "ce", "par", "son", "sont", "elle", "ont"],
        "es": ["el", "la", "los", "las", "y", "que", "del", "en", "por", "con", "una", "un", "para", "es", "se", "su", "al", "como", "más", "han", "sobre", "este", "esta"],
        "it": ["il", "di", "che", "è", "per", "una", "della", "del", "sono", "con", "gli", "nel", "alla", "delle", "anche", "non", "più"],
        "pt": ["o", "os", "que", "do", "da", "em", "um", "uma", "para", "com", "não", "dos", "das", "ao", "pelo", "pela", "são", "foi"],
        "nl": ["de", "het", "een", "van", "en", "is", "dat", "op", "te", "voor", "met", "zijn", "niet", "wordt", "ook", "bij"],
    ]

    /// Each stopword with the languages it belongs to.
    private static let languagesByStopword: [String: [String]] = {
        var out: [String: [String]] = [:]
        for (lang, set) in stopwords { for w in set { out[w, default: []].append(lang) } }
        return out
    }()
    /// The ASCII stopwords (most of them) keyed by their bytes packed into an integer: looking a
    /// word up by String hashed it with Unicode normalization, a visible cost per word.
    /// Non-ASCII words still go through `languagesByStopword`, whose String keys compare by
    /// canonical equivalence ("für" written with a combining diaeresis is still "für").
    private static let languagesByASCIIStopword: [UInt64: [String]] = {
        var out: [UInt64: [String]] = [:]
        for (w, langs) in languagesByStopword where w.utf8.allSatisfy({ $0 < 0x80 }) && w.utf8.count <= 8 {
            out[packed(Array(w.utf8))] = langs
        }
        return out
    }()

    /// Up to eight ASCII bytes as one integer (distinct words give distinct integers: no byte is 0).
    private static func packed(_ bytes: [UInt8]) -> UInt64 {
        var key: UInt64 = 0
        for b in bytes { key = key << 8 | UInt64(b) }
        return key
    }

    private static let longestStopword = stopwords.values.flatMap { $0 }.map { $0.unicodeScalars.count }.max() ?? 0

    /// BCP 47 tag of the dominant language; "en" when the text is too short to tell.
    static func detect(_ text: String) -> String {
        var arabicScript = 0, persianOnly = 0, arabicOnly = 0, latin = 0
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x0600...0x06FF, 0xFB50...0xFDFF, 0xFE70...0xFEFF:
                arabicScript += 1
                if [0x067E, 0x0686, 0x0698, 0x06AF, 0x06CC, 0x06A9].contains(scalar.value) { persianOnly += 1 }
                if [0x0629, 0x064A, 0x0643, 0x0649].contains(scalar.value) { arabicOnly += 1 }
            case 0x0041...0x005A, 0x0061...0x007A, 0x00C0...0x024F:
                latin += 1
            default:
                break
            }
        }
        if arabicScript > latin {
            return persianOnly > arabicOnly ? "fa" : "ar"
        }
        // One pass over the scalars, lower-casing as it goes: lower-casing the whole text and
        // splitting it into Characters first cost a tenth of the import. No stopword is longer
        // than `longestStopword` scalars, so longer words are skipped without building them.
        // The word is kept as UTF-8 bytes in one reused buffer (appending scalars to a String was slow).
        var counts: [String: Int] = [:]
        var word: [UInt8] = []
        word.reserveCapacity(4 * longestStopword)
        var length = 0
        func finish() {
            if length > 0, length <= longestStopword {
                let langs: [String]?
                if word.count <= 8, word.allSatisfy({ $0 < 0x80 }) {
                    langs = languagesByASCIIStopword[packed(word)]
                } else {
                    langs = languagesByStopword[String(decoding: word, as: UTF8.self)]
                }
                for lang in langs ?? [] { counts[lang, default: 0] += 1 }
            }
            word.removeAll(keepingCapacity: true)
            length = 0
        }
        for scalar in text.unicodeScalars {
            let letter = scalar.value < 0x80
                ? (scalar.value | 0x20) >= 0x61 && (scalar.value | 0x20) <= 0x7A
                : scalar.properties.isAlphabetic
            guard letter else { finish(); continue }
            length += 1
            if length > longestStopword { continue }
            if scalar.value < 0x80 {
                word.append(UInt8(scalar.value | 0x20))
            } else {
                word.append(contentsOf: scalar.properties.lowercaseMapping.utf8)
            }
        }
        finish()
        guard let best = counts.max(by: { $0.value < $1.value || ($0.value == $1.value && $0.key > $1.key) }), best.value >= 3 else {
            return "en"
        }
        return best.key
    }
}
