import Foundation

/// Recognizes page clutter: text a web page wraps around a release that is not part of
/// it (newsletter prompts, donation appeals, paywall notes, share links, navigation,
/// image credits, comment forms, mailing-list furniture).
///
/// Lines are judged by the kind of prompt they are, never by the site they come from,
/// so a new site's "Get our best delivered to your inbox" is caught like the last one's.
enum ClutterFilter {
    /// Phrases that only occur in page furniture (matched case-insensitively anywhere in a short line).
    private static let phrases: [String] = [
        // newsletter and subscription prompts
        "never miss a beat", "get our best delivered", "delivered to your inbox", "delivered straight to your inbox",
        "subscribe to our", "sign up for our newsletter", "sign up for our email", "indicates required",
        "join our mailing list", "to subscribe to the list", "to remove your address from the list",
        "newsletter abonnieren", "suscríbete",
        // donation and support appeals, paywall notes
        "donation method", "please support", "without your support", "no paywalls", "paywall",
        "coverage is free to all", "is free to all", "tax deductible gift", "tax-deductible gift", "tax-deductible giving",
        "we need your voice", "support our essential reporting", "never made our readers pay",
        "subscribers only", "already a subscriber", "subscribe to continue", "make a donation", "donate now",
        "as is all of our reporting", "no corporate sponsors",
        // sharing, printing, navigation
        "share this article", "share this page", "share on facebook", "share on twitter", "tweet this",
        "send this page to a friend", "this information to a friend", "email this page", "print this page",
        "skip to main content", "skip to content", "back to top", "region / country", "logo and link",
        // trust banners and image credits
        "the .gov means it", "the site is secure", "federal government websites often end in",
        "the https:// ensures", "getty images", "multimedia content can be downloaded",
        "photo credit", "image credit",
        // aggregators, tickers, comment forms, list archives
        "a project of common dreams", "lesen sie in unserem live-ticker", "der liveticker wird",
        "karte für diesen artikel", "hier geht es zur originalquelle", "veröffentlicht im schattenblick",
        "laisser un commentaire", "ne sera pas publiée", "leave a comment", "will not be published",
        "diskussionsfäden", "mailing list", "/mailman/", "actuamos por los derechos humanos",
        "is not responsible for the opinions", "is not responsible for the content",
        "متوفر بـ", "محتوى الوسائط المتعددة", "بيانات الاتصال بالفريق الإعلامي",
    ]

    /// The phrases as UTF-8, searched as bytes: Foundation's `String.contains` goes through
    /// locale-aware NSString search and dominated the importer's run time.
    private static let phraseBytes: [[UInt8]] = phrases.map { Array($0.utf8) }

    /// The phrases grouped by their first two bytes (each group's phrase indices), so the line
    /// is scanned once for all phrases.
    private static let pairGroups: [[Int]] = {
        var groups: [[Int]] = []
        var slotOfPair: [UInt16: Int] = [:]
        for (n, p) in phraseBytes.enumerated() {
            let pair = UInt16(p[0]) << 8 | UInt16(p[1])
            if let slot = slotOfPair[pair] { groups[slot].append(n) } else { slotOfPair[pair] = groups.count; groups.append([n]) }
        }
        return groups
    }()

    /// For every two-byte pair, 1 + its index in `pairGroups`, or 0 when no phrase opens with it:
    /// one table read per position of the line. (A dictionary keyed by the pair, behind a bit
    /// set, hashed the pair at every position where a common bigram such as "th" or "in" stood.)
    private static let pairSlots: [UInt8] = {
        precondition(pairGroups.count < 255)
        var table = [UInt8](repeating: 0, count: 65536)
        for (slot, group) in pairGroups.enumerated() {
            let p = phraseBytes[group[0]]
            table[Int(p[0]) << 8 | Int(p[1])] = UInt8(slot + 1)
        }
        return table
    }()

    private static func containsPhrase(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard bytes.count >= 2 else { return false }
        return pairSlots.withUnsafeBufferPointer { slots in
            for i in 0..<(bytes.count - 1) {
                let slot = slots[Int(bytes[i]) << 8 | Int(bytes[i + 1])]
                if slot == 0 { continue }
                for n in pairGroups[Int(slot) - 1] {
                    let p = phraseBytes[n]
                    guard i + p.count <= bytes.count else { continue }
                    var k = 2
                    while k < p.count && bytes[i + k] == p[k] { k += 1 }
                    if k == p.count { return true }
                }
            }
            return false
        }
    }

