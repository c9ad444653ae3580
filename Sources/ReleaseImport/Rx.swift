import Foundation

/// A compiled regular expression with String-friendly results.
///
/// NSRegularExpression is documented as safe to use from several threads, which is
/// why the wrapper may be `@unchecked Sendable` and the patterns can be shared `let`s.
final class Rx: @unchecked Sendable {
    private let re: NSRegularExpression
    /// Lower-case ASCII literals of which every match contains at least one (see `init`).
    /// Readable by the tests, which compare the scan with a plain one.
    let needs: [[UInt8]]

    /// Patterns are literals in this module, so a bad one is a programming error caught by the tests.
    ///
    /// `needs` lists literals (ASCII) of which any match must contain at least one, compared
    /// ignoring ASCII case. Most lines match none of the patterns run over them, and an
    /// NSRegularExpression call costs microseconds of bridging before ICU even looks at the
    /// text, so a byte search that rules the pattern out first is where the time is saved.
    /// Leave it empty when no such literal exists.
    ///
    /// `prefixes`, for a pattern anchored with `^` (no multiline option), lists literals one of
    /// which every match starts with at the start of the text (ignoring ASCII case when the pattern does): the
    /// text is then ruled out from its first bytes instead of handing a long paragraph to ICU.
    ///
    /// `precheck`, for a pattern with no such literal, is a hand-written necessary condition
    /// (`false` only when the pattern cannot match); its doc says which part of the pattern it
    /// reads, and the tests compare it with the pattern.
    ///
    /// `starts`, for a pattern whose matches can only begin where a hand-written scan finds them,
    /// returns those UTF-16 offsets in ascending order (a superset is fine; `[]`: no match): ICU
    /// then tries the pattern anchored at each offset instead of at every position of the text
    /// (see `firstMatch`). Its doc says which part of the pattern it reads; the tests compare the
    /// two searches.
    ///
    /// `from`, for a pattern whose matches cannot start before an offset a scan finds cheaply,
    /// returns that UTF-16 offset (`nil`: no match): ICU searches from there, for the first-match
    /// calls. Suits patterns with many possible starts after the first (anchored attempts at each
    /// would hand ICU the rest of the text each time).
    ///
    /// A pattern with any of these hints is listed in `hinted` under the place it is written
    /// (`file` and `line`, filled in by the compiler), so that one test can check every hinted
    /// pattern against its plain form.
    init(_ pattern: String, caseInsensitive: Bool = true, needs: [String] = [], prefixes: [String] = [], precheck: (@Sendable (String) -> Bool)? = nil, starts: (@Sendable (String) -> [Int])? = nil, from: (@Sendable (String) -> Int?)? = nil,
         file: StaticString = #fileID, line: UInt = #line) {
        re = Self.compiled(pattern, caseInsensitive: caseInsensitive)
        self.precheck = precheck
        self.matchStarts = starts
        self.searchFrom = from
        // Compared ignoring ASCII case for a case-insensitive pattern (so kept lower-case), byte for byte otherwise.
        self.prefixes = prefixes.map { Array((caseInsensitive ? $0.lowercased() : $0).utf8) }
        // The bytes a text may open with to start with a prefix: each prefix's first byte in
        // both ASCII cases, and for a case-insensitive pattern every non-ASCII byte (a letter
        // that folds to ASCII counts as "may", see `startsWith`).
        var leads = [Bool](repeating: false, count: 256)
        for p in self.prefixes {
            leads[Int(p[0])] = true
            if p[0] >= 0x61 && p[0] <= 0x7A { leads[Int(p[0] - 0x20)] = true }
        }
        if caseInsensitive { for b in 0x80...0xFF { leads[b] = true } }
        prefixLeads = leads
        self.needs = needs.map { Array($0.lowercased().utf8) }
        // A byte opens a needle in either case, so the scan needs no case folding per byte.
        var starts = [Bool](repeating: false, count: 256)
        for n in self.needs {
            starts[Int(n[0])] = true
            if n[0] >= 0x61 && n[0] <= 0x7A { starts[Int(n[0] - 0x20)] = true }
        }
        // Case-insensitive ICU patterns match with full case folding: "ß" matches "ss", "ſ" "s",
        // the Kelvin sign "k", "ﬁ" "fi". A text holding such a letter may match a needle it does
        // not contain byte for byte, so the lead bytes of those letters stop the scan ("may match").
        if caseInsensitive && !self.needs.isEmpty {
            for b: UInt8 in [0xC3, 0xC5, 0xC7, 0xE1, 0xE2, 0xEF] { starts[Int(b)] = true }
        }
        self.starts = starts
        // Needles' first two bytes, hashed into a small bit set: a position whose pair is not in
        // it is skipped without trying the needles (one-byte needles leave the set empty: unused).
        var pairs = [UInt64](repeating: 0, count: Self.pairWords)
        if self.needs.allSatisfy({ $0.count >= 2 }) {
            for n in self.needs { let h = Self.pairHash(n[0], n[1]); pairs[h >> 6] |= 1 << UInt64(h & 63) }
        }
        self.pairs = self.needs.allSatisfy({ $0.count >= 2 }) ? pairs : []
        self.caseInsensitive = caseInsensitive
        caseless = needs.allSatisfy { $0.unicodeScalars.allSatisfy(Self.isCaseless) }
        if !self.needs.isEmpty || !self.prefixes.isEmpty || self.precheck != nil || matchStarts != nil || searchFrom != nil {
            Self.register(self, at: "\(file):\(line)")
        }
    }

