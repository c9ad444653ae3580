import Foundation
import Testing
@testable import ReleaseImport

/// The hand-written speed-ups must give the answers of what they replace or guard:
/// a prefilter (`Precheck`, `prefixes`, `needs`) may only rule out texts the regular expression
/// does not match, and the byte-level String helpers must equal the standard library's and
/// Foundation's results. Checked on many generated strings mixing release phrases with tricky
/// Unicode (Persian, Arabic, accents, emoji, CRLF, letters that case-fold to ASCII).
@Suite struct PrefilterTests {
    /// SplitMix64: the same sequence on every platform for a seed.
    struct Generator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    /// Pieces of releases the patterns look for, and text around them.
    static let fragments: [String] = [
        "Press Release", "PRESS RELEASE: Today the council approved a plan for three new bus lines in the city", "News Release - July 23, 2009",
        "Media Advisory", "Communiqué de presse", "Comunicado de prensa", "Pressemitteilung", "Statement", "statement by the minister",
        "March 20, 2020", "AUGUST 28, 2002", "Aug.19, 2008", "9 July 2024", "5. Februar 2013", "le 25 novembre 2015",
        "26 de junio de 2004", "12 أيلول/سبتمبر 2019", "01.04.2021", "2011-03-09", "12/3/2007", "Thursday, February 26",
        "١٢ كانون الثاني ٢٠٢٠", "۱۴ اکتبر ۲۰۲۳", "3 MÄRZ 2021", "3 märz 2021", "DÉC. 5, 2019", "5 déc 2019", "Sept. 5, 2020",
        "5 ſeptember 2020", "2019年4月2日", "WASHINGTON", "WASHINGTON, March 3, 2021 /PRNewswire/ --", "Köln (ots)",
        "(New York, February 4, 2011) -", "OTTAWA, Ontario--(BUSINESS WIRE)--",
        "HOUSTON, June 4, 2020 /PRNewswire/ -- Issuer", "Berlin (dpa) - ", "Köln (ots) -",
        "DARTMOUTH, Nova Scotia , June 25, 2024 (GLOBE NEWSWIRE) -- Canada Foundation for Innovation", "Paris, le 25 novembre 2015", "Madrid.-",
        "BEIRUT, Lebanon, June 2 —", "نيويورك، 12 أيلول/سبتمبر 2019 –", "تهران - ", "Contact:", "Media Contact", "Kontakt",
        "Tel: +1 (202) 555-0162", "tel. 030-284 555 1577", "Telefon: +49 30 1234567", "phone 202.555.0100", "(+32) 470 55 18 02",
        "+44 20 7946 0958", "202-555-0172/0189", "۰۲۱-۸۸۸۸۸۸۸۸", "E-Mail: presse@example.de", "drutherford@example.org",
        "Twitter: @example", "Fax: 030 123", "By: Jane Doe", "1. ", "- item", "• bullet", "— dash", "12) step", "Who: the council",
        "\"This is a good day for riders,\" said Jane Doe, chair of the committee.", "“We listened,” Doe said.",
        "„Das ist gut“, sagte Müller.", "Jane Doe said: “We will act.”", "the statement said: the plan is approved",
        "The Example Org is a non-profit group.", "Die „Angewandte Chemie“ ist eine Publikation", "Amnesty International is a global movement",
        "Food & Water Watch champions healthy food", "CUPE is the union", "THE COUNCIL AT THE UNIVERSITY OF REGINAThe federal",
        "ADDITIONAL KEY FINDINGS AND NOTES FOR THE RECORD", "Share this article", "Home | News | Releases", "Home > News",
        "#ff00aa", "by admin", "© 2024 Example", "[Newsletter] Weekly", "MELDUNG/150:", "list-unsubscribe@example.org",
        "10:30 a.m.", "4:15", "123", "----", "| | |", "Never miss a beat", "Follow Example Org on Twitter", "Source: Example",
        "###", "-30-", "For Immediate Release", "EMBARGOED UNTIL 10:00 EST", "Sperrfrist: 18.00 Uhr", "About Example Org",
        "سلام", "مرحبا بالعالم", "این یک آزمایش است", "😀", "👨‍👩‍👧", "é", "e\u{301}", "ß", "ẞ", "ſ", "\u{212A}", "ﬁ", "ﬆ", "İ", "ı",
        "\u{A0}", "\u{2028}", "\u{85}", "\u{3000}", "\u{200B}", "\u{FEFF}", "\r\n", "\t", "“", "”", "«", "»", "’", "→", "…", "...",
        "http://example.org/a", "www.example.org", "is available at", "This statement is also available at", "Read the full report here",
        "Original publication:", "see the statement at", "NYSE: H", "Postfach 101161", "12/2023",
    ]

