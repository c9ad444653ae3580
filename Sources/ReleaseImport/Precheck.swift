/// Hand-written necessary conditions for regular expressions that have no literal to filter
/// on (see `Rx.init`'s `precheck`). They exist for speed only: each returns `false` only when
/// the pattern it serves cannot match, so a `true` still goes to ICU, and a line that fails
/// skips an NSRegularExpression call (bridging to UTF-16 and ICU set-up cost more than the
/// scan). They walk Unicode scalars; where a non-ASCII scalar's class could differ between
/// Swift's Unicode tables and ICU's, they count it as "may be in the class" (conservative).
/// The tests compare every precheck with its pattern.
enum Precheck {
    /// A scalar ICU's `\s` (`[\t\n\f\r\p{Z}]`) may match: `maybeSpace`, the White_Space list,
    /// and any separator (category Z*). All of them are in the Basic Multilingual Plane.
    @inline(__always) static func maybeAnySpace(_ u: Unicode.Scalar) -> Bool {
        // Above ASCII, `isSpaceOrNewline` (U+0085 and category Z*) holds the whole White_Space list.
        u.value < 0x80 ? maybeSpace(u.value) : String.isSpaceOrNewline(u)
    }


    /// ASCII scalars ICU's `\s` may match (White_Space, plus U+001C–U+001F for safety).
    @inline(__always) static func maybeSpace(_ v: UInt32) -> Bool {
        v == 0x20 || (v >= 0x09 && v <= 0x0D) || (v >= 0x1C && v <= 0x1F)
    }

    /// A scalar ICU's `\d` (category Nd) may match. Scalars unassigned in Swift's tables count,
    /// as ICU's may be newer.
    @inline(__always) static func maybeDigit(_ u: Unicode.Scalar) -> Bool {
        if u.value < 0x80 { return u.value >= 0x30 && u.value <= 0x39 }
        return ScalarProperties.isDigitOrUnassigned(u)
    }

    /// At least `count` scalars of `s` may be decimal digits (`\d`).
    /// Serves `ContactParser.phone`, whose every match holds at least four digits
    /// (`\d{2,5}` or `+\d \d{1,5}`, a separator, then `\d{2,5}`).
    static func hasDigits(_ s: String, atLeast count: Int) -> Bool {
        var seen = 0
        for u in s.unicodeScalars where maybeDigit(u) {
            seen += 1
            if seen >= count { return true }
        }
        return false
    }

    /// The last `count` scalars of `s` may all belong to `[\d\s` + `others` + `]`, as when a
    /// pattern ends in `[\d\s()/.-]{6,}$` (the phone-only lines of ContactParser and
    /// TextSegmenter). `$` may also stop before a final line terminator, but every terminator
    /// is in `\s`, so the last `count` scalars are in the class either way.
    /// `others` lists ASCII scalars; any non-ASCII scalar counts as "may belong".
    static func endsWithDigitsRun(_ s: String, count: Int, others: String) -> Bool {
        var checked = 0
        for u in s.unicodeScalars.reversed() {
            if checked == count { return true }
            checked += 1
            let v = u.value
            if v >= 0x80 { continue }
            if (v >= 0x30 && v <= 0x39) || maybeSpace(v) { continue }
            if others.unicodeScalars.contains(u) { continue }
            return false
        }
        return checked == count
    }

    /// The first scalar of `s` is one of `scalars` or may be a decimal digit (`\d`): a pattern
    /// such as `^(?:[•▪·*]|-\s|–\s|—\s|\d{1,2}[.)]\s)` (HeaderClassifier's `bullet`) needs it.
    /// With `orSpace`, also a first scalar that may be `\s` (for a pattern such as
    /// `^•?\s*(?:press release|…)$`, where the text may open with spaces).
    /// `scalars` must list every scalar that may open a match (both cases of a letter).
    static func opensWith(_ s: String, oneOf scalars: String, orSpace: Bool = false) -> Bool {
        guard let first = s.unicodeScalars.first else { return false }
        if orSpace, maybeSpace(first.value) || (first.value >= 0x80 && String.isNonASCIIWhiteSpace(first.value)) { return true }
        return maybeDigit(first) || scalars.unicodeScalars.contains(first)
    }