    /// `needle` occurs in `hay` byte for byte: memchr (vectorized) finds each candidate first byte.
    private static func find(_ needle: [UInt8], in hay: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = hay.baseAddress, needle.count <= hay.count else { return false }
        let first = Int32(needle[0])
        var i = 0
        let last = hay.count - needle.count
        while i <= last {
            guard let p = memchr(base + i, first, last - i + 1) else { return false }
            let at = base.distance(to: p.assumingMemoryBound(to: UInt8.self))
            var k = 1
            while k < needle.count && hay[at + k] == needle[k] { k += 1 }
            if k == needle.count { return true }
            i = at + 1
        }
        return false
    }

    /// `needle` (lower-case) occurs in `hay` with ASCII case ignored: memchr finds the candidate
    /// positions of its first byte, in each case when it is a letter.
    private static func findIgnoringASCIICase(_ needle: [UInt8], in hay: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = hay.baseAddress, needle.count <= hay.count else { return false }
        let first = needle[0]
        let last = hay.count - needle.count
        for lead in first >= 0x61 && first <= 0x7A ? [first, first - 0x20] : [first] {
            var i = 0
            while i <= last {
                guard let p = memchr(base + i, Int32(lead), last - i + 1) else { break }
                let at = base.distance(to: p.assumingMemoryBound(to: UInt8.self))
                var k = 1
                while k < needle.count && lowerASCII(hay[at + k]) == needle[k] { k += 1 }
                if k == needle.count { return true }
                i = at + 1
            }
        }
        return false
    }

    /// Every needle consists of punctuation that no letter case-folds to (see `isCaseless`), so
    /// the text can be searched for the needles' bytes as they are, with memchr (`find`).
    let caseless: Bool

    /// ASCII other than letters, General Punctuation (U+2010–U+205E) and Arrows
    /// (U+2190–U+21FF): no case mapping or folding involves these scalars.
    private static func isCaseless(_ u: Unicode.Scalar) -> Bool {
        switch u.value {
        case 0x00...0x40, 0x5B...0x60, 0x7B...0x7F, 0x2010...0x205E, 0x2190...0x21FF: return true
        default: return false
        }
    }

    private static let pairWords = 16
    /// A hash of two (lower-cased) bytes into `pairWords * 64` bits.
    @inline(__always) private static func pairHash(_ a: UInt8, _ b: UInt8) -> Int {
        (Int(a) &* 31 &+ Int(b)) & (pairWords * 64 - 1)
    }
    /// The pair bit set (see `init`), empty when some needle is a single byte.
    private let pairs: [UInt64]
    /// Which bytes open a needle (both ASCII cases), plus the lead bytes of folding specials.
    private let starts: [Bool]
    let caseInsensitive: Bool