    static let separators = ["", " ", "  ", ", ", ": ", " - ", "\n", "\r\n", "\t", "\u{A0}", "/", "(", ")", ". ", " — "]

    /// Letters swapped for ones that case-fold to the same ASCII letters, and case changes.
    static func variants(of s: String, using rng: inout Generator) -> [String] {
        var out = [s, s.uppercased(), s.lowercased()]
        let swapped = s.replacingOccurrences(of: "s", with: "ſ").replacingOccurrences(of: "k", with: "\u{212A}")
            .replacingOccurrences(of: "fi", with: "ﬁ").replacingOccurrences(of: "st", with: "ﬆ").replacingOccurrences(of: "ss", with: "ß")
        out.append(swapped)
        if Bool.random(using: &rng) { out.append(s.replacingOccurrences(of: "i", with: "İ")) }
        return out
    }

    static let samples: [String] = {
        var rng = Generator(state: 2026)
        var out: [String] = []
        for f in fragments { out += variants(of: f, using: &rng) }
        for _ in 0..<1500 {
            var s = ""
            for k in 0..<Int.random(in: 1...6, using: &rng) {
                if k > 0 { s += separators.randomElement(using: &rng)! }
                s += fragments.randomElement(using: &rng)!
            }
            out += variants(of: s, using: &rng)
            out.append(s.trimmed)
        }
        return out
    }()

