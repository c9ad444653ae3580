import Foundation

/// Finds calendar dates written the ways press releases write them, in the languages
/// the corpus holds: "March 20, 2020", "AUGUST 28, 2002", "Aug.19, 2008", "9 July 2024",
/// "5. Februar 2013", "le 25 novembre 2015", "26 de junio de 2004",
/// "12 أيلول/سبتمبر 2019", "01.04.2021", "2011-03-09", "12/3/2007" (US order in English).
///
/// Only dates with a year count: "Thursday, February 26" cannot be placed in time
/// without guessing, and the importer never guesses.
enum DateParser {
    struct Found {
        var year: Int, month: Int, day: Int
        /// UTF-16 offset and length of the date in the searched text.
        var location: Int, length: Int
        /// "YYYY-MM-DD" as `String(format: "%04d-%02d-%02d", …)` prints it. Written out for the
        /// usual values (Foundation's formatter was a visible cost); others still go through it.
        var iso: String {
            guard (0...9999).contains(year), (0...99).contains(month), (0...99).contains(day) else {
                return String(format: "%04d-%02d-%02d", year, month, day)
            }
            func digits(_ n: Int, _ width: Int) -> String {
                let s = String(n)
                return String(repeating: "0", count: width - s.utf8.count) + s
            }
            return digits(year, 4) + "-" + digits(month, 2) + "-" + digits(day, 2)
        }
    }

    static let months: [String: Int] = {
        var m: [String: Int] = [:]
        let tables: [[String]] = [
            ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"],
            ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"],
            ["januar", "februar", "märz", "april", "mai", "juni", "juli", "august", "september", "oktober", "november", "dezember"],
            ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"],
            ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre"],
            ["gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto", "settembre", "ottobre", "novembre", "dicembre"],
            ["janeiro", "fevereiro", "março", "abril", "maio", "junho", "julho", "agosto", "setembro", "outubro", "novembro", "dezembro"],
            // Arabic: Egyptian/Gulf names, then Levantine names (often written "أيلول/سبتمبر").
            ["يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس", "سبتمبر", "أكتوبر", "نوفمبر", "ديسمبر"],
            ["كانون الثاني", "شباط", "آذار", "نيسان", "أيار", "حزيران", "تموز", "آب", "أيلول", "تشرين الأول", "تشرين الثاني", "كانون الأول"],
            // Persian (Gregorian month names as Iranian news writes them).
            ["ژانویه", "فوریه", "مارس", "آوریل", "مه", "ژوئن", "ژوئیه", "اوت", "سپتامبر", "اکتبر", "نوامبر", "دسامبر"],
        ]
        for table in tables { for (i, name) in table.enumerated() where m[name] == nil { m[name] = i + 1 } }
        for extra in [("sept", 9), ("jänner", 1), ("febr", 2), ("dic", 12), ("ene", 1), ("janv", 1), ("févr", 2), ("avr", 4), ("juil", 7), ("déc", 12)] {
            m[extra.0] = extra.1
        }
        return m
    }()

    private static let monthAlternation: String = {
        months.keys.sorted { $0.count > $1.count }.map { NSRegularExpression.escapedPattern(for: $0) }.joined(separator: "|")
    }()