    private let prefixes: [[UInt8]]
    /// For `prefixes`: which first bytes may open a match (see `init`).
    private let prefixLeads: [Bool]
    private let precheck: (@Sendable (String) -> Bool)?
    private let matchStarts: (@Sendable (String) -> [Int])?
    private let searchFrom: (@Sendable (String) -> Int?)?

    /// The first match in `s`, as a search over the whole text finds it. With `from`, ICU searches
    /// from that offset (transparent bounds, see below). With `starts`, ICU is
    /// asked at each offset in turn, anchored there: the first that matches starts the leftmost
    /// match, and ICU's search at that position would have produced the same one. Transparent
    /// bounds let look-behind and `\b` see the text before the offset; without anchoring bounds
    /// `^` still means the start of the text, not of the range.
    private func firstMatch(_ s: String) -> NSTextCheckingResult? {
        let length = s.utf16.count
        if let searchFrom {
            guard let offset = searchFrom(s), offset <= length else { return nil }
            return re.firstMatch(in: s, options: [.withTransparentBounds, .withoutAnchoringBounds], range: NSRange(location: offset, length: length - offset))
        }
        guard let matchStarts else { return re.firstMatch(in: s, range: NSRange(location: 0, length: length)) }
        for offset in matchStarts(s) where offset <= length {
            if let m = re.firstMatch(in: s, options: [.anchored, .withTransparentBounds, .withoutAnchoringBounds], range: NSRange(location: offset, length: length - offset)) {
                return m
            }
        }
        return nil
    }

    /// `false` when the prefilter proves the pattern cannot match `s`.
    @inline(__always) private func mayMatch(_ s: String) -> Bool {
        // A prefixed pattern rules out most lines by their first byte alone.
        if !prefixes.isEmpty {
            guard let first = s.utf8.first, prefixLeads[Int(first)] else { return false }
        }
        if let precheck, !precheck(s) { return false }
        if needs.isEmpty && prefixes.isEmpty { return true }
        var s = s
        return s.withUTF8 { hay in
            if !prefixes.isEmpty && !prefixes.contains(where: { Self.startsWith(hay, $0, caseInsensitive: caseInsensitive) }) { return false }
            if needs.isEmpty { return true }
            return needsMatch(hay)
        }
    }

    /// The `needs` part of the prefilter: some needle occurs (ignoring ASCII case), or, for a
    /// case-insensitive pattern, a letter that folds to ASCII does (see `foldsToASCII`).
    private func needsMatch(_ hay: UnsafeBufferPointer<UInt8>) -> Bool {
        if caseless {
            // No letter case-folds to these needles, so they are searched for as they are.
            return needs.contains { Self.find($0, in: hay) }
        }
        if hay.count > 128 {
            // A paragraph: memchr (vectorized) for each needle's first byte in either case, then
            // the folding letters; the byte loop below is quicker only for short lines.
            return needs.contains { Self.findIgnoringASCIICase($0, in: hay) } || (caseInsensitive && Self.hasFoldingLetter(hay))
        }
        return starts.withUnsafeBufferPointer { starts in
            pairs.withUnsafeBufferPointer { Self.containsAny(hay, needs, starts, $0, caseInsensitive: caseInsensitive) }
        }
    }

    /// `needsMatch` for the tests: the needs part alone, on a whole string.
    func passesNeeds(_ s: String) -> Bool {
        var s = s
        return s.withUTF8 { needsMatch($0) }
    }

    /// Some letter of `foldsToASCII`'s list occurs in `hay` (memchr for each lead byte).
    private static func hasFoldingLetter(_ hay: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = hay.baseAddress else { return false }
        for lead: UInt8 in [0xC3, 0xC5, 0xC7, 0xE1, 0xE2, 0xEF] {
            var i = 0
            while i < hay.count, let p = memchr(base + i, Int32(lead), hay.count - i) {
                let at = base.distance(to: p.assumingMemoryBound(to: UInt8.self))
                if foldsToASCII(hay, at: at) { return true }
                i = at + 1
            }
        }
        return false
    }

