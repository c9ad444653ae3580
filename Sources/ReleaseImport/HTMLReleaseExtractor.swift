import Foundation

/// Turns a parsed web page into an `ImportedRelease`. The page's markup settles what plain
/// text can only guess — which line is the headline, whether the line under it is a deck or
/// the first paragraph — so the header is read here; the rest goes through the same extractor
/// as a plain-text release. What the page declares (JSON-LD, Open Graph, `<time>`,
/// `<html lang>`) then fills the fields the text leaves empty.
enum HTMLReleaseExtractor {
    /// How many lines after the headline may still belong to the header.
    private static let headerWindow = 16

    static func extract(_ page: HTMLPage) -> ImportedRelease {
        let meta = PageMetadata(page: page)
        let header = page.headline != nil ? readHeader(page) : nil
        var lines = page.lines
        if let header {
            lines = [page.lines[0], ""]
            if let s = header.subheadline { lines += [s, ""] }
            if let d = header.dateLine { lines += [d, ""] }
            lines += page.lines[header.bodyStart...]
        }
        lines = Self.endingAtSiteSections(lines)
        let afterRule = Set(page.afterRule.map(\.comparable))
        var extractor = ReleaseExtractor(text: lines.joined(separator: "\n"), afterRule: afterRule, siteName: Self.siteName(page, headline: page.headline),
                                         titleSite: Self.titleSite(page, headline: page.headline))
        extractor.pageOwner = ReleaseExtractor.PageOwner(copyrightLines: page.copyrightLines, handle: page.meta["twitter:site"],
                                                         address: page.baseURL)
        var release = extractor.run()

        release.trace.isPage = true
        if let h = page.headline, !h.isEmpty {
            release.headline = h
            let declared = [meta.headline, page.meta["og:title"], page.title].compactMap { $0?.comparable }
            release.trace.headline = declared.contains { $0 == h.comparable || $0.contains(h.comparable) } ? .pageDeclared : .pageHeading
        } else if release.headline == nil, let h = meta.headline {
            release.headline = h
            release.trace.headline = .pageMeta
        }
        if let header {
            release.subheadline = header.subheadline
            // The header's date line was handed on for its date, not as a paragraph.
            let titles = Set([release.headline, release.subheadline, header.dateLine].compactMap { $0?.comparable })
            release.body.removeAll { titles.contains($0.comparable) }
            if let sender = header.sender, !release.contacts.contains(where: { $0.name?.comparable == sender.name?.comparable }) {
                release.contacts.insert(sender, at: 0)
            }
        }
        // A page is never cut off mid-release: short lines after the last sentence (a release
        // number, an address, the site's name, a download heading) are the page's, not the body's.
        // The same above the first sentence: an issuer's letterhead lines before the text.
        while release.body.count > 1, let first = release.body.first, Self.isTrailingFurniture(first), !first.hasSuffix(":"),
              !first.hasPrefix("•"), !Self.mayBeDateline(first), release.body.dropFirst().contains(where: \.endsSentenceAnyScript) {
            release.body.removeFirst()
        }
        var trailingDate: String?
        while release.body.count > 1, let last = release.body.last, Self.isTrailingFurniture(last) {
            // The page's own date line under the text ("News date : 04/21/2022").
            if last.wordCount <= 10, let d = DateParser.first(in: last, monthFirstNumeric: release.language == "en") { trailingDate = d.iso }
            release.body.removeLast()
        }
        if release.subheadline?.comparable == release.headline?.comparable { release.subheadline = nil }
        if release.date == nil {
            release.date = header?.date ?? meta.date ?? trailingDate
            release.trace.date = header?.date != nil ? .header : meta.date != nil ? .pageMeta : trailingDate != nil ? .furniture : .none
        }
        if release.datelineCity == nil, let line = header?.dateLine, let place = header?.city ?? Self.placeBeforeDate(line) {
            release.datelineCity = place
            release.trace.city = .pageHeader
        }
        if let lang = meta.language, let primary = lang.split(separator: "-").first.map({ $0.lowercased() }),
           primary.count >= 2, primary.count <= 3, primary.allSatisfy(\.isLetter) {
            release.language = primary
        }
        if release.issuer == nil { release.issuer = meta.organization }
        if release.statementURL == nil, let h = release.headline, let url = Self.releaseDocument(page, headline: h) {
            release.statementURL = url
        }
        release.trace.languageDeclared = meta.language != nil
        release.assessConfidence()
        return release
    }