    /// The patterns this change gave a precheck or prefixes (they had none, or only `needs`):
    /// for these the prefilter must let through every text the pattern matches.
    static let prechecked: [(String, Rx)] = {
        var list: [(String, Rx)] = [
            ("TextSegmenter.labelDatePrefix", TextSegmenter.labelDatePrefix), ("TextSegmenter.labelPrefix", TextSegmenter.labelPrefix),
            ("TextSegmenter.capsThenText", TextSegmenter.capsThenText), ("TextSegmenter.bulletOrLabel", TextSegmenter.bulletOrLabel),
            ("TextSegmenter.phoneLine", TextSegmenter.phoneLine),
            ("ContactParser.phone", ContactParser.phone), ("ContactParser.phoneOnly", ContactParser.phoneOnly),
            ("ContactParser.fieldLabel", ContactParser.fieldLabel),
            ("DateParser.monthFirst", DateParser.monthFirst), ("DateParser.dayFirst", DateParser.dayFirst),
            ("HeaderClassifier.wholeDate", HeaderClassifier.wholeDate), ("HeaderClassifier.bullet", HeaderClassifier.bullet),
            ("HeaderClassifier.labelWords", HeaderClassifier.labelWords),
            ("DatelineParser.signature", DatelineParser.signature), ("DatelineParser.wired", DatelineParser.wired),
            ("ReleaseExtractor.statementLine", ReleaseExtractor.statementLine),
            ("BoilerplateDetector.describes", BoilerplateDetector.describes),
            ("ClutterFilter.patterns[9]", ClutterFilter.patterns[9]), ("ClutterFilter.patterns[13]", ClutterFilter.patterns[13]),
            ("ClutterFilter.patterns[18]", ClutterFilter.patterns[18]),
        ]
        // The prefilter's own cases: needles folded from "ſ", "K", ligatures; punctuation and Arabic needles.
        list += [
            ("needs statement", Rx("statement", needs: ["statement"])),
            ("needs kelvin", Rx(#"\bkey\b"#, needs: ["key"])),
            ("needs ligature", Rx("office", needs: ["office"])),
            ("needs punctuation", Rx(#"\s[|→]\s"#, needs: ["|", "→"])),
            ("needs caseless script", Rx(#"جاء\s+في\s+البيان|سلام"#, needs: ["البيان", "سلام"])),
            ("prefixes", Rx(#"^(?:press|stat)"#, prefixes: ["press", "stat"])),
        ]
        return list
    }()

    /// Patterns whose `needs` predate this change: the faster needle scan must answer as the
    /// plain byte scan it replaced (`referenceNeeds`), including where a needle list is not
    /// exactly what its pattern requires (QuoteParser's `saidBefore` leaves out “).
    static let needled: [(String, Rx)] = {
        var list: [(String, Rx)] = [
            ("ContactParser.label", ContactParser.label), ("ContactParser.email", ContactParser.email),
            ("ContactParser.fieldWords", ContactParser.fieldWords), ("ContactParser.extensionResidue", ContactParser.extensionResidue),
            ("ContactParser.fieldLabel", ContactParser.fieldLabel),
            ("DateParser.iso", DateParser.iso), ("DateParser.dotted", DateParser.dotted), ("DateParser.slashed", DateParser.slashed),
            ("HeaderClassifier.metadata", HeaderClassifier.metadata), ("HeaderClassifier.formField", HeaderClassifier.formField),
            ("DatelineParser.parenthesized", DatelineParser.parenthesized),
            ("DatelineParser.wired", DatelineParser.wired), ("DatelineParser.dashed", DatelineParser.dashed),
            ("ClutterFilter.cutTitle", ClutterFilter.cutTitle), ("ClutterFilter.endMark", ClutterFilter.endMark),
            ("BoilerplateDetector.describesAfterName", BoilerplateDetector.describesAfterName),
            ("ReleaseExtractor.statementLine", ReleaseExtractor.statementLine), ("ReleaseExtractor.url", ReleaseExtractor.url),
            ("ReleaseExtractor.follow", ReleaseExtractor.follow), ("ReleaseExtractor.sourceLine", ReleaseExtractor.sourceLine),
            ("ReleaseExtractor.pressService", ReleaseExtractor.pressService), ("ReleaseExtractor.timeOfDay", ReleaseExtractor.timeOfDay),
            ("ReleaseExtractor.infoLine", ReleaseExtractor.infoLine), ("ReleaseExtractor.postalLine", ReleaseExtractor.postalLine),
            ("ReleaseExtractor.seriesNumber", ReleaseExtractor.seriesNumber),
            ("QuoteParser.saidAfter", QuoteParser.saidAfter), ("QuoteParser.saidBefore", QuoteParser.saidBefore),
            ("QuoteParser.saidColon", QuoteParser.saidColon), ("QuoteParser.reported", QuoteParser.reported),
            ("QuoteParser.isFrom", QuoteParser.isFrom), ("QuoteParser.announcesStatement", QuoteParser.announcesStatement),
            ("QuoteParser.parenthetical", QuoteParser.parenthetical),
            ("TimingLine.immediate", TimingLine.immediate), ("TimingLine.embargo", TimingLine.embargo),
            ("TimingLine.timingBlock", TimingLine.timingBlock),
        ]
        for (n, rx) in ClutterFilter.patterns.enumerated() where !rx.needs.isEmpty { list.append(("ClutterFilter.patterns[\(n)]", rx)) }
        return list + prechecked.filter { !$0.1.needs.isEmpty }
    }()

    /// The needle scan as it was before the pair filter and memchr: one pass, each position
    /// tried against every needle (ASCII case ignored); for a case-insensitive pattern a letter
    /// folding to ASCII (ß, ŉ, ſ, ǰ, ẖ–ẞ, K, Å, ﬀ–ﬆ) answers "may match".
    static func referenceNeeds(_ s: String, _ needles: [[UInt8]], caseInsensitive: Bool) -> Bool {
        let hay = Array(s.utf8)
        func lower(_ b: UInt8) -> UInt8 { b >= 0x41 && b <= 0x5A ? b | 0x20 : b }
        for i in hay.indices {
            if caseInsensitive, i + 1 < hay.count {
                let b = hay[i], b1 = hay[i + 1], b2: UInt8 = i + 2 < hay.count ? hay[i + 2] : 0
                let folds = (b == 0xC3 && b1 == 0x9F) || (b == 0xC5 && (b1 == 0x89 || b1 == 0xBF)) || (b == 0xC7 && b1 == 0xB0)
                    || (b == 0xE1 && i + 2 < hay.count && b1 == 0xBA && b2 >= 0x96 && b2 <= 0x9E)
                    || (b == 0xE2 && i + 2 < hay.count && b1 == 0x84 && (b2 == 0xAA || b2 == 0xAB))
                    || (b == 0xEF && i + 2 < hay.count && b1 == 0xAC && b2 <= 0x86)
                if folds { return true }
            }
            for n in needles where i + n.count <= hay.count && (0..<n.count).allSatisfy({ lower(hay[i + $0]) == n[$0] }) {
                return true
            }
        }
        return false
    }

    @Test func prechecksNeverRuleOutAMatch() {
        for (name, rx) in Self.prechecked {
            let ruledOut = Self.samples.filter { rx.testUnfiltered($0) && !rx.passesPrefilter($0) }
            if let first = ruledOut.first { Issue.record("\(name) ruled out a text it matches: \(first.debugDescription)") }
        }
    }

    @Test func needleScanAnswersAsThePlainScan() {
        // Both scans of `Rx` run: the byte loop for short texts, memchr for longer ones (> 128 bytes).
        #expect(Self.samples.filter { $0.utf8.count > 128 }.count > 500)
        #expect(Self.samples.filter { $0.utf8.count <= 128 }.count > 500)
        for (name, rx) in Self.needled {
            let differing = Self.samples.filter { rx.passesNeeds($0) != Self.referenceNeeds($0, rx.needs, caseInsensitive: rx.caseInsensitive) }
            if let first = differing.first { Issue.record("\(name) differs from the plain scan on \(first.debugDescription)") }
        }
    }

    @Test func prefiltersSeeMatches() {
        // The samples exercise the patterns that run on every line (not a vacuous comparison).
        for name in ["DateParser.monthFirst", "DateParser.dayFirst", "ContactParser.phone", "ContactParser.phoneOnly",
                     "ContactParser.fieldLabel", "TextSegmenter.labelPrefix", "TextSegmenter.bulletOrLabel",
                     "HeaderClassifier.bullet", "HeaderClassifier.labelWords", "BoilerplateDetector.describes", "DatelineParser.wired", "needs statement"] {
            let rx = Self.prechecked.first { $0.0 == name }!.1
            #expect(Self.samples.contains { rx.testUnfiltered($0) }, "no sample matches \(name)")
        }
    }

    @Test func monthNamePrecheckOnEveryMonthName() {
        for name in DateParser.months.keys {
            for text in ["5 \(name) 2020", "\(name) 5, 2020", "\(name.uppercased()) 5, 2020", "(\(name)) 1 2020"] {
                if DateParser.monthFirst.testUnfiltered(text) || DateParser.dayFirst.testUnfiltered(text) {
                    #expect(DateParser.mayHoldMonthName(text), "\(text)")
                }
            }
        }
    }

    @Test func whiteSpaceListIsTheProperty() {
        var differing: [UInt32] = []
        for v in UInt32(0x80)...0x10FFFF {
            guard let u = Unicode.Scalar(v) else { continue }
            if String.isNonASCIIWhiteSpace(v) != u.properties.isWhitespace { differing.append(v) }
        }
        #expect(differing.isEmpty)
    }

    @Test func wordCountCountsRunsOfNonWhitespace() {
        let differing = (Self.samples + ["", " ", "a", " a  b ", "\u{3000}x\u{2028}y\u{85}z", "\u{202F}\u{205F}\u{1680}q"]).filter { s in
            s.wordCount != s.unicodeScalars.split(whereSeparator: { $0.properties.isWhitespace }).count
        }
        #expect(differing.isEmpty, "\(differing.prefix(5))")
    }

    @Test func lowercasedFastIsLowercased() {
        #expect(Self.samples.allSatisfy { $0.lowercasedFast == $0.lowercased() })
        // Every scalar, a thousand at a time.
        var chunk = ""
        var differing = 0
        for v in UInt32(0)...0x10FFFF {
            guard let u = Unicode.Scalar(v) else { continue }
            chunk.unicodeScalars.append(u)
            if chunk.unicodeScalars.count == 1000 || v == 0x10FFFF {
                if chunk.lowercasedFast != chunk.lowercased() { differing += 1 }
                chunk = ""
            }
        }
        #expect(differing == 0)
    }

    @Test func characterCountIsCount() {
        var differing: [String] = []
        for s in Self.samples + ["\r\n\r\n", "a\r\nb", "\r\r\n\n"] {
            if s.characterCount != s.count { differing.append(s) }
            for n in [0, 1, 5, 30, 80, 160] where s.hasCount(atMost: n) != (s.count <= n) || s.hasCount(atLeast: n) != (s.count >= n) {
                differing.append(s)
            }
        }
        #expect(differing.isEmpty, "\(differing.prefix(5))")
    }

    @Test func containsASCIIIsFoundationsContains() {
        var differing: [String] = []
        let extra = ["a@\u{301}b", "x:\u{301}//y", "[email\u{301}]", "\u{0600}@", "@", "://", "mailto:a@b.org [email protected]"]
        for s in Self.samples + extra {
            for needle in ["@", "://", "[email"] where s.containsASCII(needle) != s.contains(needle) {
                differing.append(s + " / " + needle)
            }
        }
        #expect(differing.isEmpty, "\(differing.prefix(5))")
    }

    /// The JSON-LD markers are replaced only when their bytes occur: Foundation's (canonical)
    /// search finds none of them otherwise.
    @Test func markersAbsentAsBytesAreAbsentForFoundation() {
        for s in Self.samples + ["≮!--", "<\u{338}!--", "-\u{301}->"] {
            for marker in ["<!--", "-->", "//<![CDATA[", "//]]>"] where !s.bytesContain(marker) {
                #expect(s.replacingOccurrences(of: marker, with: "") == s)
            }
        }
    }

    @Test func sliceIsNSStringSubstring() {
        var rng = Generator(state: 7)
        var differing: [String] = []
        for s in Self.samples.prefix(2000) {
            let length = s.utf16.count
            for _ in 0..<4 {
                let a = Int.random(in: 0...length, using: &rng)
                let b = Int.random(in: a...length, using: &rng)
                let r = NSRange(location: a, length: b - a)
                if Rx.slice(s, r) != (s as NSString).substring(with: r) { differing.append("\(s.debugDescription) \(r)") }
            }
        }
        #expect(differing.isEmpty, "\(differing.prefix(5))")
    }

    /// The body is parsed once and the issuer filled in afterwards; the speakers must be the
    /// ones a parse that knew the issuer gives: the issuer for a reported statement, and for an
    /// unattributed quote after it the issuer too (or "" when there is none).
    @Test func pendingQuotesResolveLikeAParseWithTheIssuer() {
        let body = [
            "The statement said: the plan is approved and funded for three years.",
            "“This is a quotation without any attribution of its own, long enough to count.”",
        ]
        let none = QuoteParser.parse(body: body, fullText: body.joined(separator: "\n"), statementSpeaker: nil, issuer: nil)
        let org = QuoteParser.parse(body: body, fullText: body.joined(separator: "\n"), statementSpeaker: nil, issuer: "Example Org")
        #expect(none.map(\.speaker) == [nil, ""])
        #expect(org.map(\.speaker) == ["Example Org", "Example Org"])
        let named = QuoteParser.parse(body: body, fullText: body.joined(separator: "\n"),
                                      statementSpeaker: QuoteParser.Speaker(name: "Jane Doe", role: "Chair"), issuer: "Example Org")
        #expect(named.map(\.speaker) == ["Jane Doe", "Jane Doe"])
        #expect(named.map(\.role) == ["Chair", "Chair"])
    }
}