    /// The first scalar of `s` may be a letter: for `^[\p{Lu}]{2,}/\d+:` matched ignoring case
    /// (ClutterFilter's aggregator codes), which then takes any cased letter. Only an ASCII
    /// scalar other than A–Z and a–z is ruled out.
    static func mayOpenWithLetter(_ s: String) -> Bool {
        guard let first = s.unicodeScalars.first else { return false }
        let v = first.value | 0x20
        return first.value >= 0x80 || (v >= 0x61 && v <= 0x7A)
    }

    /// TextSegmenter's `bulletOrLabel`, `^(?:[-*•–—]+\s|\d{1,2}[.)]\s|[\p{L} ]{2,20}:)`: a bullet
    /// or digit first, or a ":" among the first 21 scalars (after 2 to 20 letters or spaces).
    static func mayOpenWithBulletOrLabel(_ s: String) -> Bool {
        if opensWith(s, oneOf: "-*•–—") { return true }
        var n = 0
        for u in s.unicodeScalars {
            if u == ":" { return true }
            n += 1
            if n > 20 { return false }
        }
        return false
    }

    /// BoilerplateDetector's `describes` (case-sensitive): its verb ("is", "are", "fights", …,
    /// "représente") comes after `\s+` within the first 12 whitespace-separated tokens (an
    /// article, "The" before a quoted name, a name of one to nine words, then the verb). This
    /// looks for a token starting with one of the verbs among the first 24 (slack for splitting
    /// on a few more scalars than `\s` may: any White_Space scalar and U+001C–U+001F).
    static func mayDescribeOrganization(_ s: String) -> Bool {
        var tokens = 0
        var atTokenStart = true
        var rest = Substring(s).utf8
        while !rest.isEmpty {
            let b = rest.first!
            if b < 0x80 ? maybeSpace(UInt32(b)) : Self.opensWhiteSpace(rest) {
                atTokenStart = true
                rest = rest.dropFirst()
                continue
            }
            if atTokenStart {
                atTokenStart = false
                tokens += 1
                if tokens > 24 { return false }
                if describingVerbs.contains(where: { rest.starts(with: $0) }) { return true }
            }
            rest = rest.dropFirst()
        }
        return false
    }

    /// The first words of `describes`' verbs, as UTF-8.
    private static let describingVerbs: [[UInt8]] = ["is", "are", "fights", "champions", "works", "represents", "was", "has", "ist", "nimmt", "vertritt", "setzt", "est", "es", "représente"].map { Array($0.utf8) }

    /// The bytes open a non-ASCII White_Space scalar (see `String.isNonASCIIWhiteSpace`).
    private static func opensWhiteSpace(_ bytes: Substring.UTF8View) -> Bool {
        var it = bytes.makeIterator()
        guard let b0 = it.next(), b0 >= 0xC0 else { return false }
        let b1 = it.next() ?? 0, b2 = it.next() ?? 0
        switch b0 {
        case 0xC2: return b1 == 0x85 || b1 == 0xA0
        case 0xE1: return b1 == 0x9A && b2 == 0x80
        case 0xE2: return (b1 == 0x80 && (b2 <= 0x8A || b2 == 0xA8 || b2 == 0xA9 || b2 == 0xAF)) || (b1 == 0x81 && b2 == 0x9F)
        case 0xE3: return b1 == 0x80 && b2 == 0x80
        default: return false
        }
    }

