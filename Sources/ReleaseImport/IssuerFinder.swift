import Foundation

/// Names the organization that issued the release by weighing what the page says about it:
/// an aggregator's "Source:" line, the name a wire prints after its credit, a "X - Pressedienst"
/// header, the ots sender line, a "Communiqué X" label or a "Statement of X" title, the About
/// heading or boilerplate subject, the contacts' organization and e-mail domain, the "Follow X on
/// Twitter" line, the speakers' organizations, a logo's alt text, the page's site name and
/// copyright holder, a domain the text links to, and the organization the text names most often.
///
/// Each clue is a candidate with a weight for how often that kind of clue names the issuer;
/// a candidate gains part of the weight of every other clue that names the same organization
/// (one name holds the other, one is the other's acronym, or one spells the other's domain),
/// and the best-supported candidate wins. `Finding.support` is that score, for the confidence.
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
        /// A short line above the "For immediate release" line ("CITY OF GREENSBORO").
        var letterhead: String?
        var statementTitle: String?
        var aboutHeading: String?
        var boilerplateSubject: String?
        var contactOrganization: String?
        /// E-mail addresses of the media contacts.
        var contactEmails: [String] = []
        /// Other e-mail addresses and links in the release's text.
        var otherAddresses: [String] = []
        var follow: String?
        var roles: [String] = []
        var logo: String?
        /// The holder a "© 2020 X" line names.
        var copyright: String?
        /// The page's site name (og:site_name, or the `<title>` after the headline).
        var siteName: String?
        /// The part of a `<title>` before its first separator, when the title does not open with the headline.
        var titleSite: String?
        /// The holder a "©" line of the page names, its footer included (HTML input only).
        var pageCopyright: String?
        /// The page's social handle ("@EnBW", from `twitter:site`).
        var handle: String?
        /// The page's own address (`<link rel=canonical>`, og:url, `<base>`).
        var pageAddress: String?
    }

    /// The issuer found, and how well the clues support it: the winning candidate's score
    /// (its own weight plus its share of the agreeing clues' weights, 0 when nothing was found).
    struct Finding {
        var issuer: String?
        var support: Double
        /// How many distinct kinds of clue named it.
        var agreeing: Int
    }

    private struct Candidate {
        var name: String
        var weight: Double
        var key: String
        var words: Set<String>
        /// An acronym, or the words a domain spells: a name others may give in full.
        var isShortForm: Bool
        /// A clue that only echoes the site's owner (the page's handle, address, footer copyright):
        /// together they support a candidate once, by the strongest of them, and never one another.
        var echo: Bool
    }

    /// The issuer alone, for a text that is all release.
    static func find(_ clues: Clues, fullText: String, exclude: Set<String>) -> String? {
        weigh(clues, fullText: fullText, pageText: fullText, exclude: exclude).issuer
    }

    /// `fullText` is the release's own text (headline, body, boilerplate); `pageText` all of the
    /// input, whose words may spell a domain.
    static func weigh(_ clues: Clues, fullText: String, pageText: String, exclude: Set<String>) -> Finding {
        var candidates: [Candidate] = []
        func add(_ name: String?, _ weight: Double, shortForm: Bool = false, echo: Bool = false, mayBeDomain: Bool = false) {
            guard let name, var v = usable(name) else { return }
            var shortForm = shortForm
            // A site named by its domain ("TINE.no", "whitehouse.gov") is named by its label.
            if mayBeDomain, let label = domainLabel(v) { v = label; shortForm = true }
            let key = v.comparable
            guard !key.isEmpty else { return }
            let acronym = v.split(separator: " ").first.map { w in (2...6).contains(w.count) && w.allSatisfy { $0.isUppercase } } ?? false
            candidates.append(Candidate(name: v, weight: weight, key: key, words: significantWords(v), isShortForm: shortForm || acronym && v.wordCount <= 2,
                                        echo: echo))
        }
        add(clues.pressService, 6)
        add(clues.source, 6)
        add(clues.wire, 6)
        add(clues.ticker, 5)
        add(clues.otsSender, 5)
        add(clues.aboutHeading, 5)
        add(clues.credit, 4)
        // A type label's word after "Press Release" names the issuer only when the text names it
        // too ("Communiqué LDH"); otherwise it is a page's word ("Press Release Cover").
        if let label = clues.label, namesAsWords(fullText, label) { add(label, 4) }
        add(clues.letterhead, 3)
        add(clues.statementTitle, 4)
        add(clues.boilerplateSubject, 4)
        add(clues.contactOrganization.flatMap(contactOrganization), 3)
        add(clues.follow, 3)
        let contactLabels = clues.contactEmails.compactMap { DomainName.host(of: $0).flatMap(DomainName.label(ofHost:)) }
        // The first few distinct domains a page links to: a link-heavy page's hundreds add nothing but time.
        var otherLabels: [String] = []
        for address in clues.otherAddresses where otherLabels.count < 6 {
            if let label = DomainName.host(of: address).flatMap(DomainName.label(ofHost:)), !otherLabels.contains(label), !contactLabels.contains(label) {
                otherLabels.append(label)
            }
        }
        // The text's words are read once, and only when some domain may name the issuer.
        let spelledWords = contactLabels.isEmpty && otherLabels.isEmpty ? nil
            : DomainName.TextWords(pageText, spelling: Array(Set(contactLabels + otherLabels)).map { $0.replacingOccurrences(of: "-", with: "") })
        func spelled(_ labels: [String]) -> String? {
            guard let words = spelledWords else { return nil }
            return labels.lazy.compactMap { DomainName.spelled($0, in: words) }.first
        }
        add(spelled(contactLabels), 3, shortForm: true)
        for role in clues.roles {
            guard let org = organization(inRole: role) else { continue }
            if org.count <= 4 {
                // An acronym the text spells out ("Transportation Trades Department (TTD)") is named by its expansion.
                if let expansion = expand(acronym: org, in: fullText) { add(expansion, 2.5); break }
                add(org, 1)
                continue
            }
            add(org, 2.5)
            break
        }
        add(clues.logo, 2)
        add(clues.copyright, 2)
        add(spelled(otherLabels), 0.9, shortForm: true)
        // An institution's own newsroom names itself in the site name; weighed low, since a
        // republishing site names itself the same way.
        if let site = clues.siteName, !isCarrier(site) { add(site, 1.5, mayBeDomain: true) }
        if let site = clues.titleSite, !isCarrier(site) { add(site, 1.5, mayBeDomain: true) }
        // The page's handle, address and footer copyright echo the site's owner: weighed like the
        // site name when nothing else speaks, and a short form is named by the fullest agreeing clue.
        if clues.copyright == nil, let holder = clues.pageCopyright { add(holder, 1.5, echo: true, mayBeDomain: true) }
        if let handle = clues.handle.flatMap(handleName), !isCarrier(handle) { add(handle, 1.5, shortForm: true, echo: true) }
        // The page's own address is read (its words spelled from the text) only when no strong
        // clue spoke: reading the words again costs more than the other clues together.
        if (candidates.map(\.weight).max() ?? 0) < 3,
           let label = clues.pageAddress.flatMap(DomainName.host(of:)).flatMap(DomainName.label(ofHost:)) {
            let words = DomainName.TextWords(pageText, spelling: [label.replacingOccurrences(of: "-", with: "")])
            add(DomainName.spelled(label, in: words), 1.5, shortForm: true, echo: true)
        }
        // The frequency count reads the whole text: asked only when no clue of weight 3 or more spoke.
        if (candidates.map(\.weight).max() ?? 0) < 3 { add(mostFrequentOrganization(in: fullText, exclude: exclude), 1) }
        guard !candidates.isEmpty else { return Finding(issuer: nil, support: 0, agreeing: 0) }

        var best = 0
        var bestScore = -1.0
        var bestAgreeing = 0
        for (i, c) in candidates.enumerated() {
            var score = c.weight
            var agreeing = 1
            var echoSupport = 0.0
            for (j, other) in candidates.enumerated() where j != i && agree(c, other) {
                if other.echo {
                    if !c.echo { echoSupport = max(echoSupport, other.weight) }
                    continue
                }
                score += 0.6 * other.weight
                agreeing += 1
            }
            if echoSupport > 0 { score += 0.6 * echoSupport; agreeing += 1 }
            if score > bestScore + 1e-9 { best = i; bestScore = score; bestAgreeing = agreeing }
        }
        // A short form (an acronym, the words a domain spells) is named by the fullest name among
        // those naming it ("Parco Nazionale d'Abruzzo, Lazio e Molise" for the domain's "Parco
        // Abruzzo", "Deutsches Rotes Kreuz" for "DRK").
        var name = candidates[best].name
        var fullest = candidates[best].words.count
        for (j, other) in candidates.enumerated() where candidates[best].isShortForm && j != best
            && agree(candidates[best], other) && other.words.count > fullest {
            name = other.name
            fullest = other.words.count
        }
        return Finding(issuer: name, support: bestScore, agreeing: bestAgreeing)
    }

    /// Whether `text` holds `phrase` (case and diacritics aside) as whole words: "LDH" in "La LDH
    /// apprend", not "Cover" in "recovery".
    static func namesAsWords(_ text: String, _ phrase: String) -> Bool {
        let p = phrase.trimmed
        guard !p.isEmpty else { return false }
        var from = text.startIndex
        while let r = text.range(of: p, options: [.caseInsensitive, .diacriticInsensitive], range: from..<text.endIndex) {
            let before = r.lowerBound == text.startIndex ? nil : text[text.index(before: r.lowerBound)]
            let after = r.upperBound == text.endIndex ? nil : text[r.upperBound]
            if !(before?.isLetter ?? false), !(after?.isLetter ?? false) { return true }
            from = r.upperBound
        }
        return false
    }

    /// "@EnBW" -> "EnBW", "@SaveChildrenUK" -> "SaveChildrenUK"; `nil` for a handle of one
    /// letter or none.
    private static func handleName(_ handle: String) -> String? {
        let name = handle.trimmed.trimmingEdges("@ ")
        guard name.count >= 2, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }), name.contains(where: \.isLetter) else { return nil }
        return name
    }

    /// "TINE" for "TINE.no", "whitehouse" for "whitehouse.gov": a name that is a bare domain
    /// (one label and a top-level domain of two to four letters); `nil` for any other name.
    private static func domainLabel(_ name: String) -> String? {
        guard name.utf8.count <= 70, name.utf8.contains(UInt8(ascii: ".")), !name.utf8.contains(UInt8(ascii: " ")) else { return nil }
        let parts = name.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, (2...4).contains(parts[1].count), parts[1].allSatisfy({ $0.isASCII && $0.isLetter }),
              parts[0].count >= 2, parts[0].allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" }) else { return nil }
        return String(parts[0])
    }

    /// A wire's or portal's name ("presseportal.de", "PR TIMES"): it names who carried the release.
    private static func isCarrier(_ name: String) -> Bool {
        let folded = name.comparable
        return DomainName.carrierNames.contains { folded.contains($0) }
    }

    /// Words of a name that tell organizations apart (folded, three letters or more, not connectors).
    private static func significantWords(_ name: String) -> Set<String> {
        Set(name.split(whereSeparator: { !$0.isLetter && !$0.isNumber }).map {
            $0.folding(options: [.diacriticInsensitive, .caseInsensitive], locale: nil)
        }.filter { $0.count >= 3 && !["the", "and", "for", "und", "des", "der", "die", "del", "della", "inc", "ltd", "llc"].contains($0) })
    }

    /// Whether two candidates name the same organization: one's letters hold the other's, or
    /// every significant word of one is in the other, or one is the other's initials.
    private static func agree(_ a: Candidate, _ b: Candidate) -> Bool {
        if a.key == b.key { return true }
        if a.key.count >= 3, b.key.count >= 3, a.key.contains(b.key) || b.key.contains(a.key) { return true }
        if !a.words.isEmpty, a.words.isSubset(of: b.words) || !b.words.isEmpty && b.words.isSubset(of: a.words) { return true }
        return isAcronym(a.name, of: b.name) || isAcronym(b.name, of: a.name)
    }

    private static func isAcronym(_ short: String, of long: String) -> Bool {
        let s = short.trimmingEdges(" .()")
        guard (2...6).contains(s.count), s.allSatisfy({ $0.isUppercase }) else { return false }
        let initials = String(long.split(whereSeparator: { !$0.isLetter }).compactMap { w in w.first?.isUppercase == true ? w.first : nil })
        return initials.contains(s)
    }

    /// A contact's organization, reduced to the organization itself: "NABU-Pressesprecherin"
    /// names NABU; "Headquarters, Washington" names a building, not who issued the release.
    /// A job title ("Public Information Officer"), a street address ("Baumwall 3") or a lone
    /// office word names no organization; a communications office is named by its organization
    /// ("CUPE Communications" names CUPE).
    private static func contactOrganization(_ org: String) -> String? {
        if org.lowercased().hasPrefix("headquarters") { return nil }
        if let m = Self.spokespersonSuffix.match(org), let name = m[1] { return name }
        let words = org.trimmingEdges(" ,;:-–—").split(separator: " ").map(String.init)
        if words.contains(where: { $0.contains(where: \.isNumber) }) { return nil }
        if words.contains(where: { titleWords.contains($0.lowercased()) }) { return nil }
        var kept = words
        while let last = kept.last, officeWords.contains(last.lowercased()) { kept.removeLast() }
        if kept.last?.lowercased() == "and" || kept.last == "&" { kept.removeLast() }
        while let last = kept.last, officeWords.contains(last.lowercased()) { kept.removeLast() }
        return kept.isEmpty ? nil : kept.joined(separator: " ")
    }

    /// Words naming an organization's press or communications office rather than the organization.
    private static let officeWords: Set<String> = [
        "communications", "communication", "media", "relations", "press", "office", "public", "affairs", "information",
        "pressestelle", "kommunikation", "presse", "öffentlichkeitsarbeit", "newsroom", "desk", "team",
    ]

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
    static let titleWords: Set<String> = [
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
