import Foundation

/// The organization an e-mail or web domain spells, in the release's own words:
/// `presse@jugend-forscht.de` in a text that writes "Jugend forscht" names "Jugend forscht",
/// `www.cityoffrederick.com` in one that writes "City", "of" and "Frederick" names "City of Frederick".
///
/// The domain's distinctive label (the one left of the public suffix, past `www`, `mail`,
/// `press` and the like) is cut into words the text itself uses (diacritics and case folded);
/// a label the text does not spell that way names nothing. Free mail providers, wires,
/// social networks and link shorteners name no issuer.
enum DomainName {
    /// Labels that end a host name without naming anyone (top-level and second-level public suffixes).
    private static let suffixLabels: Set<String> = [
        "com", "org", "net", "edu", "gov", "mil", "int", "info", "biz", "eu", "co", "ac", "or", "ne", "go", "gv",
        "gouv", "gob", "gub", "govt", "nic", "ltd", "plc", "sch", "nhs", "police", "gsi", "gsx", "gcsx", "asso", "nom",
    ]
    /// Host labels in front of the distinctive one.
    private static let serviceLabels: Set<String> = ["www", "mail", "email", "press", "presse", "media", "news", "newsroom", "web", "m", "en", "de", "fr"]
    /// Domains that carry other people's mail and news.
    private static let carriers: Set<String> = [
        "gmail", "googlemail", "yahoo", "hotmail", "outlook", "live", "msn", "aol", "icloud", "me", "gmx", "web", "t-online",
        "protonmail", "proton", "mailbox", "posteo", "orange", "free", "libero", "wanadoo", "yandex", "qq", "163",
        "prnewswire", "businesswire", "globenewswire", "einpresswire", "presseportal", "newswire", "accesswire", "prweb",
        "twitter", "x", "facebook", "instagram", "linkedin", "youtube", "youtu", "tiktok", "flickr", "mastodon", "bsky",
        "bit", "tinyurl", "ow", "goo", "t", "lnkd", "doi", "google", "apple", "microsoft", "wordpress", "blogspot", "sec", "pec",
    ]

    /// Carriers that print their name as a site's name, compared letters and digits only.
    static let carrierNames: [String] = ["prnewswire", "businesswire", "globenewswire", "einpresswire", "presseportal", "accesswire", "prweb", "prtimes", "newswire"]

    /// The distinctive label of a host name, lower-cased: "charitycommission" for
    /// "charitycommission.gsi.gov.uk", `nil` for a carrier's or an unreadable host.
    static func label(ofHost host: String) -> String? {
        var labels = host.lowercased().split(separator: ".").map(String.init)
        guard labels.count >= 2 else { return nil }
        labels.removeLast()  // the top-level domain
        while labels.count > 1, let last = labels.last, suffixLabels.contains(last) { labels.removeLast() }
        guard let label = labels.last, !carriers.contains(label), !serviceLabels.contains(label),
              label.count >= 3, label.contains(where: \.isLetter) else { return nil }
        return label
    }

    /// The host of an e-mail address or URL: "cityoffrederick.com" for "www.cityoffrederick.com/news".
    static func host(of address: String) -> String? {
        var s = Substring(address)
        if let at = s.lastIndex(of: "@") { s = s[s.index(after: at)...] } else if let scheme = s.range(of: "://") { s = s[scheme.upperBound...] }
        let host = s.prefix { $0 != "/" && $0 != "?" && $0 != "#" && $0 != ":" }
        return host.isEmpty ? nil : String(host).trimmingEdges(" .,;)>")
    }

    /// The words of `text` that spell `label` one after another, as the text writes them
    /// (the capitalized spelling when the text has one), joined by spaces; `nil` when the label
    /// cannot be cut into the text's words, or is one short word the text never capitalizes.
    static func spelled(_ label: String, in words: TextWords) -> String? {
        let parts = label.split(separator: "-").map(String.init)
        var out: [String] = []
        var hyphenAfter: Set<Int> = []
        for part in parts {
            guard let cut = cut(Array(part.unicodeScalars), words) else { return nil }
            out += cut
            hyphenAfter.insert(out.count - 1)
        }
        guard !out.isEmpty, out.contains(where: { $0.count >= 4 }) else { return nil }
        if out.count == 1, !(words.capitalized[out[0]] ?? false) { return nil }
        var name = out.map { words.written[$0] ?? $0 }
        if let first = name.first?.first, first.isLowercase { name[0] = first.uppercased() + name[0].dropFirst() }
        var joined = name[0]
        for k in 1..<name.count {
            // Hyphenated as the text hyphenates it ("Pyrénées-Orientales").
            let hyphen = hyphenAfter.contains(k - 1) && words.hyphenated.contains(out[k - 1] + "-" + out[k])
            joined += (hyphen ? "-" : " ") + name[k]
        }
        return joined
    }

    /// Cuts `scalars` into the fewest known words of two letters or more (connectors of two letters
    /// count only between longer words).
    private static func cut(_ scalars: [Unicode.Scalar], _ words: TextWords) -> [String]? {
        let n = scalars.count
        guard n > 0, n <= 40 else { return nil }
        var best: [[String]?] = Array(repeating: nil, count: n + 1)
        best[0] = []
        for end in 1...n {
            for start in stride(from: end - 2, through: 0, by: -1) {
                guard let before = best[start] else { continue }
                var w = String.UnicodeScalarView()
                w.append(contentsOf: scalars[start..<end])
                let word = String(w)
                guard words.folded.contains(word) else { continue }
                if best[end] == nil || best[end]!.count > before.count + 1 { best[end] = before + [word] }
            }
        }
        return best[n]
    }

    /// The words of a text, folded for matching a domain, with the way the text writes each.
    struct TextWords {
        /// Folded forms (lower-case, no diacritics).
        var folded: Set<String> = []
        /// Folded form -> the text's spelling (capitalized when the text ever capitalizes it).
        var written: [String: String] = [:]
        var capitalized: [String: Bool] = [:]
        /// Folded hyphenated compounds ("pyrenees-orientales").
        var hyphenated: Set<String> = []

        init(_ text: String) {
            // Addresses are left out: a domain is to be spelled by the text's prose, not by itself.
            let prose = text.split(whereSeparator: \.isWhitespace).filter { !$0.contains("@") && !$0.contains("://") && !$0.lowercased().contains("www.") }
            for raw in prose.joined(separator: " ").split(whereSeparator: { !$0.isLetter && !$0.isNumber && $0 != "-" }) where raw.contains("-") {
                hyphenated.insert(raw.folding(options: [.diacriticInsensitive, .caseInsensitive], locale: nil))
            }
            for raw in prose.joined(separator: " ").split(whereSeparator: { !$0.isLetter && !$0.isNumber }) {
                let word = String(raw)
                guard word.count >= 2 else { continue }
                let key = word.folding(options: [.diacriticInsensitive, .caseInsensitive], locale: nil)
                folded.insert(key)
                let upper = word.first?.isUppercase == true && word.dropFirst().contains(where: \.isLowercase)
                if written[key] == nil || upper && capitalized[key] != true { written[key] = word }
                if upper { capitalized[key] = true }
            }
        }
    }
}