    /// DatelineParser's `wired` needs its wire credit (a case-sensitive pattern):
    /// `/\s*[A-Za-z0-9][^/\n]{1,39}?\s*/` (two slashes) or `\((?:[A-Z][A-Za-z ]*(?:WIRE|[Ww]ire)d?(?:…)?|ots|…|efe)\)`.
    /// This asks for two "/" with room for the credit between them, or "WIRE", "Wire" or "wire"
    /// with a "(", or one of the agencies in parentheses. The pattern tried its place-and-date prefix at every letter of a
    /// paragraph's opening words before failing on the missing credit, the costliest regex call
    /// of the import; in a script without spaces between words ("2019/3/20" in Japanese) at every
    /// way of cutting the first words into five.
    ///
    /// Between the two slashes of a credit stand only non-slash scalars: `\s*`, 2 to 40 of
    /// `[^/\n]`, `\s*`. So two slashes with nothing but other scalars between them qualify when
    /// there are at least 2 of those and at most 40 once the white space at both ends (read as
    /// `maybeAnySpace`, more than ICU's `\s`) is set aside.
    static func mayHoldWireCredit(_ s: String) -> Bool {
        var afterSlash = false
        var gap = 0, leading = 0, trailing = 0
        for u in s.unicodeScalars {
            if u == "/" {
                if afterSlash, gap >= 2, gap - (leading == gap ? gap : leading + trailing) <= 40 { return true }
                afterSlash = true
                gap = 0; leading = 0; trailing = 0
                continue
            }
            guard afterSlash else { continue }
            let space = maybeAnySpace(u)
            if space && leading == gap { leading += 1 }
            trailing = space ? trailing + 1 : 0
            gap += 1
        }
        guard s.bytesContain("(") else { return false }
        return wireCredits.contains { s.bytesContain($0) }
    }

    private static let wireCredits = ["WIRE", "Wire", "wire", "(ots)", "(ost)", "(dpa)", "(afp)", "(ap)", "(reuters)", "(kna)", "(epd)", "(apa)", "(sda)", "(ats)", "(ansa)", "(efe)"]

    /// `s` opens with three runs of `[\p{Lu}\d$%&'’,.:;-]+` each followed by `\s+`, as
    /// TextSegmenter's `capsThenText` (`^((?:[\p{Lu}\d$%&'’,.:;-]+\s+){3,}…`) requires
    /// (a case-sensitive pattern). The first non-ASCII scalar ends the check with "may match".
    static func opensWithThreeCapsWords(_ s: String) -> Bool {
        var inRun = 0, spaces = 0, words = 0
        for u in s.unicodeScalars {
            let v = u.value
            guard v < 0x80 else { return true }
            let caps = (v >= 0x41 && v <= 0x5A) || (v >= 0x30 && v <= 0x39) || "$%&',.:;-".unicodeScalars.contains(u)
            if caps {
                if spaces > 0 {
                    words += 1
                    if words == 3 { return true }
                    spaces = 0
                }
                inRun += 1
            } else if maybeSpace(v) {
                if inRun == 0 { return false }
                spaces += 1
            } else {
                return false
            }
        }
        return false
    }

    /// The needle scan for one " icons"; its pattern never runs.
    private static let iconsOnce = Rx(" icons", needs: [" icons"])

    /// " icons" occurs at least twice (ASCII case ignored), as in every match of ClutterFilter's
    /// `(\b\w+ icons){2,}` (two repetitions, each ending in the literal, which cannot overlap
    /// itself). Any non-ASCII byte counts as "may": a letter such as "ſ" case-folds to an ASCII
    /// one. The needle scan alone let through every line with one icon's alt text.
    static func mayRepeatIcons(_ s: String) -> Bool {
        // Rx's needle scan (memchr, pair filter) first: most lines hold no " icons" at all.
        guard iconsOnce.passesPrefilter(s) else { return false }
        var s = s
        return s.withUTF8 { bytes in
            let needle: [UInt8] = Array(" icons".utf8)
            var found = 0
            var i = 0
            while i + needle.count <= bytes.count {
                var k = 0
                while k < needle.count && Rx.lowerASCII(bytes[i + k]) == needle[k] { k += 1 }
                if k == needle.count {
                    found += 1
                    if found >= 2 { return true }
                    i += needle.count
                } else {
                    i += 1
                }
            }
            return bytes.contains { $0 >= 0x80 }
        }
    }

