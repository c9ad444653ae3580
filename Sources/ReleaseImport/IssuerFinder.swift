import Foundation

/// Names the organization that issued the release, from the places a page names it,
/// most reliable first: an aggregator's "Source:" line, the name a wire prints after its
/// credit, a "X - Pressedienst" header, the ots sender line, a "Communiqué X" label or a
/// "Statement of X" title, the About heading or boilerplate subject, the contact's
/// organization, the "Follow X on Twitter" line, the speakers' organizations, a logo's alt
/// text, and finally the organization the text names most often.
enum IssuerFinder {
    struct Clues {
        var source: String?
        var wire: String?
        /// The company a wire release's lead names with its stock ticker ("Hyatt Hotels Corporation (NYSE: H)").
        var ticker: String?
        /// A credit line closing the body ("GIS"): the agency that wrote it, on a republished copy.
        var credit: String?
        var pressService: String?
        var otsSender: String?
        var label: String?
        var statementTitle: String?
        var aboutHeading: String?
        var boilerplateSubject: String?
        var contactOrganization: String?
        var follow: String?
        var roles: [String] = []
        var logo: String?
        /// The page's site name (og:site_name, or the `<title>` after the headline).
        var siteName: String?
    }

    static func find(_ clues: Clues, fullText: String, exclude: Set<String>) -> String? {
        let ordered: [String?] = [
            clues.pressService, clues.source, clues.wire, clues.ticker, clues.credit, clues.otsSender, clues.label, clues.statementTitle,
            clues.aboutHeading, clues.boilerplateSubject, clues.contactOrganization.flatMap(contactOrganization), clues.follow,
        ]
        for c in ordered { if let c, let v = usable(c) { return v } }
        var weak: String?
        for role in clues.roles {
            guard let org = organization(inRole: role) else { continue }
            if org.count <= 4 {
                // An acronym the text spells out ("Transportation Trades Department (TTD)") is named by its expansion.
                if let expansion = expand(acronym: org, in: fullText) { return expansion }
                weak = weak ?? org
                continue
            }
            return org
        }
        if let logo = clues.logo, let v = usable(logo) { return v }
        // An institution's own newsroom names itself in the site name; checked after everything
        // the release says, since a republishing site names itself the same way.
        if let site = clues.siteName, let v = usable(site) { return v }
        if let frequent = mostFrequentOrganization(in: fullText, exclude: exclude) { return frequent }
        return weak
    }

    /// A contact's organization, reduced to the organization itself: "NABU-Pressesprecherin"
    /// names NABU; "Headquarters, Washington" names a building, not who issued the release.
    private static func contactOrganization(_ org: String) -> String? {
        if org.lowercased().hasPrefix("headquarters") { return nil }
        if let m = Self.spokespersonSuffix.match(org), let name = m[1] { return name }
        return org
    }

