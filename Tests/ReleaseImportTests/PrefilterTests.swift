import Foundation
import Testing
@testable import ReleaseImport

/// The hand-written speed-ups must give the answers of what they replace or guard: the needle
/// scan answers as a plain byte scan, and the byte-level String helpers equal the standard
/// library's and Foundation's results (HintedPatternTests checks every hinted pattern against its
/// plain form). Checked on many generated strings mixing release phrases with tricky
/// Unicode (Persian, Arabic, accents, emoji, CRLF, letters that case-fold to ASCII).
@Suite struct PrefilterTests {
    typealias Generator = SeededGenerator

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
        "Facebook icons Twitter icons", "Mail icons漢 icons", "FACEBOOK ICONS", "Mail iconſ", "جاء في البيان: نص", "آمده است: متن", "ſource: Example",
        "QUELLE: dpa", "BY: Jane Doe", "2020 年 1 月 5 日", "*** Embargoed until 10:00", "_Hold for release", "(NOT FOR PUBLICATION BEFORE)",
        "+++ Sperrfrist: 18.00 Uhr +++", "Strictly embargoed until", "Achtung Sperrfrist", "UNDER EMBARGO", "Sous embargo jusqu'au", "ſperrfriſt",
        "“We act,” ſaid Jane Doe.", "\"We act\" , SAYS Jane Doe.", "“Wir handeln”, erklärte Anna Roth.", "”, a déclaré Marie Curie.",
        "“Yes,” a dit Paul.", "“نعم” قال أحمد.", "“Yes”\u{A0}said Jane.", "“Yes,” afirmó Ana López.", "“Yes” and then said Jane.",
        "“Yes,” emphasized Jane Doe.", "“Yes,”\n\tnoted Jane Doe.",
        "TALLAHASSEE, FL – The", "St. John's, Newfoundland & Labrador - The", "BOSTON-Aug.19, 2008:University", "Saint-Denis — Le",
        "LONDON, 12 March 2021: The", "NEW YORK/LONDON -- The", "Zürich – Die", "O’Hare, Ill. - Flights", "Paris, 3 avril 2019 / 4 avril 2019 - Le",
        "NEW YORK, Oct. 5, 2023 /PRNewswire/ -- Acme", "St. John's - (BUSINESS WIRE) - Text", "Zürich (sda) - Die", "LONDON (Reuters) - The",
        // Round 4: wire credits between spaced or close slashes, colons in datelines, marks before quotations.
        "Jane Doe, chair of the council, said:", "The council issued the following statement:  ", "The statement is from Jane Doe:",
        "The following statement:\u{A0}", "said: \n", "LONDON / PR Newswire / -- Acme", "TOKYO /Kyodo/ - Text", "宅配便業者（2019/3/20）",
        "2019/3/20", "a/bc/d", "a/ /b", "Berlin: Die", "Berlin, 3. März 2021 : Die", "BERLIN 12 : The", "said. “We", "said,\u{2003}“We",
        "!  \"Yes\"", "“a” “b”", "ﬁve: six", "(Nasdaq: MBRX) (\"Moleculin\")",
        "Rio de Janeiro - Text", "Rio deJaneiro – Text", "LONDON, monday, 5 march 2021 - Text", "Köln, 3. märz 2021 – Die",
        "PARIS, 5 août 2019 - Le", "Frankfurt am Main – Die", "Stratford upon Avon - The", "São Paulo, 2 de junio de 2020 - El",
        "The council voted 9-2 on Tuesday", "NEW YORK, sept. 5, 2020 /PRNewswire/ -- Acme", "Rio de Janeiro (dpa) - Text",
        "PARIS, 5 mARCH 2020 - Text", "HOUSTON, jUNE 4, 2020 /PRNewswire/ -- Acme", "Rio de JANEIRO, MONDAY, 5 march 2021 - Text",
        // Scalars newer than ICU's Unicode 16 (a digit and a letter to Swift 6.3, unassigned to ICU 76).
        "\u{11DE0}5 March 2020", "\u{10940}March 5, 2020 and April 3, 2021", "x\u{11DE0}12 juin 2020",
        "SOURCE Acme Corp.", "Source Acme", "セキュリティセンター 森田／川辺", "ハウスコム株式会社\u{3000}大野／杉浦", "TEL：03-5555-0139", "485  0 Kommentare j2 Global Reports Fourth Quarter", "12 views Acme opens", "PARIS /AP/ - Le", "ROME /  1234567890123456789012345678901234567890  / - Testo", "ROME / 12345678901234567890123456789012345678901 / - Testo",
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