    /// `hay` opens with `prefix` (lower-case), ASCII case ignored when the pattern ignores case;
    /// a letter with an ASCII case folding (see `foldsToASCII`) where they differ counts as "may".
    private static func startsWith(_ hay: UnsafeBufferPointer<UInt8>, _ prefix: [UInt8], caseInsensitive: Bool) -> Bool {
        var k = 0
        while k < prefix.count {
            guard k < hay.count else { return false }
            let b = hay[k]
            if b == prefix[k] || (caseInsensitive && lowerASCII(b) == prefix[k]) { k += 1; continue }
            return caseInsensitive && b >= 0x80 && foldsToASCII(hay, at: k)
        }
        return true
    }

    /// One pass over the text for all needles: a position is tried only when its byte opens one.
    private static func containsAny(_ hay: UnsafeBufferPointer<UInt8>, _ needles: [[UInt8]], _ starts: UnsafeBufferPointer<Bool>, _ pairs: UnsafeBufferPointer<UInt64>, caseInsensitive: Bool) -> Bool {
        var i = 0
        let n = hay.count
        while i < n {
            let b = hay[i]
            guard starts[Int(b)] else { i += 1; continue }
            if b >= 0x80 {
                if caseInsensitive, foldsToASCII(hay, at: i) { return true }
                if b >= 0xC3 && b <= 0xEF && !needles.contains(where: { $0[0] == b }) { i += 1; continue }
            }
            let c = lowerASCII(b)
            if !pairs.isEmpty {
                // Every needle has two bytes or more, so one must fit and its pair must be in the set.
                guard i + 1 < n else { return false }
                let h = pairHash(c, lowerASCII(hay[i + 1]))
                if pairs[h >> 6] & (1 << UInt64(h & 63)) == 0 { i += 1; continue }
            }
            for needle in needles where needle[0] == c && needle.count <= n - i {
                var k = 1
                while k < needle.count && lowerASCII(hay[i + k]) == needle[k] { k += 1 }
                if k == needle.count { return true }
            }
            i += 1
        }
        return false
    }

    /// A letter whose case folding holds ASCII letters: ß U+00DF, ŉ U+0149, ſ U+017F, ǰ U+01F0,
    /// ẖ–ẞ U+1E96–U+1E9E, K U+212A, Å U+212B, ﬀ–ﬆ U+FB00–U+FB06.
    @inline(__always) private static func foldsToASCII(_ hay: UnsafeBufferPointer<UInt8>, at i: Int) -> Bool {
        let n = hay.count
        let b = hay[i]
        guard i + 1 < n else { return false }
        let b1 = hay[i + 1]
        switch b {
        case 0xC3: return b1 == 0x9F
        case 0xC5: return b1 == 0x89 || b1 == 0xBF
        case 0xC7: return b1 == 0xB0
        case 0xE1: return i + 2 < n && b1 == 0xBA && hay[i + 2] >= 0x96 && hay[i + 2] <= 0x9E
        case 0xE2: return i + 2 < n && b1 == 0x84 && (hay[i + 2] == 0xAA || hay[i + 2] == 0xAB)
        case 0xEF: return i + 2 < n && b1 == 0xAC && hay[i + 2] <= 0x86
        default: return false
        }
    }

    @inline(__always) static func lowerASCII(_ b: UInt8) -> UInt8 { b >= 0x41 && b <= 0x5A ? b | 0x20 : b }

    /// Every pattern built with hints so far, by the place it is written ("ReleaseImport/Rx.swift:12").
    nonisolated(unsafe) private static var hintedSites: [String: Rx] = [:]
    private static let hintedLock = NSLock()

    private static func register(_ rx: Rx, at site: String) {
        hintedLock.lock()
        defer { hintedLock.unlock() }
        hintedSites[site] = rx
    }

    /// The hinted patterns built so far (a `static let` is built when first used), by site.
    static var hinted: [(site: String, rx: Rx)] {
        hintedLock.lock()
        defer { hintedLock.unlock() }
        return hintedSites.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }

    /// Compiled expressions by pattern: many patterns are written inline where they are used,
    /// and compiling one costs more than running it, so each is compiled once per process.
    nonisolated(unsafe) private static var cache: [String: NSRegularExpression] = [:]
    private static let cacheLock = NSLock()

