import Foundation

/// A compiled regular expression with String-friendly results.
///
/// NSRegularExpression is documented as safe to use from several threads, which is
/// why the wrapper may be `@unchecked Sendable` and the patterns can be shared `let`s.
final class Rx: @unchecked Sendable {
    private let re: NSRegularExpression
    /// Lower-case ASCII literals of which every match contains at least one (see `init`).
    private let needs: [[UInt8]]

    /// Patterns are literals in this module, so a bad one is a programming error caught by the tests.
    ///
    /// `needs` lists literals (ASCII) of which any match must contain at least one, compared
    /// ignoring ASCII case. Most lines match none of the patterns run over them, and an
    /// NSRegularExpression call costs microseconds of bridging before ICU even looks at the
    /// text, so a byte search that rules the pattern out first is where the time is saved.
    /// Leave it empty when no such literal exists.
    ///
    /// `prefixes`, for a pattern anchored with `^` (no multiline option), lists literals one of
    /// which every match starts with at the start of the text (again ignoring ASCII case): the
    /// text is then ruled out from its first bytes instead of handing a long paragraph to ICU.
    init(_ pattern: String, caseInsensitive: Bool = true, needs: [String] = [], prefixes: [String] = []) {
        re = Self.compiled(pattern, caseInsensitive: caseInsensitive)
        self.prefixes = prefixes.map { Array($0.lowercased().utf8) }
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
        self.caseInsensitive = caseInsensitive
    }
    /// Which bytes open a needle (both ASCII cases), plus the lead bytes of folding specials.
    private let starts: [Bool]
    private let caseInsensitive: Bool

    private let prefixes: [[UInt8]]

    /// `false` when the prefilter proves the pattern cannot match `s`.
    @inline(__always) private func mayMatch(_ s: String) -> Bool {
        if needs.isEmpty && prefixes.isEmpty { return true }
        var s = s
        return s.withUTF8 { hay in
            if !prefixes.isEmpty && !prefixes.contains(where: { Self.startsWith(hay, $0, caseInsensitive: caseInsensitive) }) { return false }
            if needs.isEmpty { return true }
            return starts.withUnsafeBufferPointer { Self.containsAny(hay, needs, $0, caseInsensitive: caseInsensitive) }
        }
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
    private static func containsAny(_ hay: UnsafeBufferPointer<UInt8>, _ needles: [[UInt8]], _ starts: UnsafeBufferPointer<Bool>, caseInsensitive: Bool) -> Bool {
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
        let ns = s as NSString
        guard let m = re.firstMatch(in: s, range: NSRange(location: 0, length: ns.length)) else { return nil }
        return (0..<m.numberOfRanges).map { i in
            let r = m.range(at: i)
            return r.location == NSNotFound ? nil : ns.substring(with: r)
        }
    }

    /// Every match's capture groups.
    func matches(_ s: String) -> [[String?]] {
        guard mayMatch(s) else { return [] }
        let ns = s as NSString
        return re.matches(in: s, range: NSRange(location: 0, length: ns.length)).map { m in
            (0..<m.numberOfRanges).map { i in
                let r = m.range(at: i)
                return r.location == NSNotFound ? nil : ns.substring(with: r)
            }
        }
    }

    /// Text before and after the first match, with the match's groups.
    func split(_ s: String) -> (before: String, groups: [String?], after: String)? {
        guard mayMatch(s) else { return nil }
        let ns = s as NSString
        guard let m = re.firstMatch(in: s, range: NSRange(location: 0, length: ns.length)) else { return nil }
        let groups: [String?] = (0..<m.numberOfRanges).map { i in
            let r = m.range(at: i)
            return r.location == NSNotFound ? nil : ns.substring(with: r)
        }
        let before = ns.substring(to: m.range.location)
        let after = ns.substring(from: m.range.location + m.range.length)
        return (before, groups, after)
    }

    func test(_ s: String) -> Bool {
        guard mayMatch(s) else { return false }
        return re.firstMatch(in: s, range: NSRange(location: 0, length: s.utf16.count)) != nil
    }

    func replace(_ s: String, with template: String) -> String {
        guard mayMatch(s) else { return s }
        let ns = s as NSString
        return re.stringByReplacingMatches(in: s, range: NSRange(location: 0, length: ns.length), withTemplate: template)
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

    /// Number of runs of non-whitespace.
    var wordCount: Int {
        var count = 0
        var inWord = false
        for u in unicodeScalars {
            let space = u.value < 0x80 ? (u.value == 0x20 || (u.value >= 0x09 && u.value <= 0x0D)) : u.properties.isWhitespace
            if space { inWord = false } else if !inWord { inWord = true; count += 1 }
        }
        return count
    }

    /// Letters-and-digits-only lower-case form, for "same text" comparisons that
    /// ignore case, punctuation and spacing (duplicated titles and leads).
    var comparable: String {
        // Built as UTF-8 bytes: appending to a String.UnicodeScalarView scalar by scalar was slow.
        var out: [UInt8] = []
        out.reserveCapacity(utf8.count)
        for u in unicodeScalars {
            if u.value < 0x80 {
                let b = UInt8(u.value)
                if b >= 0x41 && b <= 0x5A { out.append(b | 0x20) } else if (b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39) { out.append(b) }
                continue
            }
            // Same as `lowercased()` then keeping CharacterSet.alphanumerics (categories L*, M*, N*).
            for l in u.properties.lowercaseMapping.unicodeScalars where Self.isAlphanumeric(l) {
                UTF8.encode(l) { out.append($0) }
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func isAlphanumeric(_ u: Unicode.Scalar) -> Bool {
        switch u.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
             .nonspacingMark, .spacingMark, .enclosingMark, .decimalNumber, .letterNumber, .otherNumber:
            return true
        default:
            return false
        }
    }

    /// Membership in CharacterSet.whitespacesAndNewlines: category Z*, U+0009–U+000D, U+0085.
    static func isSpaceOrNewline(_ u: Unicode.Scalar) -> Bool {
        if u.value < 0x80 { return u.value == 0x20 || (u.value >= 0x09 && u.value <= 0x0D) }
        if u.value == 0x85 { return true }
        switch u.properties.generalCategory {
        case .spaceSeparator, .lineSeparator, .paragraphSeparator: return true
        default: return false
        }
    }

    /// Exact (case-sensitive) substring test on the UTF-8 bytes, without Foundation's
    /// bridged, locale-aware `contains`.
    func bytesContain(_ needle: String) -> Bool {
        let n = Array(needle.utf8)
        guard !n.isEmpty else { return true }
        var s = self
        return s.withUTF8 { hay in
            guard hay.count >= n.count else { return false }
            for i in 0...(hay.count - n.count) where hay[i] == n[0] {
                var k = 1
                while k < n.count && hay[i + k] == n[k] { k += 1 }
                if k == n.count { return true }
            }
            return false
        }
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

    /// `nil` for the empty string, so it can be bound in a condition.
    var nilIfEmpty: String? { isEmpty ? nil : self }

    var endsSentence: Bool {
        guard let last = trimmed.last else { return false }
        return ".!?…".contains(last) || (("\"”»’'".contains(last)) && trimmed.dropLast().last.map { ".!?,".contains($0) } == true)
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
        let ns = s as NSString
        guard let m = re.firstMatch(in: s, range: NSRange(location: 0, length: ns.length)) else { return nil }
        let groups: [String?] = (0..<m.numberOfRanges).map { i in
            let r = m.range(at: i)
            return r.location == NSNotFound ? nil : ns.substring(with: r)
        }
        return (m.range.location, m.range.length, groups)
    }
}