    /// `containsPhrase` for the tests, on a whole string.
    static func holdsPhrase(_ s: String) -> Bool {
        var s = s
        return s.withUTF8 { containsPhrase($0) }
    }

    /// The phrases, for the tests' plain search.
    static var phraseList: [String] { phrases }

    /// Whole lines that are furniture on their own but ordinary words inside a sentence.
    private static let exactLines: Set<String> = [
        "the progressive", "newswire", "get updates", "press release", "news release", "dot gov",
        "veröffentlicht am", "en todo el mundo", "english", "العربية", "français", "español", "deutsch",
        "share", "print", "email", "tweet", "menu", "search", "home", "date", "read more", "related",
        "communiqués de la ldh", "*", "photos",
    ]

    /// No string `Set.contains` finds in `exactLines` (it compares by canonical equivalence) is
    /// longer than this: such a string's scalars decompose to the entry's NFD scalars (at least
    /// one each), and a scalar takes at most four bytes.
    private static let exactLinesMaxBytes = 4 * (exactLines.map { $0.decomposedStringWithCanonicalMapping.unicodeScalars.count }.max() ?? 0)

    static let patterns: [Rx] = [
        Rx(#"^#[0-9a-f]{3,8}$"#, prefixes: ["#"]),                          // colour codes from a signup widget
        Rx(#"^(?:by|von|par|por)\s+(?:admin|administrator|staff|editor|webmaster)$"#, needs: ["admin", "staff", "editor", "webmaster"], prefixes: ["by", "von", "par", "por"]),
        Rx(#"\bnewscenter\b"#, needs: ["newscenter"]),
        Rx(#"^(?:home|start)\s*[|>→]"#, prefixes: ["home", "start"]),                    // breadcrumbs and nav bars
        Rx(#"(?:\s[|]\s.*){2,}"#, needs: ["|"]),
        Rx(#"^[^>›]{1,40}(?:\s[>›]\s[^>›]{1,40}){2,}$"#, needs: [">", "›"]),       // a breadcrumb trail ("Top > News releases > Keyboards")
        Rx(#"→"#, needs: ["→"]),
        Rx(#"^©|^\(c\)\s|^credit:|^photo:|^image:|^foto:|^bild:"#, prefixes: ["©", "(c)", "credit:", "photo:", "image:", "foto:", "bild:"]),
        Rx(#"(\b\w+ icons){2,}"#, needs: [" icons"], precheck: Precheck.mayRepeatIcons),  // icon-font alt text run together
        Rx(#"^\[[^\]]{2,40}\]\s"#, prefixes: ["["]),                        // mailing-list subject tags
        Rx(#"^[\p{Lu}]{2,}/\d+:"#, needs: ["/"], precheck: Precheck.mayOpenWithLetter),                         // aggregator item codes "MELDUNG/150:"
        Rx(#"^\S+-(?:un)?subscribe@"#, needs: ["subscribe@"]),
        Rx(#"^(?:sehr geehrte|liebe kolleginnen|dear (?:colleagues|editors|sir)|mesdames|estimad[oa]s)"#, prefixes: ["sehr geehrte", "liebe kolleginnen", "dear ", "mesdames", "estimad"]),
        Rx(#"^mit freundlichen grüßen|^best regards|^kind regards|^sincerely|^cordialement"#, prefixes: ["mit freundlichen gr", "best regards", "kind regards", "sincerely", "cordialement"]),
        Rx(#"^•?\s*(?:press release|news release|pressemitteilung)$"#, needs: ["press release", "news release", "pressemitteilung"], precheck: { Precheck.opensWith($0, oneOf: "•pPnN", orSpace: true) }),
        Rx(#"^-\s*(?:english|español|français|deutsch|العربية|فارسی)$"#, prefixes: ["-"]),
        Rx(#"^visit [\p{Lu}][^.]{0,60}fund\b"#, prefixes: ["visit "]),
        Rx(#"^please select"#, prefixes: ["please select"]),
        // The legal note wire releases carry before the brand boilerplate.
        Rx(#"^the\s+terms?\s+.{1,60}?\s+(?:is|are)\s+used\s+in\s+this\s+(?:press\s+|news\s+)?release\b"#, needs: ["used in this"], prefixes: ["the"]),
        Rx(#"^\d{1,2}:\d{2}(?::\d{2})?\s*(?:[ap]\.?m\.?)?$"#, needs: [":"], precheck: { Precheck.opensWith($0, oneOf: "") }),           // a posting time on its own line
    ]

    private static let counter = Rx(#"^\d{1,3}$"#)                // stray counters (at most 3 scalars of 4 bytes)
    private static let rule = Rx(#"^[|\s_=*~-]+$"#)               // table pipes and rules
    private static let ruleStarts: Set<UInt8> = Set("|_=*~-".utf8)

    /// CMS titles cut with an ellipsis ("How Average Taxpayers...").
    static let cutTitle = Rx(#"\.{3}$|…$"#, needs: ["...", "…"])

    /// `true` when the whole line is page furniture.
    static func isClutter(_ raw: String) -> Bool {
        let line = raw.trimmed
        if line.isEmpty { return false }
        var lower = line.lowercasedFast
        let key = lower.trimmingEdges(" .:•")
        // Hashing a long line (normalized, for non-ASCII) only to miss was a visible cost.
        if key.utf8.count <= exactLinesMaxBytes, exactLines.contains(key) { return true }
        if line.utf8.count <= 4800, lower.withUTF8(containsPhrase) { return true }
        if patterns.contains(where: { $0.test(line) }) { return true }
        // These two have no literal to filter on; the line is trimmed, so its first character
        // decides: a digit may start a stray counter, a rule character a table rule.
        if line.utf8.count <= 12, let u = line.unicodeScalars.first, u.properties.generalCategory == .decimalNumber, counter.test(line) { return true }
        if let b = line.utf8.first, ruleStarts.contains(b), rule.test(line) { return true }
        if isLogoLine(lower) { return true }
        if isCodeToken(line) { return true }
        // The pattern's byte prefilter (an ellipsis) first: counting words read every line.
        if cutTitle.test(line), line.hasWords(atMost: 15) { return true }
        return false
    }

    /// "checkAd": one short camel-case token, ASCII letters only, left by a page's ad or widget script.
    static func isCodeToken(_ line: String) -> Bool {
        let bytes = Array(line.utf8)
        guard (4...24).contains(bytes.count), bytes[0] >= 0x61, bytes[0] <= 0x7A,
              bytes.allSatisfy({ ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x41 && $0 <= 0x5A) }) else { return false }
        return bytes.dropFirst(2).contains { $0 >= 0x41 && $0 <= 0x5A }
    }

    /// Image alt texts: "X Logo", "UC ingot" style lines are short, have no verb-like
    /// punctuation and name a picture.
    private static func isLogoLine(_ lower: String) -> Bool {
        // Splitting into words is the costly part; a line without the letters needs none of it.
        guard lower.bytesContain("logo") || lower.bytesContain("ingot") || lower.bytesContain("icon") else { return false }
        let words = lower.split(separator: " ")
        guard words.count <= 12 else { return false }
        return words.contains("logo") || words.contains("ingot") || words.contains("icon")
    }

    static let endMark = Rx(#"^_{3,}$|^-{1,2}\s*(?:30|end|ends|fin)\s*-{1,2}$|^#{3,}$"#, needs: ["___", "-", "###"])

    /// Lines after which nothing belongs to this release: end marks and list footers.
    /// A line of underscores: a rule drawn in text.
    static func isRule(_ raw: String) -> Bool {
        let t = raw.trimmed
        return t.utf8.count >= 3 && t.utf8.allSatisfy { $0 == UInt8(ascii: "_") }
    }

    static func isEndMark(_ raw: String) -> Bool {
        let trimmed = raw.trimmed
        // Every end mark (the list and the pattern) starts with "#", "-", "_" or "e"/"E"
        // ("ends"); lower-casing cannot turn another first character into one of those, so
        // the many ordinary lines are ruled out without lower-casing them.
        guard let first = trimmed.utf8.first, first == UInt8(ascii: "#") || first == UInt8(ascii: "-") || first == UInt8(ascii: "_") || first == UInt8(ascii: "e") || first == UInt8(ascii: "E") else { return false }
        let line = trimmed.lowercased()
        if ["###", "# # #", "-30-", "- 30 -", "-end-", "- end -", "-ends-", "ends", "___", "-- ", "--"].contains(line) { return true }
        return endMark.test(line)
    }
}
