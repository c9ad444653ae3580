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
        "متوفر بـ", "محتوى الوسائط المتعددة", "بيانات الاتصال بالفريق الإعلامي",
    ]

    /// Whole lines that are furniture on their own but ordinary words inside a sentence.
    private static let exactLines: Set<String> = [
        "the progressive", "newswire", "get updates", "press release", "news release", "dot gov",
        "veröffentlicht am", "en todo el mundo", "english", "العربية", "français", "español", "deutsch",
        "share", "print", "email", "tweet", "menu", "search", "home", "date", "read more", "related",
        "communiqués de la ldh", "*", "photos",
    ]

    private static let patterns: [Rx] = [
        Rx(#"^#[0-9a-f]{3,8}$"#),                          // colour codes from a signup widget
        Rx(#"^\d{1,3}$"#),                                  // stray counters
        Rx(#"^[|\s_=*~-]+$"#),                              // table pipes and rules
        Rx(#"^(?:by|von|par|por)\s+(?:admin|administrator|staff|editor|webmaster)$"#),
        Rx(#"\bnewscenter\b"#),
        Rx(#"^(?:home|start)\s*[|>→]"#),                    // breadcrumbs and nav bars
        Rx(#"(?:\s[|]\s.*){2,}"#),
        Rx(#"→"#),
        Rx(#"^©|^\(c\)\s|^credit:|^photo:|^image:|^foto:|^bild:"#),
        Rx(#"(\b\w+ icons){2,}"#),                          // icon-font alt text run together
        Rx(#"^\[[^\]]{2,40}\]\s"#),                        // mailing-list subject tags
        Rx(#"^[\p{Lu}]{2,}/\d+:"#),                         // aggregator item codes "MELDUNG/150:"
        Rx(#"^\S+-(?:un)?subscribe@"#),
        Rx(#"^(?:sehr geehrte|liebe kolleginnen|dear (?:colleagues|editors|sir)|mesdames|estimad[oa]s)"#),
        Rx(#"^mit freundlichen grüßen|^best regards|^kind regards|^sincerely|^cordialement"#),
        Rx(#"^•?\s*(?:press release|news release|pressemitteilung)$"#),
        Rx(#"^-\s*(?:english|español|français|deutsch|العربية|فارسی)$"#),
        Rx(#"^visit [\p{Lu}][^.]{0,60}fund\b"#),
        Rx(#"^please select"#),
        Rx(#"^\d{1,2}:\d{2}(?::\d{2})?\s*(?:[ap]\.?m\.?)?$"#),           // a posting time on its own line
    ]

    /// CMS titles cut with an ellipsis ("How Average Taxpayers...").
    private static let cutTitle = Rx(#"\.{3}$|…$"#)

    /// `true` when the whole line is page furniture.
    static func isClutter(_ raw: String) -> Bool {
        let line = raw.trimmed
        if line.isEmpty { return false }
        let lower = line.lowercased()
        if exactLines.contains(lower.trimmingEdges(" .:•")) { return true }
        if line.count <= 1200, phrases.contains(where: { lower.contains($0) }) { return true }
        if patterns.contains(where: { $0.test(line) }) { return true }
        if isLogoLine(lower) { return true }
        if line.wordCount <= 15, cutTitle.test(line) { return true }
        return false
    }

    /// Image alt texts: "X Logo", "UC ingot" style lines are short, have no verb-like
    /// punctuation and name a picture.
    private static func isLogoLine(_ lower: String) -> Bool {
        let words = lower.split(separator: " ")
        guard words.count <= 12 else { return false }
        return words.contains("logo") || words.contains("ingot") || words.contains("icon")
    }

    /// Lines after which nothing belongs to this release: end marks and list footers.
    static func isEndMark(_ raw: String) -> Bool {
        let line = raw.trimmed.lowercased()
        if ["###", "# # #", "-30-", "- 30 -", "-end-", "- end -", "-ends-", "ends", "___", "-- ", "--"].contains(line) { return true }
        return Rx(#"^_{3,}$|^-\s*(?:30|end|ends|fin)\s*-$|^#{3,}$"#).test(line)
    }
}