    private static func expand(acronym: String, in text: String) -> String? {
        let escaped = NSRegularExpression.escapedPattern(for: acronym)
        let re = Rx(#"((?:[\p{Lu}][\p{L}-]+\s+(?:(?:of|for|and|the|de|des)\s+)?){1,6})\(\s*"# + escaped + #"\s*\)"#, caseInsensitive: false)
        guard let m = re.match(text), let words = m[1]?.trimmed, words.split(separator: " ").count >= 2 else { return nil }
        return words
    }

    private static func usable(_ s: String) -> String? {
        // A final point stays: it usually closes "Inc." or "e.V.".
        let t = s.trimmingEdges(" ,;:-–—")
        return t.isEmpty || t.count > 120 ? nil : t
    }

    /// Job-title words: where an organization's name ends in "Greenpeace USA Executive Director".
    private static let titleWords: Set<String> = [
        "director", "president", "chair", "chairman", "chairwoman", "ceo", "minister", "secretary", "spokesperson",
        "spokesman", "spokeswoman", "fellow", "professor", "manager", "officer", "coordinator", "executive", "senior",
        "deputy", "head", "chief", "representative", "ambassador", "commissioner", "advisor", "adviser", "researcher",
        "author", "leader", "associate", "vice", "campaigner", "analyst", "counsel", "founder", "co-founder", "member",
    ]

    /// "Senior Director of Programs at Amnesty International USA" -> "Amnesty International USA";
    /// "Greenpeace USA Executive Director" -> "Greenpeace USA".
    static func organization(inRole role: String) -> String? {
        let r = (role.components(separatedBy: ",").first ?? role).trimmed
        let words = r.split(separator: " ").map(String.init)
        guard let first = words.first else { return nil }
        // Organization first, then the title.
        if first.first?.isUppercase == true, !titleWords.contains(first.lowercased()) {
            var taken: [String] = []
            for w in words {
                if titleWords.contains(w.lowercased()) { break }
                taken.append(w)
            }
            while let last = taken.last, ["of", "for", "and", "the"].contains(last) { taken.removeLast() }
            if !taken.isEmpty, taken.count < words.count { return taken.joined(separator: " ") }
        }
        // Title first, then "at/of" the organization.
        for sep in [" at ", " of the ", " of "] {
            if let range = r.range(of: sep, options: .backwards) {
                let org = String(r[range.upperBound...]).trimmingEdges()
                if org.first?.isUppercase == true { return org.hasPrefix("the ") ? String(org.dropFirst(4)) : org }
            }
        }
        return nil
    }

    /// The capitalized phrase or acronym the text repeats most (at least three times for an
    /// acronym, twice for a phrase), skipping people and places already recognized.
    private static func mostFrequentOrganization(in text: String, exclude: Set<String>) -> String? {
        var counts: [String: Int] = [:]
        let phrase = Self.capitalizedPhrase
        for m in phrase.matches(text) {
            guard let p = m[0], !PersonName.isName(p), !exclude.contains(p) else { continue }
            if p.split(separator: " ").contains(where: { ["The", "This", "In", "On", "At", "For", "El", "La", "Le", "Die", "Der", "Das", "Un", "Una", "Hoy"].contains(String($0)) }) { continue }
            counts[p, default: 0] += 1
        }
        let acronym = Self.acronymPattern
        let common: Set<String> = ["USA", "THE", "AND", "FOR", "CEO", "COVID", "EST", "EDT", "GMT", "UTC", "CEST", "NEW", "PDF"]
        for m in acronym.matches(text) {
            guard let a = m[0], !common.contains(a), !exclude.contains(a) else { continue }
            counts[a, default: 0] += 1
        }
        let best = counts.filter { $0.key.contains(" ") ? $0.value >= 2 : $0.value >= 3 }
            .max { $0.value < $1.value || ($0.value == $1.value && $0.key.count < $1.key.count) || ($0.value == $1.value && $0.key.count == $1.key.count && $0.key > $1.key) }
        return best?.key
    }

    /// A press office named after its spokesperson ("NABU-Pressesprecherin"). Built once: constructing an Rx per call looked its pattern up every time.
    private static let spokespersonSuffix = Rx(#"^(.+?)-(?:pressesprecher(?:in)?|sprecher(?:in)?|pressestelle)$"#)
    /// Capitalized phrases of two to four words (organization names). Built once: constructing an Rx per call looked its pattern up every time.
    private static let capitalizedPhrase = Rx(#"\b[\p{Lu}][\p{L}\p{M}]+(?:\s+(?:of|for|de|del|des)?\s*[\p{Lu}][\p{L}\p{M}]+){1,3}\b"#, caseInsensitive: false)
    /// Capitals-only words of three to six letters (acronyms). Built once: constructing an Rx per call looked its pattern up every time.
    private static let acronymPattern = Rx(#"\b[\p{Lu}]{3,6}\b"#, caseInsensitive: false)
}
