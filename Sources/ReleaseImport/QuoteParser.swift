import Foundation

/// Finds quotations in the body paragraphs and attributes them:
///
/// - an introducing paragraph ending in a colon ("X, Role, said:", "Role X said:",
///   "X ... issued the following statement:", "The following statement ... is from X, Role:")
///   followed by one or more quoted paragraphs (opening mark on each, closing only on the last),
///   or by unmarked paragraphs when it announces a statement;
/// - inline attributions: “...,” said X, Role. / “...,” Role X said. / “...,” explains Role X.
/// - reported statements without marks: "in the statement it said: ..." (Persian/Arabic forms);
/// - quoted paragraphs with no attribution, credited to the speaker a "Statement by X, Role"
///   title names.
enum QuoteParser {
    /// A speaker named outside the body ("Statement by Wenonah Hauter, Executive Director, ...").
    struct Speaker { var name: String; var role: String? }

    private static let verbs = #"(?:said|says|stated|states|explains|explained|added|adds|commented|comments|noted|notes|continued|concluded|declared|remarked|warned|urged|stressed|stresses|emphasi[sz]ed|sagt|sagte|erklärt|erklärte|betont|betonte|dijo|afirmó|declaró|a\s+déclaré|a\s+dit|ajoute|قال|وقال|قالت|وقالت|گفت)"#
    private static let introVerb = Rx(#"^(.*?)[,\s]+(?:"# + verbs + #"|issued\s+the\s+following\s+statement|released\s+the\s+following\s+statement|made\s+the\s+following\s+statement)\b(?:\s+the\s+following)?[^:]{0,120}:\s*$"#)
    static let isFrom = Rx(#"\bstatement\b.{0,200}?\bis\s+from\s+(.+?):\s*$"#, needs: ["statement"])
    static let announcesStatement = Rx(#"(?:the\s+following\s+statement|statement)[^:]{0,120}:\s*$"#, needs: ["statement"])
    /// A second necessary condition for `reported`: each of its alternatives opens with one of
    /// these words. Only the needle scan of this Rx is used; its pattern never runs.
    private static let reportedWords = Rx("statement|آمده|تاکید|تأکید|تصریح|جاء", needs: ["statement", "آمده", "تاکید", "تأکید", "تصریح", "جاء"])
    /// `precheck` (the words above) keeps the many paragraphs with a ":" but no such word from
    /// ICU (speed: this ran on every body paragraph).
    static let reported = Rx(#"(?:آمده\s+است|تاکید\s+شد|تأکید\s+شد|تصریح\s+شد|جاء\s+في\s+البيان|the\s+statement\s+(?:said|says|reads|read))\s*:\s*(\S.+)$"#, needs: [":"], precheck: { reportedWords.passesPrefilter($0) })
    // German quotations close with “ („…“), so it counts as a closing mark before the verb.
    static let saidAfter = Rx(#"[,.!?…]?\s*[”"“]\s*,?\s+"# + verbs + #"\s+(.+?)(?:(?<![\s.]\p{Lu})(?<!\b(?:Dr|Mr|Mrs|Ms|Prof|St|Jr|Sr))\.(?=\s|$)|,?\s*[“"]|$)"#, needs: ["\"", "”", "“"], precheck: mayHaveVerbAfterMark, from: firstMarkStart)
    /// The ASCII beginnings of `verbs`' alternatives, lower-case, each cut before its first
    /// non-ASCII letter ("erklärt" -> "erkl"; the Arabic and Persian verbs have none and are
    /// covered by the non-ASCII rule below). "a\s+déclaré" and "a\s+dit" are the "a" entry.
    private static let verbStarts: [[UInt8]] = [
        "said", "says", "stated", "states", "explains", "explained", "added", "adds", "commented", "comments",
        "noted", "notes", "continued", "concluded", "declared", "remarked", "warned", "urged", "stressed", "stresses",
        "emphasised", "emphasized", "sagt", "sagte", "erkl", "betont", "betonte", "dijo", "afirm", "declar", "ajoute",
    ].map { Array($0.utf8) }

    /// A necessary condition for `saidAfter`: some quotation mark (” " “) is followed, after
    /// `\s*,?\s+`, by the start of a verb. Read as bytes: spaces are ASCII white space (a superset
    /// of ICU's ASCII `\s`), and any non-ASCII byte where a space or a verb letter is expected
    /// answers "may" (non-ASCII spaces, letters such as "ſ" that case-fold to ASCII, the Arabic
    /// and Persian verbs). Most quoted paragraphs reach ICU through `needs` and do not match.
    static func mayHaveVerbAfterMark(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            let n = bytes.count
            @inline(__always) func isSpace(_ b: UInt8) -> Bool { b == 0x20 || (b >= 0x09 && b <= 0x0D) || (b >= 0x1C && b <= 0x1F) }
            var i = 0
            while i < n {
                // The end of a mark: `"`, or ” (E2 80 9D) / “ (E2 80 9C).
                var j: Int
                if bytes[i] == 0x22 {
                    j = i + 1
                } else if bytes[i] == 0xE2, i + 2 < n, bytes[i + 1] == 0x80, bytes[i + 2] == 0x9D || bytes[i + 2] == 0x9C {
                    j = i + 3
                } else {
                    i += 1
                    continue
                }
                i += 1
                while j < n && isSpace(bytes[j]) { j += 1 }
                if j < n && bytes[j] == UInt8(ascii: ",") {
                    j += 1
                    while j < n && isSpace(bytes[j]) { j += 1 }
                }
                guard j < n else { continue }
                if bytes[j] >= 0x80 { return true }
                for verb in verbStarts {
                    var k = 0
                    while k < verb.count, j + k < n, bytes[j + k] < 0x80, Rx.lowerASCII(bytes[j + k]) == verb[k] { k += 1 }
                    // The whole beginning matched, or a non-ASCII byte stopped the comparison (may).
                    if k == verb.count || (j + k < n && bytes[j + k] >= 0x80) { return true }
                }
                // "a déclaré", "a dit": "a" then a space (ASCII, or non-ASCII: may).
                if Rx.lowerASCII(bytes[j]) == UInt8(ascii: "a"), j + 1 < n, isSpace(bytes[j + 1]) || bytes[j + 1] >= 0x80 { return true }
            }
            return false
        }
    }

    static let saidBefore = Rx(#"[,.!?…]?\s*[”"“]\s*,?\s+([^“”".]{2,140}?)\s+"# + verbs + #"\b"#, needs: ["\"", "”", "“"], from: firstMarkStart)

    /// Where `saidAfter` and `saidBefore` may first match: both open with `[,.!?…]?\s*[”"“]`, so
    /// no match starts before the first quotation mark (” " “), the white space right before it
    /// and one of `,.!?…` before that. White space is read as `Precheck.maybeAnySpace` (a
    /// superset of ICU's `\s`), so the offset is never past a match's start; `nil`: no mark.
    static func firstMarkStart(_ text: String) -> Int? {
        var offset = 0
        var spaceRunStart = -1
        var punctuationBeforeRun = -1
        var previousPunctuation = -1
        for u in text.unicodeScalars {
            if u == "”" || u == "\"" || u == "“" {
                let punctuation = spaceRunStart >= 0 ? punctuationBeforeRun : previousPunctuation
                return punctuation >= 0 ? punctuation : spaceRunStart >= 0 ? spaceRunStart : offset
            }
            if Precheck.maybeAnySpace(u) {
                if spaceRunStart < 0 { spaceRunStart = offset; punctuationBeforeRun = previousPunctuation }
                previousPunctuation = -1
            } else {
                spaceRunStart = -1
                let isPunctuation = u == "," || u == "." || u == "!" || u == "?" || u == "…"
                previousPunctuation = isPunctuation ? offset : -1
            }
            offset += u.value > 0xFFFF ? 2 : 1
        }
        return nil
    }

    /// "Role Name (Group, Country) said: “…”": attribution and quotation in one paragraph.
    /// Every match ends in an opening quotation mark, so `needs` rules out a paragraph without
    /// one by a byte scan instead of an ICU call (this pattern cost the most of all per call).
    static let saidColon = Rx(#"^([^“”"„]{3,200}?)\s+"# + verbs + #"\s*[:,]\s*[“"„]"#, needs: ["\"", "“", "„"])
    static let parenthetical = Rx(#"\s*\([^()]*\)"#, needs: ["("])
    private static let markScalars: Set<Unicode.Scalar> = Set("“”\"«»„ ".unicodeScalars)
    private static let openers: Set<Character> = ["“", "\"", "«", "„", "‘"]
    private static let closers: Set<Character> = ["”", "\"", "»", "“", "’"]

    /// Who a quotation found before the issuer is known is credited to. The extractor needs the
    /// quotes' speakers to find the issuer and then the quotes credited to it, and parsing the
    /// body is costly, so the body is parsed once and the issuer filled in afterwards.
    enum Credit {
        /// A speaker of its own (or none).
        case named(String?)
        /// The issuer: a statement reported with no speaker of its own.
        case issuer
        /// The issuer, or `""` when there is none: an unattributed quote following one credited to the issuer.
        case issuerOrEmpty
    }

    /// A quotation whose speaker may still be the issuer (see `Credit`).
    struct PendingQuote {
        var credit: Credit
        var role: String?
        var text: String

        /// The quotation with the issuer filled in (`nil` when there is none).
        func resolved(issuer: String?) -> ImportedQuote {
            let speaker: String?
            switch credit {
            case .named(let name): speaker = name
            case .issuer: speaker = issuer
            case .issuerOrEmpty: speaker = issuer ?? ""
            }
            return ImportedQuote(speaker: speaker, role: role, text: text)
        }
    }

    /// The quotations of `body`, statements without a speaker credited to `issuer`.
    static func parse(body: [String], fullText: String, statementSpeaker: Speaker?, issuer: String?) -> [ImportedQuote] {
        pending(body: body, fullText: fullText, statementSpeaker: statementSpeaker).map { $0.resolved(issuer: issuer) }
    }

    /// The quotations of `body` with the issuer left open: `parse` without the issuer.
    static func pending(body: [String], fullText: String, statementSpeaker: Speaker?) -> [PendingQuote] {
        var quotes: [PendingQuote] = []
        var i = 0
        while i < body.count {
            let para = body[i].trimmed

            // Introducing paragraph followed by the quotation.
            if para.hasSuffix(":"), let speaker = introSpeaker(para, fullText: fullText) {
                var parts: [String] = []
                var j = i + 1
                if j < body.count, startsQuoted(body[j]) {
                    var open = true
                    while j < body.count, startsQuoted(body[j]) || open {
                        if !startsQuoted(body[j]) && body[j].hasSuffix(":") { break }
                        parts.append(stripMarks(body[j]))
                        open = !endsQuoted(body[j])
                        j += 1
                        if !open, j < body.count, !startsQuoted(body[j]) { break }
                    }
                } else if announcesStatement.test(para) || isFrom.test(para) {
                    while j < body.count {
                        parts.append(stripMarks(body[j]))
                        j += 1
                    }
                } else if j < body.count {
                    parts.append(stripMarks(body[j]))
                    j += 1
                }
                if !parts.isEmpty {
                    quotes.append(PendingQuote(credit: .named(speaker.name), role: speaker.role, text: parts.joined(separator: "\n\n")))
                    i = j
                    continue
                }
            }

            // A statement reported without quotation marks.
            if let m = reported.match(para), let text = m[1] {
                let credit: Credit = statementSpeaker.map { .named($0.name) } ?? .issuer
                quotes.append(PendingQuote(credit: credit, role: statementSpeaker?.role, text: text.trimmed))
                i += 1
                continue
            }

            // Inline attribution inside the paragraph.
            if let speaker = inlineSpeaker(para, fullText: fullText) ?? colonSpeaker(para, fullText: fullText) ?? roleSpeaker(para, fullText: fullText) {
                let spans = quotedSpans(para)
                if !spans.isEmpty {
                    quotes.append(PendingQuote(credit: .named(speaker.name), role: speaker.role, text: spans.joined(separator: " ")))
                    i += 1
                    continue
                }
            }

            // Quoted paragraphs with no attribution of their own.
            if startsQuoted(para) {
                var parts: [String] = []
                var j = i
                while j < body.count, startsQuoted(body[j]), inlineSpeaker(body[j], fullText: fullText) == nil {
                    parts.append(stripMarks(body[j]))
                    j += 1
                }
                if parts.joined(separator: " ").wordCount >= 8 {
                    // Credited to the title's speaker, else to the previous quotation's ("" when it had none).
                    var credit: Credit = .named(nil)
                    var role: String?
                    if let ss = statementSpeaker {
                        credit = .named(ss.name); role = ss.role
                    } else if let last = quotes.last {
                        switch last.credit {
                        case .named(let name): credit = .named(name ?? "")
                        case .issuer, .issuerOrEmpty: credit = .issuerOrEmpty
                        }
                        role = last.role
                    }
                    quotes.append(PendingQuote(credit: credit, role: role, text: parts.joined(separator: "\n\n")))
                }
                i = max(j, i + 1)
                continue
            }
            i += 1
        }
        return quotes.filter { !$0.text.trimmed.isEmpty }
    }

    static func startsQuoted(_ s: String) -> Bool {
        guard let c = s.trimmed.first else { return false }
        return openers.contains(c)
    }

    private static func endsQuoted(_ s: String) -> Bool {
        let t = s.trimmed.trimmingScalars { $0 == " " || $0 == "." }
        guard let c = t.last else { return false }
        return closers.contains(c)
    }

    private static func stripMarks(_ s: String) -> String {
        s.trimmed.trimmingScalars { Self.markScalars.contains($0) }
    }

    /// "The Prime Minister said, “…”": a title standing for the person, and the person the text
    /// introduces with that title ("Grenada’s Prime Minister …, Dr the Rt. Hon. Keith Mitchell has …").
    static let titleSaid = Rx(#"^(?:[Tt]he\s+)?((?:\p{Lu}[\p{L}-]+\s+){0,3}\p{Lu}[\p{L}-]+)\s+"# + verbs + #"\s*[,:]?\s*[“"„«]"#, caseInsensitive: false, precheck: Precheck.mayOpenWithLetter)

    static func roleSpeaker(_ para: String, fullText: String) -> Speaker? {
        guard let m = titleSaid.match(para), let title = m[1], !PersonName.isName(title) else { return nil }
        var search = fullText.startIndex..<fullText.endIndex
        while let found = fullText.range(of: title, range: search) {
            search = found.upperBound..<fullText.endIndex
            // The rest of that sentence: the first run of two or more capitalized words there that is a name.
            let rest = fullText[found.upperBound...].prefix { $0 != "\n" }.prefix(160)
            var run: [String] = []
            func name() -> String? {
                guard run.count >= 2 else { return nil }
                let candidate = run.suffix(2).joined(separator: " ")
                return PersonName.isName(candidate) ? candidate : nil
            }
            for word in rest.split(separator: " ") {
                let w = word.trimmingCharacters(in: CharacterSet(charactersIn: ",;:"))
                // Honorifics and abbreviated styles before a name ("Dr the Rt. Hon.") are passed over.
                if run.isEmpty, PersonName.honorifics.contains(w.lowercased()) || w == "the" || (w.hasSuffix(".") && w.count <= 4) { continue }
                if let first = w.first, first.isUppercase, !w.hasSuffix("."), w.count >= 2 {
                    run.append(w)
                    if word.hasSuffix(",") {
                        if let n = name() { return Speaker(name: n, role: title) }
                        run = []
                    }
                    continue
                }
                if let n = name() { return Speaker(name: n, role: title) }
                run = []
                if word.hasSuffix(".") { break }
            }
            if let n = name() { return Speaker(name: n, role: title) }
        }
        return nil
    }

    /// The speaker of an introducing paragraph ("..., Daniel Okafor, Role, said:").
    static func introSpeaker(_ para: String, fullText: String) -> Speaker? {
        if let m = isFrom.match(para), let phrase = m[1] {
            return speaker(fromPhrase: phrase, fullText: fullText)
        }
        guard let m = introVerb.match(para), let before = m[1], !before.isEmpty else { return nil }
        return speaker(fromPhrase: before, fullText: fullText, nameLast: true)
    }

    /// Splits "X, Role" / "Role X" / "..., X, Role" into name and role.
    static func speaker(fromPhrase phrase: String, fullText: String, nameLast: Bool = false) -> Speaker? {
        let segments = phrase.components(separatedBy: ",").map(\.trimmed).filter { !$0.isEmpty }
        guard !segments.isEmpty else { return nil }
        // A segment that is exactly a name; what follows it is the role.
        if let k = segments.lastIndex(where: { PersonName.isName($0) }) {
            let role = segments[(k + 1)...].joined(separator: ", ")
            return Speaker(name: PersonName.clean(segments[k]), role: role.isEmpty ? nil : role)
        }
        let last = segments[segments.count - 1]
        if let t = PersonName.trailingName(in: last) {
            let name = PersonName.expand(t.name, in: fullText)
            return Speaker(name: name, role: t.role)
        }
        if let l = PersonName.leadingName(in: segments[0]) {
            return Speaker(name: PersonName.expand(l.name, in: fullText), role: l.role ?? (segments.count > 1 ? segments[1...].joined(separator: ", ") : nil))
        }
        return nil
    }

    /// The speaker of a paragraph that attributes its quotation inline.
    static func inlineSpeaker(_ para: String, fullText: String) -> Speaker? {
        if let m = saidAfter.match(para), let phrase = m[1] {
            // "..., adding": a participle after the name continues the sentence; it is no role.
            let segments = phrase.components(separatedBy: ",").map(\.trimmed).filter { !($0.wordCount == 1 && $0.firstIsLowercase && $0.hasSuffix("ing")) }
            let head = segments.first ?? phrase
            let rest = segments.dropFirst().joined(separator: ", ")
            // "Baark Volunteer Coordinator Bonnie Young": a job title, then the name.
            if let t = PersonName.trailingName(in: head), let role = t.role, t.name.split(separator: " ").count >= 2,
               let last = role.split(separator: " ").last, IssuerFinder.titleWords.contains(last.lowercased()) {
                return Speaker(name: PersonName.expand(t.name, in: fullText), role: [role, rest.isEmpty ? nil : rest].compactMap { $0 }.joined(separator: ", "))
            }
            if let l = PersonName.leadingName(in: head), l.role == nil || l.name.split(separator: " ").count >= 2 {
                let name = PersonName.expand(l.name, in: fullText)
                let role = [l.role, rest.isEmpty ? nil : rest].compactMap { $0 }.joined(separator: ", ")
                if name.split(separator: " ").count >= 2 || l.role == nil {
                    return Speaker(name: name, role: role.isEmpty ? nil : role)
                }
            }
            if let t = PersonName.trailingName(in: head) {
                return Speaker(name: PersonName.expand(t.name, in: fullText), role: [t.role, rest.isEmpty ? nil : rest].compactMap { $0 }.joined(separator: ", "))
            }
        }
        if let m = saidBefore.match(para), let phrase = m[1], phrase.wordCount <= 12 {
            if let t = PersonName.trailingName(in: phrase) {
                return Speaker(name: PersonName.expand(t.name, in: fullText), role: t.role)
            }
        }
        return nil
    }

    /// The speaker of "Role Name (Group) said: “…”" — the parenthetical (party, country) is not the role.
    static func colonSpeaker(_ para: String, fullText: String) -> Speaker? {
        guard colonBeforeFirstMark(para), let m = saidColon.match(para), let phrase = m[1] else { return nil }
        let cleaned = parenthetical.replace(phrase, with: "")
        guard cleaned.wordCount <= 16 else { return nil }
        return speaker(fromPhrase: cleaned, fullText: fullText, nameLast: true)
    }

    /// A necessary condition for `saidColon`, checked without ICU (the pattern ran on every
    /// paragraph and was the costliest regex of the import): its name part holds no quotation
    /// mark and only spaces and ":"/"," stand between the verb and the opening mark, so the
    /// paragraph's first mark of “ ” " „ must be an opening one with ":" or "," before it, spaces
    /// skipped. Spaces here are a superset of ICU's `\s`, so skipping them cannot step past the colon.
    static func colonBeforeFirstMark(_ para: String) -> Bool {
        var last: Unicode.Scalar = " "
        for u in para.unicodeScalars {
            switch u {
            case "“", "\"", "„": return last == ":" || last == ","
            case "”": return false
            default:
                // ASCII first: the Unicode property lookup is slow and most scalars are ASCII.
                if u.value < 0x80 {
                    if !(u.value == 0x20 || (u.value >= 0x09 && u.value <= 0x0D)) { last = u }
                } else if !(String.isSpaceOrNewline(u) || u.properties.isWhitespace) {
                    last = u
                }
            }
        }
        return false
    }

    /// The scalar a Character consists of, when it is a single scalar (else U+0000).
    @inline(__always) private static func mark(_ ch: Character) -> Unicode.Scalar {
        let scalars = ch.unicodeScalars
        guard let first = scalars.first, scalars.index(after: scalars.startIndex) == scalars.endIndex else { return "\u{0}" }
        return first
    }

    /// Text inside quotation marks, long enough to be a quotation rather than a scare quote.
    static func quotedSpans(_ para: String) -> [String] {
        var spans: [String] = []
        var current = ""
        var inside = false
        var depth = 0
        for ch in para {
            // Which mark the Character is, if any, decided once: comparing a Character with a
            // non-ASCII literal goes through Unicode normalization, and this runs on every
            // Character of every paragraph. None of these marks has a canonical equivalent, so
            // a Character equals one exactly when it is that single scalar.
            let mark = Self.mark(ch)
            if !inside {
                if mark == "“" || mark == "\"" || mark == "«" || mark == "„" { inside = true; current = ""; depth = 0 }
                continue
            }
            if mark == "“" && depth == 0 && !current.isEmpty && current.last != " " {
                current.append(ch)
                continue
            }
            if mark == "”" || mark == "\"" || mark == "»" || (mark == "“" && current.last != " ") {
                inside = false
                if current.wordCount >= 4 { spans.append(current.trimmed) }
                continue
            }
            current.append(ch)
        }
        if inside, current.wordCount >= 4 { spans.append(current.trimmed) }
        return spans
    }
}