    private static func compiled(_ pattern: String, caseInsensitive: Bool) -> NSRegularExpression {
        let key = (caseInsensitive ? "i:" : "c:") + pattern
        cacheLock.lock()
        defer { cacheLock.unlock() }
        if let re = cache[key] { return re }
        var options: NSRegularExpression.Options = [.useUnicodeWordBoundaries]
        if caseInsensitive { options.insert(.caseInsensitive) }
        // swiftlint:disable:next force_try
        let re = try! NSRegularExpression(pattern: pattern, options: options)
        cache[key] = re
        return re
    }

    /// Capture groups of the first match (index 0 = whole match); `nil` when no match.
    func match(_ s: String) -> [String?]? {
        guard mayMatch(s) else { return nil }
        guard let m = firstMatch(s) else { return nil }
        return Self.groups(of: m, in: s)
    }

    /// Every match's capture groups.
    func matches(_ s: String) -> [[String?]] {
        guard mayMatch(s) else { return [] }
        return re.matches(in: s, range: NSRange(location: 0, length: s.utf16.count)).map { Self.groups(of: $0, in: s) }
    }

    /// The first match, in order, for which `accept` returns a value (given the match's groups),
    /// and that value; ICU stops looking there. What `matches(s).lazy.compactMap(accept).first` gives.
    func firstMatch<T>(in s: String, accepting accept: ([String?]) -> T?) -> T? {
        guard mayMatch(s) else { return nil }
        var found: T?
        // Foundation declares the block escaping; it runs only during the call.
        withoutActuallyEscaping(accept) { accept in
            re.enumerateMatches(in: s, range: NSRange(location: 0, length: s.utf16.count)) { m, _, stop in
                guard let m, let value = accept(Self.groups(of: m, in: s)) else { return }
                found = value
                stop.pointee = true
            }
        }
        return found
    }

    /// Text before and after the first match, with the match's groups.
    func split(_ s: String) -> (before: String, groups: [String?], after: String)? {
        guard mayMatch(s) else { return nil }
        let length = s.utf16.count
        guard let m = firstMatch(s) else { return nil }
        let end = m.range.location + m.range.length
        let before = Self.slice(s, NSRange(location: 0, length: m.range.location))
        let after = Self.slice(s, NSRange(location: end, length: length - end))
        return (before, Self.groups(of: m, in: s), after)
    }

    /// The match's groups as strings (`nil` for a group that took no part).
    private static func groups(of m: NSTextCheckingResult, in s: String) -> [String?] {
        (0..<m.numberOfRanges).map { i in
            let r = m.range(at: i)
            return r.location == NSNotFound ? nil : slice(s, r)
        }
    }

    /// The text of `s` in the UTF-16 range `r`: what `NSString.substring(with:)` returns, cut
    /// from the Swift string's own storage (NSString's version transcoded every group through
    /// UTF-16 and was a visible share of the run time). A range that splits a surrogate pair
    /// still goes through NSString, which decides what becomes of the half.
    static func slice(_ s: String, _ r: NSRange) -> String {
        let u = s.utf16
        let a = u.index(u.startIndex, offsetBy: r.location)
        let b = u.index(a, offsetBy: r.length)
        if let text = String(u[a..<b]) { return text }
        return (s as NSString).substring(with: r)
    }

    /// Whether the pattern matches, asked of ICU without the prefilter: the tests compare the
    /// two, as a prefilter must never rule out a text the pattern matches.
    func testUnfiltered(_ s: String) -> Bool {
        re.firstMatch(in: s, range: NSRange(location: 0, length: s.utf16.count)) != nil
    }

    /// Whether the prefilter (precheck, prefixes, needs, and `starts` or `from` finding an offset) lets `s` through to ICU.
    func passesPrefilter(_ s: String) -> Bool {
        mayMatch(s) && (matchStarts.map { !$0(s).isEmpty } ?? true) && (searchFrom.map { $0(s) != nil } ?? true)
    }

