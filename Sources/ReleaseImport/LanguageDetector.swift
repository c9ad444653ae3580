import Foundation

/// Detects the language of a release from its own text, never from the page's URL or a default.
///
/// Arabic-script text is told apart by letters only Persian uses (پ چ ژ گ and the Persian
/// forms of yeh and kaf); Chinese, Japanese and Korean by their scripts (kana among Han
/// characters is Japanese, Hangul Korean); Latin-script text by counting common function words,
/// which outnumber everything else in any running text.
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

    /// The languages of `stopwords`, sorted by tag: a word's languages are kept as a bit mask over
    /// this list, and the counts as an array in its order. Counting into a [String: Int] hashed
    /// the language tag once per stopword found, a visible cost over a long page.
    private static let languageOrder: [String] = stopwords.keys.sorted()

    private static func mask(of languages: [String]) -> UInt16 {
        languages.reduce(0) { $0 | 1 << UInt16(languageOrder.firstIndex(of: $1)!) }
    }

    private static let masksByASCIIStopword: [UInt64: UInt16] = languagesByASCIIStopword.mapValues(mask(of:))

    /// `masksByASCIIStopword` as an open-addressing table with a multiplicative hash: nearly
    /// every short word of a text is looked up, and the Dictionary's seeded hashing was most of
    /// the cost. Keys are never 0 (see `packed`), so 0 marks an empty slot.
    private static let asciiTableBits = 9
    private static let asciiTable: (keys: [UInt64], masks: [UInt16]) = {
        let size = 1 << asciiTableBits
        precondition(masksByASCIIStopword.count < size / 2)
        var keys = [UInt64](repeating: 0, count: size)
        var masks = [UInt16](repeating: 0, count: size)
        for (key, mask) in masksByASCIIStopword {
            var slot = asciiSlot(key)
            while keys[slot] != 0 { slot = (slot + 1) & (size - 1) }
            keys[slot] = key
            masks[slot] = mask
        }
        return (keys, masks)
    }()

    @inline(__always) private static func asciiSlot(_ key: UInt64) -> Int {
        Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> UInt64(64 - asciiTableBits))
    }

    /// The languages of an ASCII word packed by `packed` (0 when it is no stopword).
    private static func asciiMask(_ key: UInt64) -> UInt16 {
        let table = asciiTable
        var slot = asciiSlot(key)
        while true {
            let k = table.keys[slot]
            if k == key { return table.masks[slot] }
            if k == 0 { return 0 }
            slot = (slot + 1) & ((1 << asciiTableBits) - 1)
        }
    }
    private static let masksByStopword: [String: UInt16] = languagesByStopword.mapValues(mask(of:))

    /// Up to eight ASCII bytes as one integer (distinct words give distinct integers: no byte is 0).
    private static func packed(_ bytes: [UInt8]) -> UInt64 {
        var key: UInt64 = 0
        for b in bytes { key = key << 8 | UInt64(b) }
        return key
    }

    private static let longestStopword = stopwords.values.flatMap { $0 }.map { $0.unicodeScalars.count }.max() ?? 0

    /// Stopword counts by language (in `languageOrder`) and the word being read, lower-cased
    /// as UTF-8 bytes in one reused buffer.
    private struct Tally {
        var counts = [Int](repeating: 0, count: LanguageDetector.languageOrder.count)
        var word: [UInt8] = []
        /// Scalars in the word so far (a longer word than any stopword is not built).
        var length = 0
        var wordIsASCII = true

        init() { word.reserveCapacity(4 * LanguageDetector.longestStopword) }

        mutating func finish() {
            if length > 0, length <= LanguageDetector.longestStopword {
                var languages: UInt16
                if word.count <= 8, wordIsASCII {
                    languages = LanguageDetector.asciiMask(LanguageDetector.packed(word))
                } else {
                    languages = LanguageDetector.masksByStopword[String(decoding: word, as: UTF8.self)] ?? 0
                }
                while languages != 0 {
                    counts[languages.trailingZeroBitCount] += 1
                    languages &= languages - 1
                }
            }
            word.removeAll(keepingCapacity: true)
            length = 0
            wordIsASCII = true
        }
    }

    /// BCP 47 tag of the dominant language; "en" when the text is too short to tell.
    static func detect(_ text: String) -> String {
        // One pass over the UTF-8 bytes counts the scripts and the stopwords together: ASCII is
        // read byte by byte, and only other scalars are decoded (two passes over
        // `unicodeScalars`, decoding every scalar, were a visible share of the import). The state
        // lives in the closure (a struct), not in captured variables, which Swift would check
        // for exclusive access at every use.
        var text = text
        let (arabicScript, persianOnly, arabicOnly, latin, counts, cjk) = text.withUTF8 { bytes in
            var arabicScript = 0, persianOnly = 0, arabicOnly = 0, latin = 0
            var cjk = (kana: 0, han: 0, hangul: 0)
            var tally = Tally()
            let longest = longestStopword
            var i = 0
            let n = bytes.count
            while i < n {
                let b = bytes[i]
                if b < 0x80 {
                    i += 1
                    let lower = b | 0x20
                    guard lower >= 0x61 && lower <= 0x7A else { tally.finish(); continue }
                    latin += 1
                    tally.length += 1
                    if tally.length <= longest { tally.word.append(lower) }
                    continue
                }
                // A valid String's UTF-8: the lead byte gives the length.
                let width = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : 2
                var value = UInt32(b) & (width == 2 ? 0x1F : width == 3 ? 0x0F : 0x07)
                for k in 1..<width { value = value << 6 | UInt32(bytes[i + k] & 0x3F) }
                i += width
                switch value {
                case 0x0600...0x06FF, 0xFB50...0xFDFF, 0xFE70...0xFEFF:
                    arabicScript += 1
                    switch value {
                    case 0x067E, 0x0686, 0x0698, 0x06AF, 0x06CC, 0x06A9: persianOnly += 1
                    case 0x0629, 0x064A, 0x0643, 0x0649: arabicOnly += 1
                    default: break
                    }
                case 0x00C0...0x024F:
                    latin += 1
                case 0x3040...0x30FF, 0x31F0...0x31FF, 0xFF66...0xFF9F:
                    cjk.kana += 1
                case 0x4E00...0x9FFF, 0x3400...0x4DBF:
                    cjk.han += 1
                case 0xAC00...0xD7AF, 0x1100...0x11FF:
                    cjk.hangul += 1
                default:
                    break
                }
                let scalar = Unicode.Scalar(value)!
                guard ScalarProperties.isAlphabetic(scalar) else { tally.finish(); continue }
                tally.length += 1
                if tally.length > longest { continue }
                tally.wordIsASCII = false
                tally.word.append(contentsOf: scalar.properties.lowercaseMapping.utf8)
            }
            tally.finish()
            return (arabicScript, persianOnly, arabicOnly, latin, tally.counts, cjk)
        }
        if arabicScript > latin {
            return persianOnly > arabicOnly ? "fa" : "ar"
        }
        // Chinese, Japanese and Korean by script: Hangul is Korean; kana among Han characters Japanese.
        if cjk.kana + cjk.han + cjk.hangul > latin {
            if cjk.hangul > cjk.kana + cjk.han { return "ko" }
            return cjk.kana * 10 >= cjk.han ? "ja" : "zh"
        }
        // The highest count; on a tie the tag that sorts first (`languageOrder` is sorted).
        var best = 0
        for i in counts.indices where counts[i] > counts[best] { best = i }
        guard counts[best] >= 3 else { return "en" }
        return languageOrder[best]
    }
}