    /// The release as a document: a PDF link whose text is the headline, give or take a bracketed
    /// note of its format and size ("Headline (PDF, 298KB)"), resolved against the page's
    /// `baseURL`. `nil` when no link names the headline or a relative one cannot be resolved.
    static func releaseDocument(_ page: HTMLPage, headline: String) -> String? {
        let wanted = headline.comparable
        guard wanted.count >= 12 else { return nil }
        for link in page.documentLinks {
            let text = Self.bracketedNote.replace(link.text, with: "").comparable
            guard text == wanted else { continue }
            if HTMLDocumentReader.isAbsolute(link.href) { return link.href }
            guard let base = page.baseURL.flatMap({ URL(string: $0) }),
                  let url = URL(string: link.href, relativeTo: base)?.absoluteURL.absoluteString,
                  HTMLDocumentReader.isAbsolute(url) else { continue }
            return url
        }
        return nil
    }

    /// Bracketed notes after a link's text: "(PDF, 298KB)", "[pdf]", "(PDF 1,2 MB)".
    private static let bracketedNote = Rx(#"\s*[(\[][^()\[\]]{0,30}[)\]]\s*$"#)

    /// The place a header's date line opens with, as a dateline: "Berlin" in "Berlin, 28.10.2021,
    /// 058/21" and "Hamburg, 2. November 2021"; one to three capitalized words before a comma.
    static func placeBeforeDate(_ line: String) -> String? {
        guard let d = DateParser.first(in: line) ?? DateParser.first(in: line, monthFirstNumeric: true) else { return nil }
        let before = (line as NSString).substring(to: d.location).trimmingEdges(" (,–—-")
        let words = before.split(separator: " ")
        let upToDate = (line as NSString).substring(to: d.location).trimmed
        guard upToDate.hasSuffix(","), (1...3).contains(words.count),
              words.allSatisfy({ $0.first?.isUppercase == true && $0.allSatisfy { $0.isLetter || "-.'’".contains($0) } }) else { return nil }
        return before
    }

    /// A line in Latin capitals ("BAAR, SWITZERLAND") may be a dateline standing alone: kept.
    static func mayBeDateline(_ line: String) -> Bool {
        line == line.uppercased() && line.contains { $0.isASCII && $0.isLetter }
    }

    /// A short line that is not a sentence: eight words (`wordEquivalents`: a Japanese or Chinese
    /// line by its letters) and 60 characters at most, not ending with a full stop, question or
    /// exclamation mark (Western or CJK), or a closing quotation mark.
    static func isTrailingFurniture(_ line: String) -> Bool {
        let t = line.trimmed
        guard t.wordEquivalents <= 8, t.count <= 60 else { return false }
        if let last = t.last, "”\"»“’。！？".contains(last) { return false }
        return !t.endsSentence || t.hasSuffix(":")
    }

    /// Separators between a page title's headline and the site's name.
    static let titleSeparators = [" | ", " – ", " — ", " - ", "：", " :: "]

    /// The name the page gives its site: og:site_name (unless it is the page's own title), else
    /// the last part of a `<title>` that opens with the headline ("Headline | News | European
    /// Parliament"), or, when the title words the headline differently and does not put the site
    /// first, its last part if that is the shorter ("Another wording | EnBW").
    static func siteName(_ page: HTMLPage, headline: String?) -> String? {
        if let s = page.meta["og:site_name"], !s.isEmpty, !isPageTitle(s, page: page, headline: headline) { return s }
        guard let title = page.title else { return nil }
        let opensWithHeadline = headline.map { !$0.isEmpty && title.comparable.hasPrefix($0.comparable) && title.count > $0.count } ?? false
        if !opensWithHeadline, titleSite(page, headline: headline) != nil { return nil }
        // Else "Another wording of the headline | Site": the last part, when it is the shorter.
        let rest = opensWithHeadline ? String(title.dropFirst(headline!.count)) : title
        for sep in titleSeparators {
            if let r = rest.range(of: sep, options: .backwards) {
                let name = String(rest[r.upperBound...]).trimmed
                if !name.isEmpty, name.wordCount <= 6, opensWithHeadline || name.count * 2 < title.count { return name }
            }
        }
        return nil
    }


    /// Whether an og:site_name is the page's own title, as some CMSs fill it: the headline, the
    /// whole `<title>`, or the `<title>`'s longer first part ("Page title | Site").
    static func isPageTitle(_ name: String, page: HTMLPage, headline: String?) -> Bool {
        let key = name.comparable
        if key == headline?.comparable || key == page.title?.comparable { return true }
        guard let title = page.title, title.comparable.hasPrefix(key) else { return false }
        return titleSeparators.contains { sep in
            guard let r = title.range(of: sep, options: .backwards) else { return false }
            let head = String(title[..<r.lowerBound]), tail = String(title[r.upperBound...])
            return head.comparable == key && tail.count < head.count
        }
    }

    /// The site's name when a `<title>` puts it first ("Deutsches Rotes Kreuz - Headline"):
    /// the part before the first separator, when the title does not open with the headline.
    static func titleSite(_ page: HTMLPage, headline: String?) -> String? {
        guard let title = page.title else { return nil }
        if let headline, !headline.isEmpty, title.comparable.hasPrefix(headline.comparable) { return nil }
        var first: Range<String.Index>?
        for sep in titleSeparators {
            if let r = title.range(of: sep), first == nil || r.lowerBound < first!.lowerBound { first = r }
        }
        guard let r = first else { return nil }
        let name = String(title[..<r.lowerBound]).trimmed
        return !name.isEmpty && name.wordCount <= 6 ? name : nil
    }

    /// Headings with which a site follows the article with its own content: related posts,
    /// "read more" teasers, comment threads. Whatever comes after one is not the release.
    private static let siteSection = Rx(#"^(?:related(?:\s+(?:posts?|news|articles?|stories|content|releases?|links))?|read\s+(?:more|next|further\b.*)|more\s+(?:news|stories|posts|from\b.*)|you\s+(?:may|might)\s+also\s+like|further\s+information|weitere\s+informationen|also\s+from\s+this\s+source|recommended(?:\s+for\s+you)?|popular\s+posts?|next\s+post|previous\s+post|(?:\d+\s+)?comments?|leave\s+a\s+(?:reply|comment)|post\s+a\s+comment)\b[\s\p{P}\p{S}\p{Lo}]*$"#, needs: ["related", "read", "more", "also", "recommended", "popular", "post", "comment", "reply", "further", "weitere"])

    /// Puts an end mark before the first site-section heading that follows some prose, so
    /// the text extractor ends the body there. What follows is still read for contacts (as
    /// after "###" in a plain-text release): some newsrooms print the media contact below
    /// their related-news list.
    static func endingAtSiteSections(_ lines: [String]) -> [String] {
        var prose = 0
        for (k, line) in lines.enumerated() {
            if ReleaseExtractor.isProse(line) { prose += 1; continue }
            if prose >= 2, line.wordCount <= 6, siteSection.test(line) {
                return Array(lines[..<k]) + ["", "###", ""] + lines[k...]
            }
        }
        return lines
    }

    struct Header {
        var subheadline: String?
        var dateLine: String?
        var date: String?
        /// The press officer a wire prints under the headline ("Dr. Jane Roe Abteilung Öffentlichkeitsarbeit").
        var sender: ImportedContact?
        /// The place a bracketed header date line names.
        var city: String?
        /// Index in `page.lines` of the first body line.
        var bodyStart: Int
    }

    /// Reads the lines between the headline (line 0) and the body. Labels, bylines and
    /// type tags there are dropped; a list there is the deck (so there is no one-line
    /// subheadline); a line of six words or more is the deck when it is not a sentence, or
    /// when it stands in another element than the paragraphs that follow it.
    /// `nil` when no body start is found within `headerWindow` lines.
    static func readHeader(_ page: HTMLPage) -> Header? {
        let lines = page.lines
        var header = Header(bodyStart: lines.count)
        var sawList = false
        var k = 1
        var found = false
        while k < min(lines.count, headerWindow + 1) {
            defer { k += 1 }
            let t = lines[k]
            if t.isEmpty { continue }
            // "( Pescasseroli, 14 Gennaio 20 )": place and date in brackets, the year in two digits.
            if header.date == nil, let m = Self.bracketedDateline.match(t), let place = m[1], let day = m[2].flatMap({ Int($0) }),
               let month = m[3].flatMap({ DateParser.months[$0.lowercased()] }), let y = m[4].flatMap({ Int($0) }), (1...31).contains(day) {
                let year = y < 100 ? 2000 + y : y
                header.date = DateParser.Found(year: year, month: month, day: day, location: 0, length: 0).iso
                header.dateLine = t
                header.city = place.trimmed
                continue
            }
            // Checked before list items: a meta list under the headline ("• Datum: 26. Januar 2022") carries the date.
            if t.wordEquivalents <= 12, let d = DateParser.first(in: t, monthFirstNumeric: true) ?? DateParser.first(in: t) {
                if header.date == nil { header.date = d.iso; header.dateLine = t }
                continue
            }
            if t.hasPrefix("• ") { sawList = true; continue }
            if header.sender == nil, let sender = Self.sender(t) { header.sender = sender; continue }
            if DatelineParser.parse(t) != nil || DatelineParser.parseStandalone(t) != nil && t.wordCount <= 4 {
                header.bodyStart = k; found = true; break
            }
            let words = t.wordEquivalents
            if words < 6 { continue }
            // A deck is a line or two; a longer paragraph is the lead, whatever sets it apart.
            if header.subheadline == nil, !sawList, words <= 40 {
                if !t.endsSentenceAnyScript { header.subheadline = t; continue }
                if let next = nextProse(after: k, in: lines), page.containers[next] != page.containers[k] {
                    header.subheadline = t; continue
                }
            }
            header.bodyStart = k; found = true; break
        }
        return found ? header : nil
    }

    /// "( Pescasseroli, 14 Gennaio 20 )": a place, a day, a month's name and a year of two or
    /// four digits, in brackets.
    static let bracketedDateline = Rx(#"^\(\s*(\p{Lu}[\p{L}'’ .-]{1,40}?)\s*,\s*(\d{1,2})\.?\s+(\p{L}+)\.?\s+(\d{2}|\d{4})\s*\)$"#, prefixes: ["("])

    /// Where the press office's name starts in a sender line.
    private static let pressOffice = Rx(#"\b(?:abteilung|referat|stabsstelle|pressestelle|presse-?\s+und|unternehmenskommunikation|hochschulkommunikation|kommunikation|öffentlichkeitsarbeit|department|office\s+of|communications?|media\s+relations|public\s+relations|press\s+office)\b"#, needs: ["abteilung", "referat", "stabsstelle", "presse", "kommunikation", "ffentlichkeitsarbeit", "department", "office", "communication", "relations"])

    /// A header line naming a person and then a press or communications office is the sender
    /// of the release: its media contact, not a byline.
    static func sender(_ line: String) -> ImportedContact? {
        guard line.wordCount <= 12, !line.endsSentence, let office = pressOffice.located(line) else { return nil }
        let ns = line as NSString
        let name = ns.substring(to: office.location).trimmingEdges(" ,;:-–—")
        guard PersonName.isName(name) else { return nil }
        let org = ns.substring(from: office.location).trimmingEdges(" ,;:-–—")
        return ImportedContact(name: name, organization: org.isEmpty ? nil : org)
    }

    private static func nextProse(after k: Int, in lines: [String]) -> Int? {
        lines.indices.dropFirst(k + 1).first { lines[$0].wordEquivalents >= 10 && !lines[$0].hasPrefix("• ") }
    }
}