    /// TimingLine's `embargo` opens with `^[\W_]*` and then a word starting with one of
    /// a, e, h, n, s, u (achtung, embargo, hold, not, sperrfrist, strictly, sous, under):
    /// every ASCII character but a letter or digit is in `[\W_]`, a digit is not and opens no
    /// alternative, so the first ASCII letter or digit decides. A non-ASCII scalar (a letter
    /// such as "ſ" folds to ASCII) counts as "may". Run on every paragraph, this reads its first
    /// bytes where the needle scan read all of it.
    static func mayOpenEmbargo(_ s: String) -> Bool {
        for b in s.utf8 {
            if b >= 0x80 { return true }
            switch b | 0x20 {
            case UInt8(ascii: "a"), UInt8(ascii: "e"), UInt8(ascii: "h"), UInt8(ascii: "n"), UInt8(ascii: "s"), UInt8(ascii: "u"):
                if (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) { return true }
            default:
                break
            }
            if (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39) { return false }
        }
        return false
    }

    /// DatelineParser's `dashed`: `^` place, region and date, then a separator holding "-", "–",
    /// "—" or ":". Place, region and date are made of letters, marks, digits, spaces and
    /// `. ' ’ , ، / & ( )` only (the month names included; a date may stand in brackets), so scanning from the start, one of the
    /// separator characters must come before any other ASCII character (a ":" only after a
    /// digit, see below); and the place opens
    /// with `[\p{Lu}\p{Lo}]`, so an ASCII first byte must be a capital. Non-ASCII scalars count
    /// as allowed ("may"). Most paragraphs hold a hyphen or colon somewhere (the needle scan
    /// passed them to ICU) but a quotation mark, bracket or the like before it.
    ///
    /// Words before the separator: place and region words open with a capital, so a word opening
    /// with a lower-case ASCII letter must be a connector (`and`, `de`, `upon`, …, which may run
    /// into the next word: "deJaneiro") or a weekday or month name of the date, in any case
    /// (`lowercaseWordMayOpen`). "The council voted 9-2" fails at "council".
    static func mayOpenDashedDateline(_ s: String) -> Bool {
        var s = s
        return s.withUTF8 { bytes in
            guard let first = bytes.first else { return false }
            if first < 0x80 && !(first >= 0x41 && first <= 0x5A) { return false }
            for (i, b) in bytes.enumerated() {
                if b >= 0x61 && b <= 0x7A, i > 0, maybeSpace(UInt32(bytes[i - 1])), !lowercaseWordMayOpen(bytes, at: i) { return false }
                if b >= 0x80 {
                    // "–" (E2 80 93) and "—" (E2 80 94) are separators; other scalars may be allowed.
                    if b == 0xE2, i + 2 < bytes.count, bytes[i + 1] == 0x80, bytes[i + 2] == 0x93 || bytes[i + 2] == 0x94 { return true }
                    continue
                }
                switch b {
                case UInt8(ascii: "-"):
                    return true
                case UInt8(ascii: ":"):
                    // The colon separates only after a date's digit (`(?<=\d)\s*:`), and nothing
                    // before the separator may be a colon: the scalar before it, spaces skipped,
                    // must be a digit (any non-ASCII scalar: may).
                    var k = i
                    while k > 0, maybeSpace(UInt32(bytes[k - 1])) { k -= 1 }
                    return k > 0 && ((bytes[k - 1] >= 0x30 && bytes[k - 1] <= 0x39) || bytes[k - 1] >= 0x80)
                case 0x41...0x5A, 0x61...0x7A, 0x30...0x39, 0x09...0x0D, 0x1C...0x20,
                     UInt8(ascii: "."), UInt8(ascii: "'"), UInt8(ascii: ","), UInt8(ascii: "/"), UInt8(ascii: "&"),
                     UInt8(ascii: "("), UInt8(ascii: ")"):
                    // Brackets: a date in them ("GREENSBORO, NC (April 15, 2019) –").
                    continue
                default:
                    return false
                }
            }
            return false
        }
    }