    /// The prefilter's own cases, beside the importer's patterns: needles folded from "ſ", "K",
    /// ligatures; punctuation and Arabic needles; prefixes.
    static let ownCases: [(String, Rx)] = [
        ("needs statement", Rx("statement", needs: ["statement"])),
        ("needs kelvin", Rx(#"\bkey\b"#, needs: ["key"])),
        ("needs ligature", Rx("office", needs: ["office"])),
        ("needs punctuation", Rx(#"\s[|→]\s"#, needs: ["|", "→"])),
        ("needs caseless script", Rx(#"جاء\s+في\s+البيان|سلام"#, needs: ["البيان", "سلام"])),
        ("prefixes", Rx(#"^(?:press|stat)"#, prefixes: ["press", "stat"])),
    ]

    /// Every pattern with needles: the importer's (as `Rx.hinted` lists them once
    /// HintedPatternTests has built them) and the prefilter's own cases.
    static func needled() throws -> [(String, Rx)] {
        try HintedPatternTests.buildPatterns()
        return Rx.hinted.filter { !$0.rx.needs.isEmpty }.map { ($0.site, $0.rx) } + ownCases
    }

    /// The needle scan as it was before the pair filter and memchr: one pass, each position
    /// tried against every needle (ASCII case ignored); for a case-insensitive pattern a letter
    /// folding to ASCII (ß, ŉ, ſ, ǰ, ẖ–ẞ, K, Å, ﬀ–ﬆ) answers "may match".
    static func referenceNeeds(_ s: String, _ needles: [[UInt8]], caseInsensitive: Bool) -> Bool {
        let hay = Array(s.utf8)
        // Needles no letter case-folds to (ASCII punctuation, General Punctuation, Arrows) are searched as they are.
        let caseless = needles.allSatisfy { n in String(decoding: n, as: UTF8.self).unicodeScalars.allSatisfy {
            switch $0.value { case 0x00...0x40, 0x5B...0x60, 0x7B...0x7F, 0x2010...0x205E, 0x2190...0x21FF: true; default: false }
        } }
        let caseInsensitive = caseInsensitive && !caseless
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

    @Test func needleScanAnswersAsThePlainScan() throws {
        // Both scans of `Rx` run: the byte loop for short texts, memchr for longer ones (> 128 bytes).
        #expect(Self.samples.filter { $0.utf8.count > 128 }.count > 500)
        #expect(Self.samples.filter { $0.utf8.count <= 128 }.count > 500)
        for (name, rx) in try Self.needled() {
            let differing = Self.samples.filter { rx.passesNeeds($0) != Self.referenceNeeds($0, rx.needs, caseInsensitive: rx.caseInsensitive) }
            if let first = differing.first { Issue.record("\(name) differs from the plain scan on \(first.debugDescription)") }
        }
    }

    @Test func prefiltersSeeMatches() {
        // The samples exercise the prefiltered patterns that run on every line (HintedPatternTests'
        // comparison with the plain patterns is not a vacuous one).
        let patterns: [(String, Rx)] = [
            ("DateParser.monthFirst", DateParser.monthFirst), ("DateParser.dayFirst", DateParser.dayFirst),
            ("ContactParser.phone", ContactParser.phone), ("ContactParser.phoneOnly", ContactParser.phoneOnly),
            ("ContactParser.fieldLabel", ContactParser.fieldLabel), ("TextSegmenter.labelPrefix", TextSegmenter.labelPrefix),
            ("TextSegmenter.bulletOrLabel", TextSegmenter.bulletOrLabel), ("HeaderClassifier.bullet", HeaderClassifier.bullet),
            ("HeaderClassifier.labelWords", HeaderClassifier.labelWords), ("BoilerplateDetector.describes", BoilerplateDetector.describes),
            ("DatelineParser.wired", DatelineParser.wired), ("ClutterFilter.patterns[7]", ClutterFilter.patterns[7]),
            ("ReleaseExtractor.sourceLine", ReleaseExtractor.sourceLine), ("ContactParser.byLabel", ContactParser.byLabel),
            ("DateParser.cjk", DateParser.cjk), ("QuoteParser.reported", QuoteParser.reported), ("TimingLine.embargo", TimingLine.embargo),
            ("QuoteParser.saidAfter", QuoteParser.saidAfter), ("QuoteParser.saidBefore", QuoteParser.saidBefore),
            ("DatelineParser.dashed", DatelineParser.dashed),
        ]
        for (name, rx) in patterns {
            #expect(Self.samples.contains { rx.testUnfiltered($0) }, "no sample matches \(name)")
        }
        // Matches that start past the first offset, where `starts` and `from` scans do their work.
        #expect(Self.samples.contains { s in DateParser.monthFirst.plainLocated(s).map { $0.location > 0 } ?? false })
        #expect(Self.samples.contains { s in QuoteParser.saidBefore.plainLocated(s).map { $0.location > 0 } ?? false })
        // saidBefore's needles hold every quotation mark its pattern accepts: a text whose only mark is “ matches.
        #expect(QuoteParser.saidBefore.testUnfiltered("“Yes,“ Jane Doe said today."))
        #expect(QuoteParser.saidBefore.test("“Yes,“ Jane Doe said today."))
    }

    @Test func datelinePrechecksReadWords() {
        // A paragraph opening with a capital and holding a hyphen later is ruled out by its
        // first lower-case word that no dateline holds; connectors and dates are not.
        #expect(!DatelineParser.dashed.passesPrefilter("The council voted 9-2 on Tuesday"))
        #expect(!DatelineParser.dashed.testUnfiltered("The council voted 9-2 on Tuesday"))
        #expect(!DatelineParser.wired.passesPrefilter("The council voted (dpa) on Tuesday / and / then"))
        #expect(!DatelineParser.wired.testUnfiltered("The council voted (dpa) on Tuesday / and / then"))
        for text in ["Rio de Janeiro - Text", "Rio deJaneiro – Text", "LONDON, monday, 5 march 2021 - Text", "Frankfurt am Main – Die",
                     "PARIS, 5 mARCH 2020 - Text"] {
            #expect(DatelineParser.dashed.testUnfiltered(text), "\(text)")
            #expect(DatelineParser.dashed.passesPrefilter(text), "\(text)")
        }
        #expect(DatelineParser.wired.testUnfiltered("Rio de Janeiro (dpa) - Text") && DatelineParser.wired.passesPrefilter("Rio de Janeiro (dpa) - Text"))
        let mixedCase = "HOUSTON, jUNE 4, 2020 /PRNewswire/ -- Acme"
        #expect(DatelineParser.wired.testUnfiltered(mixedCase) && DatelineParser.wired.passesPrefilter(mixedCase))
    }

    @Test func datesAfterScalarsNewerThanICU() {
        // Swift's Unicode tables can be newer than ICU's: a scalar that is a digit or a letter only
        // to Swift must not hide the date ICU finds after it.
        for text in ["\u{11DE0}5 March 2020", "\u{10940}March 5, 2020 and April 3, 2021"] {
            for rx in [DateParser.monthFirst, DateParser.dayFirst] {
                let whole = rx.plainLocated(text), started = rx.located(text)
                #expect(whole?.location == started?.location && whole?.groups == started?.groups, "\(text.debugDescription)")
            }
        }
        #expect(DateParser.first(in: "\u{11DE0}5 March 2020")?.iso == "2020-03-05")
        #expect(DateParser.first(in: "\u{10940}March 5, 2020 and April 3, 2021")?.iso == "2020-03-05")
    }

    @Test func boilerplateSearchesAreFoundations() {
        // The ASCII shortcuts of BoilerplateDetector must answer as Foundation's searches.
        var rng = Generator(state: 7)
        var found = 0
        for s in Self.samples.prefix(2000) {
            let other = Self.samples.randomElement(using: &rng)!
            let start = s.isEmpty ? 0 : Int.random(in: 0..<s.count, using: &rng)
            for needle in [String(s.dropFirst(start).prefix(6)), String(other.prefix(4)), "Example", "e", "", "é", "\n", "\r", " "] {
                let expectedText = s.range(of: needle).map { String(s[..<$0.lowerBound]) } ?? s
                #expect(BoilerplateDetector.text(of: s, before: needle) == expectedText, "\(s.debugDescription) before \(needle.debugDescription)")
                let expectedContains = s.components(separatedBy: needle).count > 1
                #expect(BoilerplateDetector.contains(s, needle) == expectedContains, "\(s.debugDescription) contains \(needle.debugDescription)")
                if expectedContains { found += 1 }
            }
        }
        #expect(found > 1000)
    }

    @Test func isoDateIsTheFormattedOne() {
        // `Found.iso` writes the digits itself; it must print what String(format:) printed.
        for year in [-5, 0, 7, 99, 999, 1800, 2024, 9999, 10000] {
            for month in [-1, 0, 1, 9, 10, 12, 99, 100] {
                for day in [0, 1, 9, 10, 31, 100] {
                    let found = DateParser.Found(year: year, month: month, day: day, location: 0, length: 0)
                    #expect(found.iso == String(format: "%04d-%02d-%02d", year, month, day))
                }
            }
        }
    }

    @Test func rememberedDatesAreTheComputedOnes() {
        // `DateParser.first` keeps recent answers by exact bytes: canonically equivalent texts
        // and the numeric-order flag must not share an answer.
        for text in ["12/3/2007", "Paris, le 25 novembre 2015", "March 20, 2020 and 2011-03-09", "2019年4月2日"] {
            let a = DateParser.first(in: text, monthFirstNumeric: true)?.iso
            let b = DateParser.first(in: text, monthFirstNumeric: false)?.iso
            #expect(DateParser.first(in: text, monthFirstNumeric: true)?.iso == a)
            #expect(DateParser.first(in: text, monthFirstNumeric: false)?.iso == b)
        }
        #expect(DateParser.first(in: "12/3/2007", monthFirstNumeric: true)?.iso == "2007-12-03")
        #expect(DateParser.first(in: "12/3/2007", monthFirstNumeric: false)?.iso == "2007-03-12")
        let composed = "5 déc 2019", decomposed = "5 de\u{301}c 2019"
        #expect(composed == decomposed)
        _ = DateParser.first(in: composed)
        let remembered = DateParser.first(in: decomposed)
        for n in 0..<10 { _ = DateParser.first(in: "\(n) May 2001 evicts") }
        let fresh = DateParser.first(in: decomposed)
        #expect(remembered?.iso == fresh?.iso && remembered?.location == fresh?.location && remembered?.length == fresh?.length)
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
        // The capped count stops early but answers as the full one.
        for s in Self.samples {
            for n in [0, 1, 2, 8, 10, 14, 15, 25] {
                #expect(s.countWords(stoppingAfter: n) == min(s.wordCount, n + 1))
                #expect(s.hasWords(atMost: n) == (s.wordCount <= n))
            }
        }
    }

    @Test func blankAsFoundationSeesIt() {
        // `missingRequiredFields` asks `isBlank` where it asked Foundation's trimming.
        for s in Self.samples + ["", " ", "\u{85}", "\u{A0}\u{2028}", "\u{200B}", "\u{FEFF}", "\u{180E}"] {
            #expect(ImportedRelease.isBlank(s) == s.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, "\(s.debugDescription)")
        }
        var differing: [UInt32] = []
        for v in UInt32(0)...0x10FFFF {
            guard let u = Unicode.Scalar(v) else { continue }
            let s = " " + String(u) + "\t"
            if ImportedRelease.isBlank(s) != s.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { differing.append(v) }
        }
        #expect(differing.isEmpty, "\(differing.prefix(5).map { String($0, radix: 16) })")
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

    /// `comparable` as it was written before its ASCII and unchanged-scalar shortcuts.
    static func referenceComparable(_ s: String) -> [UInt8] {
        var out: [UInt8] = []
        for u in s.unicodeScalars {
            for l in u.properties.lowercaseMapping.unicodeScalars {
                switch l.properties.generalCategory {
                case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
                     .nonspacingMark, .spacingMark, .enclosingMark, .decimalNumber, .letterNumber, .otherNumber:
                    UTF8.encode(l) { out.append($0) }
                default:
                    break
                }
            }
        }
        return out
    }

    @Test func comparableKeepsItsBytes() {
        let differing = Self.samples.filter { Array($0.comparable.utf8) != Self.referenceComparable($0) }
        #expect(differing.isEmpty, "\(differing.prefix(3))")
        // The shortcut's premise, for every scalar: one that does not change when lower-cased maps to itself.
        var exceptions: [UInt32] = []
        for v in UInt32(0x80)...0x10FFFF {
            guard let u = Unicode.Scalar(v), !u.properties.changesWhenLowercased else { continue }
            if !u.properties.lowercaseMapping.unicodeScalars.elementsEqual([u]) { exceptions.append(v) }
        }
        #expect(exceptions.isEmpty, "\(exceptions.prefix(5).map { String($0, radix: 16) })")
        // And comparable itself over every scalar, a thousand at a time.
        var chunk = ""
        var differingChunks = 0
        for v in UInt32(0)...0x10FFFF {
            guard let u = Unicode.Scalar(v) else { continue }
            chunk.unicodeScalars.append(u)
            if chunk.unicodeScalars.count == 1000 || v == 0x10FFFF {
                if Array(chunk.comparable.utf8) != Self.referenceComparable(chunk) { differingChunks += 1 }
                chunk = ""
            }
        }
        #expect(differingChunks == 0)
    }

    @Test func languageDetectionOnSamples() {
        // The counting by bit masks must pick the language the [String: Int] counting picked.
        for s in Self.samples + ["der die und das ist", "le la les et des la le", "the and of to in", "de het een van en de het", "el la los las y el la"] {
            #expect(LanguageDetector.detect(s) == Self.referenceLanguage(s), "\(s.debugDescription)")
        }
    }

    /// The detector's Latin-script counting as it was written before (words split the slow way).
    static func referenceLanguage(_ text: String) -> String {
        var arabicScript = 0, persianOnly = 0, arabicOnly = 0, latin = 0, kana = 0, han = 0, hangul = 0
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x0600...0x06FF, 0xFB50...0xFDFF, 0xFE70...0xFEFF:
                arabicScript += 1
                if [0x067E, 0x0686, 0x0698, 0x06AF, 0x06CC, 0x06A9].contains(scalar.value) { persianOnly += 1 }
                if [0x0629, 0x064A, 0x0643, 0x0649].contains(scalar.value) { arabicOnly += 1 }
            case 0x0041...0x005A, 0x0061...0x007A, 0x00C0...0x024F:
                latin += 1
            case 0x3040...0x30FF, 0x31F0...0x31FF, 0xFF66...0xFF9F:
                kana += 1
            case 0x4E00...0x9FFF, 0x3400...0x4DBF:
                han += 1
            case 0xAC00...0xD7AF, 0x1100...0x11FF:
                hangul += 1
            default:
                break
            }
        }
        if arabicScript > latin { return persianOnly > arabicOnly ? "fa" : "ar" }
        if kana + han + hangul > latin { return hangul > kana + han ? "ko" : kana * 10 >= han ? "ja" : "zh" }
        var counts: [String: Int] = [:]
        var word = ""
        func finish() {
            for (lang, set) in referenceStopwords where set.contains(word) { counts[lang, default: 0] += 1 }
            word = ""
        }
        for scalar in text.unicodeScalars {
            if scalar.properties.isAlphabetic { word += String(scalar).lowercased() } else { finish() }
        }
        finish()
        guard let best = counts.max(by: { $0.value < $1.value || ($0.value == $1.value && $0.key > $1.key) }), best.value >= 3 else { return "en" }
        return best.key
    }

    static let referenceStopwords: [String: Set<String>] = [
        "en": ["the", "and", "of", "to", "in", "is", "that", "for", "on", "with", "are", "was", "by", "as", "this", "be", "it", "from", "have", "has", "will", "at", "who", "their", "not"],
        "de": ["der", "die", "und", "das", "ist", "nicht", "mit", "den", "von", "sich", "des", "auf", "für", "eine", "ein", "im", "dem", "zu", "auch", "wird", "werden", "über", "bei", "sind", "wir"],
        "fr": ["le", "la", "les", "et", "des", "est", "une", "un", "du", "dans", "que", "qui", "pour", "pas", "sur", "au", "aux", "avec", "ce", "par", "son", "sont", "elle", "ont"],
        "es": ["el", "la", "los", "las", "y", "que", "del", "en", "por", "con", "una", "un", "para", "es", "se", "su", "al", "como", "más", "han", "sobre", "este", "esta"],
        "it": ["il", "di", "che", "è", "per", "una", "della", "del", "sono", "con", "gli", "nel", "alla", "delle", "anche", "non", "più"],
        "pt": ["o", "os", "que", "do", "da", "em", "um", "uma", "para", "com", "não", "dos", "das", "ao", "pelo", "pela", "são", "foi"],
        "nl": ["de", "het", "een", "van", "en", "is", "dat", "op", "te", "voor", "met", "zijn", "niet", "wordt", "ook", "bij"],
    ]

    @Test func utf8CheckIsTheValidators() {
        // TextEncodingSniffer.isValidUTF8 hands the validator only the stretches between ASCII
        // bytes: it must answer as validating the whole, on text with every kind of fault.
        var rng = SeededGenerator(state: 8)
        let valid: [[UInt8]] = [Array("plain ASCII text, ".utf8), Array("é".utf8), Array("—".utf8), Array("𝄞".utf8), Array("بيان".utf8), Array("12345678".utf8)]
        // Cut sequences, stray continuation bytes, overlong forms, surrogates, past U+10FFFF, bytes never used.
        let faulty: [[UInt8]] = [
            [0xC3], [0xE2, 0x80], [0xF0, 0x9D, 0x84], [0x80], [0xBF, 0xBF], [0xC0, 0xAF], [0xE0, 0x80, 0xAF],
            [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xFF], [0xFE],
        ]
        var cases = 0, invalid = 0
        for _ in 0..<4000 {
            var bytes: [UInt8] = []
            for _ in 0..<Int.random(in: 0...12, using: &rng) {
                bytes += Int.random(in: 0..<10, using: &rng) < 9 ? valid.randomElement(using: &rng)! : faulty.randomElement(using: &rng)!
            }
            let whole = (try? UTF8Span(validating: bytes.span)) != nil
            #expect(TextEncodingSniffer.isValidUTF8(bytes) == whole, "\(bytes)")
            cases += 1
            if !whole { invalid += 1 }
        }
        #expect(invalid > 1000 && invalid < cases - 1000)
    }

    @Test func phraseScanIsAPlainSearch() {
        // ClutterFilter's one-pass phrase scan (pair table) must answer as searching each phrase's bytes.
        let texts = Self.samples.map { $0.lowercased() } + ClutterFilter.phraseList.flatMap { ["x " + $0, $0 + ".", String($0.dropLast())] }
        for t in texts {
            let plain = ClutterFilter.phraseList.contains { p in
                let h = Array(t.utf8), n = Array(p.utf8)
                return h.count >= n.count && (0...(h.count - n.count)).contains { i in Array(h[i..<(i + n.count)]) == n }
            }
            #expect(ClutterFilter.holdsPhrase(t) == plain, "\(t.debugDescription)")
        }
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
