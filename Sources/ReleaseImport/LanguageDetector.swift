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
        var counts: [String: Int] = [:]
        let words = text.lowercased().split(whereSeparator: { !$0.isLetter })
        for w in words {
            let word = String(w)
            for (lang, set) in stopwords where set.contains(word) { counts[lang, default: 0] += 1 }
        }
        guard let best = counts.max(by: { $0.value < $1.value || ($0.value == $1.value && $0.key > $1.key) }), best.value >= 3 else {
            return "en"
        }
        return best.key
    }
}