    static let monthFirst = Rx(#"(?<![\p{L}])("# + monthAlternation + #")\.?\s*(\d{1,2})(?:st|nd|rd|th)?\s*,?\s+(\d{4})\b"#, starts: monthFirstStarts)
    static let dayFirst = Rx(#"\b(\d{1,2})(?:\.|er|st|nd|rd|th|º)?\s+(?:de\s+)?("# + monthAlternation + #")\.?(?:\s*/\s*(?:"# + monthAlternation + #"))?\s*,?\s+(?:de\s+)?(\d{4})\b"#, precheck: { mayHoldMonthName($0) }, starts: dayFirstStarts)
    static let iso = Rx(#"\b(\d{4})-(\d{2})-(\d{2})\b"#, needs: ["-"])
    static let dotted = Rx(#"\b(\d{1,2})\.(\d{1,2})\.(\d{4})\b"#, needs: ["."])
    /// "2019年4月2日": year, month and day marked with 年, 月, 日 (Japanese and Chinese).
    /// `needs`: every match holds 年, which no other scalar case-folds to; a line without it
    /// skips the ICU call (speed: this ran on every date-bearing line).
    static let cjk = Rx(#"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日"#, needs: ["年"])
    static let slashed = Rx(#"\b(\d{1,2})/(\d{1,2})/(\d{4})\b"#, needs: ["/"])
    /// "2019.03.05", "2019/3/5": year, month, day (East Asian pages).
    static let yearFirst = Rx(#"\b(\d{4})([./])(\d{1,2})\2(\d{1,2})\b"#, needs: [".", "/"])

    /// The earliest full date in `text`. `monthFirst` decides how "12/3/2007" reads
    /// (true for US English, the only common month-first convention).
    static func first(in text: String, monthFirstNumeric: Bool = true) -> Found? {
        // Every shape needs a four-digit year; most lines have no digits at all.
        guard hasFourDigits(text) else { return nil }
        // The same header line is asked about two or three times (HeaderClassifier.classify,
        // headlineEligible, then ReleaseExtractor), each time running up to six patterns with
        // ICU; the answer depends only on the text's bytes and the flag, so recent answers are kept.
        if let known = FirstMemo.shared.answer(text, monthFirstNumeric) { return known }
        let found = firstUncached(in: text, monthFirstNumeric: monthFirstNumeric)
        FirstMemo.shared.remember(text, monthFirstNumeric, found)
        return found
    }

    /// The last few answers of `first(in:monthFirstNumeric:)`, keyed by the text's exact UTF-8
    /// bytes (not String equality, which holds for canonically equivalent texts that ICU may
    /// read differently) and the flag.
    private final class FirstMemo: @unchecked Sendable {
        static let shared = FirstMemo()
        private struct Entry { var text: String; var monthFirstNumeric: Bool; var found: Found? }
        private var entries: [Entry] = []
        private var next = 0
        private let lock = NSLock()
        private static let capacity = 8

        /// `.some(answer)` when the text and flag were asked about recently, `nil` otherwise.
        func answer(_ text: String, _ monthFirstNumeric: Bool) -> Found?? {
            lock.lock()
            defer { lock.unlock() }
            for e in entries where e.monthFirstNumeric == monthFirstNumeric && Self.sameBytes(e.text, text) { return .some(e.found) }
            return nil
        }

        func remember(_ text: String, _ monthFirstNumeric: Bool, _ found: Found?) {
            lock.lock()
            defer { lock.unlock() }
            let entry = Entry(text: text, monthFirstNumeric: monthFirstNumeric, found: found)
            if entries.count < Self.capacity { entries.append(entry) } else { entries[next] = entry }
            next = (next + 1) % Self.capacity
        }

        private static func sameBytes(_ a: String, _ b: String) -> Bool {
            guard a.utf8.count == b.utf8.count else { return false }
            return a.utf8.elementsEqual(b.utf8)
        }
    }

    private static func firstUncached(in text: String, monthFirstNumeric: Bool) -> Found? {
        var best: Found?
        func offer(_ f: Found?) {
            guard let f, (1...12).contains(f.month), (1...31).contains(f.day), (1800...2200).contains(f.year) else { return }
            if best == nil || f.location < best!.location { best = f }
        }
        if let m = monthFirst.located(text), let mo = month(m.groups[1]), let d = int(m.groups[2]), let y = int(m.groups[3]) {
            offer(Found(year: y, month: mo, day: d, location: m.location, length: m.length))
        }
        if let m = dayFirst.located(text), let d = int(m.groups[1]), let mo = month(m.groups[2]), let y = int(m.groups[3]) {
            offer(Found(year: y, month: mo, day: d, location: m.location, length: m.length))
        }
        if let m = iso.located(text), let y = int(m.groups[1]), let mo = int(m.groups[2]), let d = int(m.groups[3]) {
            offer(Found(year: y, month: mo, day: d, location: m.location, length: m.length))
        }
        if let m = dotted.located(text), let d = int(m.groups[1]), let mo = int(m.groups[2]), let y = int(m.groups[3]) {
            offer(Found(year: y, month: mo, day: d, location: m.location, length: m.length))
        }
        if let m = cjk.located(text), let y = int(m.groups[1]), let mo = int(m.groups[2]), let d = int(m.groups[3]) {
            offer(Found(year: y, month: mo, day: d, location: m.location, length: m.length))
        }
        if let m = yearFirst.located(text), let y = int(m.groups[1]), let mo = int(m.groups[3]), let d = int(m.groups[4]) {
            offer(Found(year: y, month: mo, day: d, location: m.location, length: m.length))
        }
        if let m = slashed.located(text), let a = int(m.groups[1]), let b = int(m.groups[2]), let y = int(m.groups[3]) {
            offer(monthFirstNumeric
                  ? Found(year: y, month: a, day: b, location: m.location, length: m.length)
                  : Found(year: y, month: b, day: a, location: m.location, length: m.length))
        }
        return best
    }

    /// A month-and-day with no year ("August 28", "June 2"), used only to recognize
    /// a dateline's shape, never to produce a date.
    static let yearlessPattern = #"(?:(?:"# + monthAlternation + #")\.?\s*\d{1,2}(?:st|nd|rd|th)?|\d{1,2}\.?\s+(?:de\s+)?(?:"# + monthAlternation + #"))"#

    /// Date-only pattern (with optional weekday and year) for stripping dates out of datelines.
    static let anyDatePattern = #"(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s+)?(?:"# + yearlessPattern + #")(?:\s*(?:/\s*(?:"# + monthAlternation + #"))?,?\s+\d{4})?"#

    /// A necessary condition for every pattern built on `monthAlternation` (here, in
    /// HeaderClassifier and DatelineParser), hand-written for speed: the month-name
    /// alternation, matched ignoring case, made ICU try ~100 names at every position.
    ///
    /// In each of those patterns the month name has no letter (\p{L}) before it (a look-behind,
    /// `\s`, `^` or `/`) and none after it (`.`, `\s`, a digit, `/` or `,` follows), so it is a
    /// whole run of letters. This returns `true` when some run of letters, lower-cased, is a
    /// month name (or the first word of a two-word Arabic one), and also for any run holding a
    /// letter that the names do not use and that case folding changes: such a letter may fold
    /// to one they use under ICU's case-insensitive matching ("ſ" to "s", the Kelvin sign to "k").
    /// A scalar Swift's tables do not know as a letter, or a letter newer than ICU's tables
    /// (`knownToICU`), ends a run: more runs, never fewer matches.
    ///
    /// `followedByDay`, for `monthFirst` (`month\.?\s*\d{1,2}…`), also asks that a whole name
    /// be followed by an optional ".", spaces and a digit (as `Precheck` reads `\s` and `\d`).
    static func mayHoldMonthName(_ text: String, followedByDay: Bool = false) -> Bool {
        monthNameRuns(in: text, followedByDay: followedByDay, all: false).isEmpty == false
    }

    /// Where `monthFirst` may match: the UTF-16 offsets of the runs of letters that
    /// `mayHoldMonthName(_:followedByDay: true)` accepts, in order. Its match opens with the month
    /// name, a whole run of letters (see above), so it can only start where such a run starts.
    static func monthFirstStarts(_ text: String) -> [Int] {
        monthNameRuns(in: text, followedByDay: true, all: true)
    }

    /// Where `dayFirst` may match: its match opens with `\b\d`, a digit with a word boundary
    /// before it, so never right after another digit (Unicode word boundaries keep runs of
    /// digits together). Every scalar that may be a digit (`Precheck.maybeDigit`) is listed
    /// unless it follows an ASCII digit: only for ASCII are ICU and Swift sure to agree (Swift's
    /// tables can be newer than ICU's: U+11DE0 is a digit to Swift 6.3, unassigned to ICU 76).
    static func dayFirstStarts(_ text: String) -> [Int] {
        var found: [Int] = []
        var offset = 0
        var afterDigit = false
        for u in text.unicodeScalars {
            let digit = Precheck.maybeDigit(u)
            if digit && !afterDigit { found.append(offset) }
            afterDigit = u.value >= 0x30 && u.value <= 0x39
            offset += u.value > 0xFFFF ? 2 : 1
        }
        return found
    }

    /// The scan behind `mayHoldMonthName` and `monthFirstStarts`: the UTF-16 offsets of the runs
    /// that may be month names, only the first unless `all`.
    private static func monthNameRuns(in text: String, followedByDay: Bool, all: Bool) -> [Int] {
        var found: [Int] = []
        var run: [UInt8] = []
        run.reserveCapacity(32)
        var unsure = false
        var inRun = false
        var runStart = 0
        var offset = 0
        let scalars = text.unicodeScalars
        /// The run ending before `next` may be a month name of the pattern.
        func endRun(before next: String.UnicodeScalarView.Index) -> Bool {
            defer { run.removeAll(keepingCapacity: true); unsure = false; inRun = false }
            if run.isEmpty { return false }
            if unsure || monthFirstWords.contains(run) { return true }
            guard monthNames.contains(run) else { return false }
            guard followedByDay else { return true }
            var j = next
            if j < scalars.endIndex, scalars[j] == "." { j = scalars.index(after: j) }
            while j < scalars.endIndex, Precheck.maybeSpace(scalars[j].value) || String.isNonASCIIWhiteSpace(scalars[j].value) {
                j = scalars.index(after: j)
            }
            return j < scalars.endIndex && Precheck.maybeDigit(scalars[j])
        }
        var i = scalars.startIndex
        while i < scalars.endIndex {
            let u = scalars[i]
            let width = u.value > 0xFFFF ? 2 : 1
            defer { i = scalars.index(after: i); offset += width }
            let v = u.value
            if v < 0x80 {
                let lower = v | 0x20
                if lower >= 0x61 && lower <= 0x7A {
                    if !inRun { inRun = true; runStart = offset }
                    run.append(UInt8(lower))
                    continue
                }
            } else if let lower = monthLetters[u] {
                if !inRun { inRun = true; runStart = offset }
                UTF8.encode(lower) { run.append($0) }
                continue
            } else {
                switch u.properties.generalCategory {
                case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter:
                    // A letter newer than ICU's tables may be no letter to ICU, and then a month
                    // name may start right after it: it ends the run, as a non-letter does.
                    guard Self.knownToICU(u) else { break }
                    if !inRun { inRun = true; runStart = offset }
                    // A letter no name holds: the run is no name, unless folding may make it one.
                    if u.properties.changesWhenCaseFolded { unsure = true } else { run.append(0xFF) }
                    continue
                default:
                    break
                }
            }
            if endRun(before: i) {
                found.append(runStart)
                if !all { return found }
            }
        }
        if endRun(before: scalars.endIndex) { found.append(runStart) }
        return found
    }

    /// The scalar was assigned before Unicode 16.0, the version of Foundation's ICU 76: its
    /// category is the same to ICU as to Swift (whose tables may be newer).
    static func knownToICU(_ u: Unicode.Scalar) -> Bool {
        guard let age = u.properties.age else { return false }
        return age.major < 16
    }

    /// Month names as UTF-8.
    private static let monthNames: Set<[UInt8]> = Set(months.keys.map { Array($0.utf8) })
    /// The first words of the two-word names ("كانون الثاني"), which a letter follows.
    private static let monthFirstWords: Set<[UInt8]> = Set(months.keys.filter { $0.contains(" ") }.compactMap { $0.split(separator: " ").first.map { Array($0.utf8) } })

    /// The non-ASCII letters of the month names, and their upper-case forms, mapped to the
    /// letter as the names write it (ICU's case folding maps "Ä" to "ä" as lower-casing does).
    private static let monthLetters: [Unicode.Scalar: Unicode.Scalar] = {
        var out: [Unicode.Scalar: Unicode.Scalar] = [:]
        for name in months.keys {
            for u in name.unicodeScalars where u.value >= 0x80 {
                out[u] = u
                let upper = u.properties.uppercaseMapping.unicodeScalars
                if upper.count == 1, let first = upper.first { out[first] = u }
            }
        }
        return out
    }()

    /// `true` when `text` holds four decimal digits in a row (any script's, as `\\d` matches).
    private static func hasFourDigits(_ text: String) -> Bool {
        var run = 0
        for u in text.unicodeScalars {
            let digit = u.value < 0x80 ? (u.value >= 0x30 && u.value <= 0x39) : u.properties.generalCategory == .decimalNumber
            if digit { run += 1; if run >= 4 { return true } } else { run = 0 }
        }
        return false
    }

    private static func int(_ s: String?) -> Int? { s.flatMap { Int($0) } }
    private static func month(_ s: String?) -> Int? { s.flatMap { months[$0.lowercased()] } }

    private static let residueNoise = Rx(#"\b(?:mon|tues|wednes|thurs|fri|satur|sun)day\b|\b\d{1,2}[:.]\d{2}(?::\d{2})?\s*(?:[ap]\.?m\.?|uhr)?|[-–—,|:]|\bdate\b|\bdatum\b|\bfecha\b"#)

    /// How much of `line` is something other than the date (and weekday/time/labels),
    /// to tell a date line ("March 31, 2015", "AUGUST 28, 2002") from a sentence that mentions a date.
    static func residue(of line: String, without found: Found) -> String {
        let ns = line as NSString
        let rest = ns.replacingCharacters(in: NSRange(location: found.location, length: found.length), with: " ")
        return residueNoise.replace(rest, with: " ").squeezed
    }
}