    /// The first match as the plain pattern finds it: no prefilter, no `starts` or `from`, a
    /// search over the whole text. What every hint must leave unchanged.
    func plainLocated(_ s: String) -> (location: Int, length: Int, groups: [String?])? {
        guard let m = re.firstMatch(in: s, range: NSRange(location: 0, length: s.utf16.count)) else { return nil }
        return (m.range.location, m.range.length, Self.groups(of: m, in: s))
    }

    func test(_ s: String) -> Bool {
        guard mayMatch(s) else { return false }
        return firstMatch(s) != nil
    }

    func replace(_ s: String, with template: String) -> String {
        guard mayMatch(s) else { return s }
        return re.stringByReplacingMatches(in: s, range: NSRange(location: 0, length: s.utf16.count), withTemplate: template)
    }
}

extension String {
    // These helpers run many times per line. Foundation's versions bridge every call to
    // NSString (and `wordCount` went through Character segmentation), which made them a
    // large share of the import time; these walk the Unicode scalars directly instead.

    /// Without leading and trailing whitespace and newlines (the `.whitespacesAndNewlines` set).
    var trimmed: String { trimmingScalars(where: Self.isSpaceOrNewline) }

    /// Collapses runs of whitespace (NBSP included) to one space.
    var squeezed: String {
        split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }

    /// Number of runs of non-whitespace (`Unicode.Scalar.Properties.isWhitespace`).
    var wordCount: Int { countWords(stoppingAfter: Int.max) }

    /// `wordCount <= n`, reading only as far as the (n + 1)-th word: many callers ask whether a
    /// long paragraph is short.
    func hasWords(atMost n: Int) -> Bool { countWords(stoppingAfter: n) <= n }

    /// `min(wordCount, limit + 1)`: the count stops once it exceeds `limit`.
    func countWords(stoppingAfter limit: Int) -> Int {
        // Over the UTF-8 bytes, as this runs for nearly every line several times: a scalar is
        // whitespace when its bytes spell one of the White_Space scalars (`isNonASCIIWhiteSpace`'s
        // list, encoded); continuation bytes belong to the scalar their lead byte opened.
        var s = self
        return s.withUTF8 { bytes in
            var count = 0
            var inWord = false
            var i = 0
            let n = bytes.count
            while i < n {
                let b = bytes[i]
                var space = false
                if b < 0x80 {
                    space = b == 0x20 || (b >= 0x09 && b <= 0x0D)
                } else if b >= 0xC0 {
                    let b1: UInt8 = i + 1 < n ? bytes[i + 1] : 0
                    let b2: UInt8 = i + 2 < n ? bytes[i + 2] : 0
                    switch b {
                    case 0xC2: space = b1 == 0x85 || b1 == 0xA0                       // U+0085, U+00A0
                    case 0xE1: space = b1 == 0x9A && b2 == 0x80                       // U+1680
                    case 0xE2: space = (b1 == 0x80 && (b2 <= 0x8A || b2 == 0xA8 || b2 == 0xA9 || b2 == 0xAF))
                        || (b1 == 0x81 && b2 == 0x9F)                                 // U+2000–200A, 2028, 2029, 202F, 205F
                    case 0xE3: space = b1 == 0x80 && b2 == 0x80                       // U+3000
                    default: space = false
                    }
                } else {
                    // A continuation byte: same scalar, same state.
                    i += 1
                    continue
                }
                if space { inWord = false } else if !inWord {
                    inWord = true
                    count += 1
                    if count > limit { return count }
                }
                i += 1
            }
            return count
        }
    }

    /// `wordCount`, with the letters of scripts written without spaces between words (Han,
    /// hiragana, katakana) counted as one word per two: a length in words for a Japanese or
    /// Chinese line too ("2020年7月1日 10時00分" is 4, a sentence of 140 such letters about 70).
    var wordEquivalents: Int {
        var spaceless = 0
        for u in unicodeScalars where u.isSpacelessLetter { spaceless += 1 }
        return wordCount + spaceless / 2
    }