    /// Whether the word opening at `i` (a lower-case ASCII letter after white space) may stand
    /// before a dateline's separator: its run of lower-case ASCII letters is a connector of the
    /// place (case-sensitive, and it may run into the next word: "deJaneiro"), or its run of
    /// ASCII letters, case folded, is "de", a weekday or a month name of the date (`(?i:…)`:
    /// "mARCH"); a run cut by a non-ASCII byte ("märz", "août") may be a month name too.
    private static func lowercaseWordMayOpen(_ bytes: UnsafeBufferPointer<UInt8>, at i: Int) -> Bool {
        var lowerEnd = i
        while lowerEnd < bytes.count, bytes[lowerEnd] >= 0x61 && bytes[lowerEnd] <= 0x7A { lowerEnd += 1 }
        var letterEnd = lowerEnd
        while letterEnd < bytes.count, (bytes[letterEnd] | 0x20) >= 0x61 && (bytes[letterEnd] | 0x20) <= 0x7A { letterEnd += 1 }
        if (lowerEnd < bytes.count && bytes[lowerEnd] >= 0x80) || (letterEnd < bytes.count && bytes[letterEnd] >= 0x80) { return true }
        if datelineConnectors.contains(Array(bytes[i..<lowerEnd])) { return true }
        return datelineDateWords.contains(bytes[i..<letterEnd].map { $0 | 0x20 })
    }

    /// Connectors of `DatelineParser`'s place, as it writes them (lower case).
    private static let datelineConnectors: Set<[UInt8]> = Set(["and", "de", "del", "la", "le", "upon", "on", "am", "an", "der", "sur", "en"].map { Array($0.utf8) })

    /// The words its date may hold, lower case: "de", weekdays and the ASCII month names.
    private static let datelineDateWords: Set<[UInt8]> = {
        let weekdays = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
        let months = DateParser.months.keys.filter { $0.utf8.allSatisfy { $0 >= 0x61 && $0 <= 0x7A } }
        return Set((["de"] + weekdays + months).map { Array($0.utf8) })
    }()

    /// DatelineParser's `wired`: `^` place, region and date, an optional dash, then the credit
    /// opening with "/" or "(". Before it stand only letters, marks, digits, spaces, dashes and
    /// `. ' ’ , ، / &` (as in `mayOpenDashedDateline`, no ":"), so scanning from the start a "/"
    /// or "(" must come before any other ASCII character, and an ASCII first byte must be a
    /// capital (`[\p{Lu}\p{Lo}]`). Non-ASCII scalars count as allowed ("may").
    /// Lower-case words before the credit are held to the rule of `mayOpenDashedDateline`.
    static func mayOpenWiredDateline(_ s: String) -> Bool {
        var s = s
        return s.withUTF8 { bytes in
            guard let first = bytes.first else { return false }
            if first < 0x80 && !(first >= 0x41 && first <= 0x5A) { return false }
            for (i, b) in bytes.enumerated() where b < 0x80 {
                if b >= 0x61 && b <= 0x7A, i > 0, maybeSpace(UInt32(bytes[i - 1])), !lowercaseWordMayOpen(bytes, at: i) { return false }
                switch b {
                case UInt8(ascii: "/"), UInt8(ascii: "("):
                    return true
                case 0x41...0x5A, 0x61...0x7A, 0x30...0x39, 0x09...0x0D, 0x1C...0x20,
                     UInt8(ascii: "."), UInt8(ascii: "'"), UInt8(ascii: ","), UInt8(ascii: "&"), UInt8(ascii: "-"):
                    continue
                default:
                    return false
                }
            }
            return false
        }
    }
}