    /// Letters-and-digits-only lower-case form, for "same text" comparisons that
    /// ignore case, punctuation and spacing (duplicated titles and leads).
    var comparable: String {
        // Most texts are ASCII: their letters and digits are written straight into the new
        // string's storage (an intermediate byte array, validated again by String(decoding:),
        // was a visible cost over every body paragraph).
        var s = self
        let count = utf8.count
        let ascii: String? = s.withUTF8 { bytes in
            for b in bytes where b >= 0x80 { return nil }
            return String(unsafeUninitializedCapacity: count) { out in
                var n = 0
                for b in bytes {
                    if b >= 0x41 && b <= 0x5A { out[n] = b | 0x20; n += 1 } else if (b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39) { out[n] = b; n += 1 }
                }
                return n
            }
        }
        if let ascii { return ascii }
        var out: [UInt8] = []
        out.reserveCapacity(count)
        for u in unicodeScalars {
            if u.value < 0x80 {
                let b = UInt8(u.value)
                if b >= 0x41 && b <= 0x5A { out.append(b | 0x20) } else if (b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39) { out.append(b) }
                continue
            }
            // Same as `lowercased()` then keeping CharacterSet.alphanumerics (categories L*, M*, N*).
            // A scalar that does not change when lower-cased is its own mapping (the tests check
            // every scalar), so it is kept or dropped without building the mapping's String.
            if !ScalarProperties.changesWhenLowercased(u) {
                if ScalarProperties.isAlphanumeric(u) { UTF8.encode(u) { out.append($0) } }
                continue
            }
            for l in u.properties.lowercaseMapping.unicodeScalars where ScalarProperties.isAlphanumeric(l) {
                UTF8.encode(l) { out.append($0) }
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// `Unicode.Scalar.Properties.isWhitespace` (the White_Space property) for a scalar above
    /// U+007F, from the property's short and stable list (unchanged since Unicode 6.3):
    /// written out because the table look-up was a visible share of `wordCount`.
    static func isNonASCIIWhiteSpace(_ v: UInt32) -> Bool {
        switch v {
        case 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000: return true
        default: return false
        }
    }

    /// Membership in CharacterSet.whitespacesAndNewlines: category Z*, U+0009–U+000D, U+0085.
    static func isSpaceOrNewline(_ u: Unicode.Scalar) -> Bool {
        if u.value < 0x80 { return u.value == 0x20 || (u.value >= 0x09 && u.value <= 0x0D) }
        return u.value == 0x85 || ScalarProperties.isSeparator(u)
    }

    /// Exact (case-sensitive) substring test on the UTF-8 bytes, without Foundation's
    /// bridged, locale-aware `contains`.
    func bytesContain(_ needle: String) -> Bool {
        needle.isEmpty || utf8Offset(of: needle) != nil
    }

    /// The UTF-8 offset of the first occurrence of `needle`'s bytes (`nil` for an empty needle):
    /// memchr for its first byte, then memcmp, over both strings' own storage (no copies; this
    /// runs for many lines with literal needles).
    func utf8Offset(of needle: String) -> Int? {
        var hay = self, needle = needle
        return needle.withUTF8 { n in
            guard let first = n.first else { return nil }
            return hay.withUTF8 { h in
                guard let base = h.baseAddress, h.count >= n.count else { return nil }
                let last = h.count - n.count
                var i = 0
                while i <= last {
                    guard let p = memchr(base + i, Int32(first), last - i + 1) else { return nil }
                    let at = base.distance(to: p.assumingMemoryBound(to: UInt8.self))
                    if memcmp(base + at, n.baseAddress!, n.count) == 0 { return at }
                    i = at + 1
                }
                return nil
            }
        }
    }

    /// Foundation's `contains` (an NSString search, which compares canonically equivalent
    /// sequences: "@" is not found in "@\u{301}") for an ASCII `needle` that no character
    /// decomposes into ("@", "://", "[email"): without the needle's bytes Foundation cannot find
    /// it either, and the byte search answers most texts without bridging them to NSString.
    func containsASCII(_ needle: String) -> Bool {
        bytesContain(needle) && contains(needle)
    }

    /// Drops scalars matching `drop` from both ends; returns `self` untouched when there are none.
    func trimmingScalars(where drop: (Unicode.Scalar) -> Bool) -> String {
        let scalars = unicodeScalars
        var start = scalars.startIndex
        var end = scalars.endIndex
        while start < end, drop(scalars[start]) { start = scalars.index(after: start) }
        while end > start, drop(scalars[scalars.index(before: end)]) { end = scalars.index(before: end) }
        if start == scalars.startIndex && end == scalars.endIndex { return self }
        return String(scalars[start..<end])
    }

    /// `lowercased()`, built as UTF-8 bytes. The standard library's version is quick for ASCII
    /// but, for a line with one curly quote or accent, appended a String per scalar, and
    /// ClutterFilter lower-cases every line. Same mapping: each scalar's `lowercaseMapping`.
    var lowercasedFast: String {
        // ASCII text (most lines) is lower-cased straight into the new string's storage.
        var s = self
        let count = utf8.count
        let ascii: String? = s.withUTF8 { bytes in
            for b in bytes where b >= 0x80 { return nil }
            return String(unsafeUninitializedCapacity: count) { out in
                for (i, b) in bytes.enumerated() { out[i] = b >= 0x41 && b <= 0x5A ? b | 0x20 : b }
                return count
            }
        }
        if let ascii { return ascii }
        var out: [UInt8] = []
        out.reserveCapacity(count)
        for u in unicodeScalars {
            if u.value < 0x80 {
                let b = UInt8(u.value)
                out.append(b >= 0x41 && b <= 0x5A ? b | 0x20 : b)
            } else if ScalarProperties.changesWhenLowercased(u) {
                out.append(contentsOf: u.properties.lowercaseMapping.utf8)
            } else {
                UTF8.encode(u) { out.append($0) }
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// `count` (Characters), without grapheme breaking for ASCII text: there every byte is a
    /// Character except that "\r\n" is one. Counting Characters ran for many lines and was slow.
    var characterCount: Int {
        var s = self
        let ascii: Int? = s.withUTF8 { bytes in
            var pairs = 0
            var previous: UInt8 = 0
            for b in bytes {
                if b >= 0x80 { return nil }
                if b == 0x0A && previous == 0x0D { pairs += 1 }
                previous = b
            }
            return bytes.count - pairs
        }
        return ascii ?? count
    }

    /// `count <= n`, without counting Characters when the UTF-8 length settles it (a Character
    /// takes at least one byte).
    func hasCount(atMost n: Int) -> Bool { utf8.count <= n || characterCount <= n }

    /// `count >= n`, without counting Characters when the UTF-8 length rules it out.
    func hasCount(atLeast n: Int) -> Bool { utf8.count >= n && characterCount >= n }

    /// `nil` for the empty string, so it can be bound in a condition.
    var nilIfEmpty: String? { isEmpty ? nil : self }

    var endsSentence: Bool {
        guard let last = trimmed.last else { return false }
        return ".!?…".contains(last) || (("\"”»’'".contains(last)) && trimmed.dropLast().last.map { ".!?,".contains($0) } == true)
    }

    /// `endsSentence`, or a CJK full stop, question or exclamation mark at the end.
    var endsSentenceAnyScript: Bool {
        endsSentence || trimmed.last.map { "。！？".contains($0) } == true
    }

    var firstIsLowercase: Bool {
        guard let c = first(where: { !$0.isWhitespace }) else { return false }
        return c.isLowercase
    }

    /// Trims the characters a heading or name may carry at its edges.
    func trimmingEdges(_ chars: String = " \t,;:-–—.") -> String {
        // A linear look-up in the few scalars given: building a Set on every call cost more.
        let set = chars.unicodeScalars
        return trimmingScalars { set.contains($0) || Self.isSpaceOrNewline($0) }
    }
}

extension Rx {
    /// First match with its UTF-16 location, so several patterns can be raced for the earliest hit.
    func located(_ s: String) -> (location: Int, length: Int, groups: [String?])? {
        guard mayMatch(s) else { return nil }
        guard let m = firstMatch(s) else { return nil }
        return (m.range.location, m.range.length, Self.groups(of: m, in: s))
    }
}

extension Unicode.Scalar {
    /// Han, hiragana and katakana: letters of scripts written without spaces between words.
    var isSpacelessLetter: Bool {
        switch value {
        case 0x3040...0x30FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xF900...0xFAFF: return true
        default: return false
        }
    }
}
