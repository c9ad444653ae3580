import Foundation

/// Runs the extraction steps in order over one text. Each step records what it used
/// (`consumed`), so a contact line never becomes a headline and a timing line never
/// becomes body text.
struct ReleaseExtractor {
    let text: String
    /// Comparable keys of paragraphs a page set apart with a horizontal rule: where a
    /// newsroom puts its boilerplate when it prints no "About" heading (HTML input only).
    var afterRule: Set<String> = []
    /// The name the page gives its site (HTML input only): a last resort for the issuer.
    var siteName: String?
    /// The part of the page's `<title>` before its first separator (HTML input only).
    var titleSite: String?
    /// What the page says about its owner outside the text (HTML input only): its copyright
    /// lines (footer included), its social handle (`twitter:site`), its own address.
    var pageOwner = PageOwner()

    struct PageOwner {
        var copyrightLines: [String] = []
        var handle: String?
        var address: String?
    }

    /// A second necessary condition for `statementLine`, which runs on every line: its first
    /// two forms hold "available", the third "read" or "see", the last "original". Checked
    /// with the same byte scan as `needs` (only the scan: the pattern here is never run).
    private static let statementLineWords = Rx("available|original|read|see", needs: ["available", "original", "read", "see"])
    static let statementLine = Rx(#"\b(?:this\s+(?:statement|release|press\s+release)\s+is\s+(?:also\s+)?available|is\s+available\s+(?:via\s+the\s+web\s+|online\s+)?at\b|(?:read|see)\s+the\s+(?:full\s+)?(?:statement|report)\s+(?:at|here)|^(?:originalpublikation|original\s+publication|originalveröffentlichung)\s*:)"#, needs: ["available", "statement", "report", "original"], precheck: { statementLineWords.passesPrefilter($0) })
    static let url = Rx(#"(?:https?://|www\.)[^\s<>"”)]+"#, needs: ["http", "www."])
    static let follow = Rx(#"^follow\s+(.+?)\s+on\s+(twitter|x|facebook|instagram|linkedin|mastodon|bluesky|threads|youtube)\b"#, needs: ["follow"])
    /// Runs on every line; `prefixes` rules out the many lines that do not open with one of the
    /// four labels from their first bytes (speed: most held a ":" and went to ICU).
    static let sourceLine = Rx(#"^(?:source|quelle|fuente|fonte|original-content\s+von)\s*:\s*(.*)$"#, needs: [":"], prefixes: ["source", "quelle", "fuente", "fonte", "original-content"])
    /// A wire's closing "SOURCE Company" line (capitals, no colon): who issued the release.
    static let wireSourceLine = Rx(#"^SOURCE\s+(\p{L}.{1,80})$"#, caseInsensitive: false, prefixes: ["SOURCE "])
    /// The carrier's part of an ots source line: "Polizei Steinfurt, übermittelt durch news aktuell".
    static let carriedBy = Rx(#"\s*,?\s*(?:übermittelt\s+durch|distributed\s+by|via)\s+.*$"#, needs: ["bermittelt", "distributed", "via"])
    private static let publisherLine = Rx(#"^(?:herausgeber|publisher|editor|éditeur)\s*:\s*(.*)$"#, needs: [":"])
    static let pressService = Rx(#"^(.{3,80}?)\s+[-–—]\s+(?:pressedienst|pressemitteilung|presseinformation|press\s+release|news\s+release|communiqué)\b"#, needs: ["presse", "release", "communiqu"])
    private static let logoAlt = Rx(#"^(.{3,80}?)\s+logo\b"#, needs: ["logo"])
    static let timeOfDay = Rx(#"\b\d{1,2}[:.]\d{2}\b"#, needs: [":", "."])
    static let infoLine = Rx(#"^(?:for\s+(?:more\s+)?information|more\s+information|weitere\s+informationen|mehr\s+informationen|karte\s+der|to\s+learn\s+more|pour\s+plus\s+d|más\s+información)"#, needs: ["inform", "karte", "learn", "pour"])

    /// "© 2020 Ente Parco Nazionale d'Abruzzo Lazio e Molise. All rights reserved.": the holder.
    static let copyrightLine = Rx(#"^(?:©|\(c\)|copyright)\s*(?:©\s*)?(?:(?:19|20)\d{2}(?:\s*[-–]\s*(?:19|20)\d{2})?[\s,.]*)?(\p{L}[^|©]{2,80}?)\s*(?:(?:19|20)\d{2})?\s*[.,]?\s*(?:all\s+rights\s+reserved.*|alle\s+rechte.*|tous\s+droits.*|tutti\s+i\s+diritti.*)?$"#, needs: ["©", "(c)", "copyright"])
    /// E-mail addresses and links anywhere in the text: their domains may spell the issuer.
    static let address = Rx(#"[\w.+-]+@[\w-]+(?:\.[\w-]+)+|(?:https?://|www\.)[^\s<>"”)]+"#, needs: ["@", "http", "www."])

    private static let dateLabel = Rx(#"^(?:date|datum|fecha)\b"#, needs: ["dat", "fecha"])

    func run() -> ImportedRelease {
        var r = ImportedRelease()
        r.language = LanguageDetector.detect(text)
        var clues = IssuerFinder.Clues()

        // 1. Line level: drop clutter, note link/follow/source lines, cut at the end mark.
        let raw = TextSegmenter.lines(of: text)
        var lines: [String] = []
        var tail: [String] = []
        var ended = false
        var nonEmpty = 0
        var clutterDate: DateParser.Found?
        var sourceDate: DateParser.Found?
        var timingDates: [DateParser.Found] = []
        var proseBefore = false
        let monthFirst = r.language == "en"
        var i = 0
        while i < raw.count {
            let line = raw[i]
            defer { i += 1 }
            if line.isEmpty { if ended { tail.append("") } else { lines.append("") }; continue }
            nonEmpty += 1
            if ended { tail.append(line); continue }
            if ClutterFilter.isEndMark(line), lines.contains(where: { !$0.isEmpty }) {
                // A rule between the header and a dateline sets the header apart; it ends nothing.
                if ClutterFilter.isRule(line), let next = raw[(i + 1)...].first(where: { !$0.isEmpty }), DatelineParser.parse(next) != nil {
                    lines.append("")
                    continue
                }
                ended = true
                continue
            }
            // Checked before clutter: the timing may be the last crumb of a breadcrumb trail.
            if nonEmpty <= 15, TimingLine.isImmediate(line) {
                r.releaseTiming = r.releaseTiming ?? .immediate
                if let d = DateParser.first(in: line, monthFirstNumeric: monthFirst) { timingDates.append(d) }
                // Kept as a unit of its own (the header step consumes it): it tells the letterhead
                // above from the title under it. A contact field beside it stays for the contacts.
                lines += [""] + TextSegmenter.splitGlued(line).flatMap { [$0, ""] }
                continue
            }
            if Self.statementLine.test(line) {
                r.hasStatementLine = true
                var link = Self.url.match(line)?[0]
                if link == nil, let next = raw[(i + 1)...].first(where: { !$0.isEmpty }), next.wordCount == 1 {
                    link = Self.url.match(next)?[0]
                }
                if r.statementURL == nil, let link { r.statementURL = link.trimmingEdges(" .,;") }
                if line.wordCount <= 12 { lines.append(""); continue }
            }
            if let m = Self.follow.match(line), let who = m[1] {
                r.socialProfiles.append(ImportedSocialProfile(network: (m[2] ?? "twitter").lowercased() == "x" ? "twitter" : (m[2] ?? "twitter").lowercased(), handleOrURL: who))
                clues.follow = who
                lines.append("")
                continue
            }
            if let m = Self.sourceLine.match(line) {
                let value = (m[1] ?? "").trimmed
                if value.isEmpty || value.wordCount > 10 {
                    // A "Quelle:" block closes the release: its date and link describe the original.
                    let block = raw[(i + 1)...].prefix(4).filter { !$0.isEmpty }
                    for b in block.prefix(2) { if sourceDate == nil { sourceDate = DateParser.first(in: b, monthFirstNumeric: monthFirst) } }
                    if r.statementURL == nil, let link = block.prefix(3).compactMap({ Self.url.match($0)?[0] }).first {
                        r.statementURL = link.trimmingEdges(" .,;")
                    }
                    ended = true
                    continue
                }
                clues.source = Self.carriedBy.replace(value, with: "")
                lines.append("")
                // Printed under the body, it closes the release (an aggregator prints it above).
                if proseBefore { ended = true }
                continue
            }
            if let m = Self.wireSourceLine.match(line), let who = m[1], proseBefore {
                clues.source = who.trimmed
                ended = true
                continue
            }
            if ClutterFilter.isClutter(line) {
                if let m = Self.logoAlt.match(line), let org = m[1], clues.logo == nil { clues.logo = org }
                if clues.copyright == nil, let m = Self.copyrightLine.match(line), let holder = m[1] { clues.copyright = holder }
                if nonEmpty <= 8, clutterDate == nil { clutterDate = DateParser.first(in: line, monthFirstNumeric: monthFirst) }
                lines.append("")
                continue
            }
            lines += TextSegmenter.splitGlued(line)
            if !proseBefore, Self.isProse(line) { proseBefore = true }
        }
        // The page footer's copyright holder, after the end mark as often as before it.
        for line in tail where clues.copyright == nil && !line.isEmpty {
            if let m = Self.copyrightLine.match(line), let holder = m[1] { clues.copyright = holder }
        }
        for (k, line) in tail.enumerated() where clues.source == nil {
            if Self.publisherLine.test(line), let next = tail[(k + 1)...].first(where: { !$0.isEmpty }) {
                clues.source = (Self.publisherLine.match(line)?[1]).flatMap { $0.isEmpty ? nil : $0 } ?? next
            }
        }

        let units = TextSegmenter.units(from: lines)
        let tailUnits = TextSegmenter.units(from: tail)

        // 2. Contacts anywhere.
        let contactResult = ContactParser.parse(units + tailUnits)
        var consumed = contactResult.consumed.filter { $0 < units.count }
        var seenNames: Set<String> = []
        // A number or mailbox with no one's name that only the page's footer gives is the
        // switchboard, not a media contact.
        let releaseText = units.map(\.text).joined(separator: "\n")
        for c in contactResult.contacts where c.name != nil || [c.email, c.phone].compactMap({ $0 }).contains(where: { releaseText.contains($0) }) {
            let key = c.name?.lowercased() ?? "#\(c.email ?? c.phone ?? "")"
            if seenNames.insert(key).inserted { r.contacts.append(c) }
        }
        r.socialProfiles += contactResult.socialProfiles
        clues.contactOrganization = r.contacts.compactMap(\.organization).first
        clues.contactEmails = r.contacts.compactMap(\.email)

        // 3. Timing.
        var embargoLine: String?
        /// The first "For immediate release" line: what stands above it may be the letterhead.
        var timingIndex: Int?
        var headerDates: [DateParser.Found] = timingDates
        for (k, u) in units.enumerated() where !consumed.contains(k) {
            if TimingLine.isEmbargo(u.text) {
                r.releaseTiming = .embargoed
                embargoLine = embargoLine ?? u.text
                consumed.insert(k)
            } else if TimingLine.isTimingQualifier(u.text) {
                consumed.insert(k)
            } else if TimingLine.isImmediate(u.text), k <= units.count / 2 + 3 || u.text.wordCount <= 6 {
                timingIndex = timingIndex ?? k
                if r.releaseTiming == nil { r.releaseTiming = .immediate }
                if let d = DateParser.first(in: u.text, monthFirstNumeric: monthFirst) { headerDates.append(d) }
                consumed.insert(k)
            }
        }

        // 4. Dateline: the first paragraph that opens with one, looked for until the body is clearly under way.
        var datelineIndex: Int?
        var dateline: DatelineParser.Dateline?
        var proseSeen = 0
        for k in units.indices where !consumed.contains(k) {
            let t = units[k].text
            if let d = DatelineParser.parse(t) { dateline = d; datelineIndex = k; break }
            if let d = DatelineParser.parseStandalone(t),
               let next = units.indices.first(where: { $0 > k && !consumed.contains($0) }), Self.isProse(units[next].text) {
                dateline = d; datelineIndex = k; break
            }
            if Self.isProse(t) { proseSeen += 1; if proseSeen >= 2 { break } }
        }
        var signatureIndex: Int?
        if dateline == nil {
            let tailIndices = units.indices.filter { !consumed.contains($0) }.suffix(5)
            for k in tailIndices.reversed() {
                if let d = DatelineParser.parseSignature(units[k].text) {
                    dateline = d; signatureIndex = k; consumed.insert(k); break
                }
            }
        }
        if let wire = dateline?.issuer { clues.wire = wire }

        // 5. Header: headline, subheadline, dates, labels.
        // A page copied whole opens with its <title> ("Headline - Site") and repeats the headline
        // under the site's menu: the lines between are the menu, and the title's tail names the site.
        var repeatedTitleAt: Int?
        if let first = units.indices.first(where: { !consumed.contains($0) }), first < 3,
           let (repeated, site) = Self.repeatedTitle(units, from: first, limit: min(units.count, first + 40), consumed: consumed) {
            consumed.insert(first)
            repeatedTitleAt = repeated
            if let site, !site.isEmpty { clues.titleSite = clues.titleSite ?? site }
        }
        let headerLimit = datelineIndex ?? units.count
        var candidates: [Int] = []
        var bodyStart = datelineIndex ?? units.count
        var headlineIndex: Int?
        var subIndex: Int?
        var otsSenderNext = false
        var labelAfterHeadline = false
        // Each unit's kind, classified once: the scan asks again about the units nextIsMetadata read.
        var kinds: [Int: HeaderClassifier.Kind] = [:]
        func kind(_ k: Int) -> HeaderClassifier.Kind {
            if let known = kinds[k] { return known }
            let answer = HeaderClassifier.classify(units[k].text)
            kinds[k] = answer
            return answer
        }
        func nextUnconsumed(after k: Int) -> Int? {
            units.indices.first { $0 > k && !consumed.contains($0) }
        }
        func nextIsMetadata(after k: Int) -> Bool {
            for n in (k + 1)..<min(units.count, k + 3) {
                if contactResult.consumed.contains(n) { return true }
                if consumed.contains(n) { continue }
                let kind = kind(n)
                return kind == .metadata || kind == .date
            }
            return false
        }
        // A short line above the "For immediate release" line, with a longer title under it, is
        // the issuer's letterhead ("CITY OF GREENSBORO"); returns the title's index. The title
        // may name a day ("Road Closure on Summit Avenue on April 16, 2019"): placed there, it
        // is no date line.
        func titleUnderLetterhead(_ k: Int) -> Int? {
            let t = units[k].text
            // In capitals: a short title above the timing line with a longer deck under it stays the title.
            guard let timing = timingIndex, k < timing, timing + 1 < headerLimit, t.wordCount <= 5, !t.endsSentence,
                  t == t.uppercased(), t.contains(where: \.isLetter), kind(k) == .candidate,
                  let title = ((timing + 1)..<headerLimit).first(where: { !consumed.contains($0) && kind($0) == .candidate }),
                  case let words = units[title].text.wordCount, words > t.wordCount, words <= 45,
                  let last = units[title].text.last, !".:".contains(last), !QuoteParser.startsQuoted(units[title].text) else { return nil }
            return title
        }
        scan: for k in 0..<headerLimit where !consumed.contains(k) {
            let t = units[k].text
            if otsSenderNext {
                otsSenderNext = false
                if t.wordCount <= 5, !t.endsSentence, DateParser.first(in: t) == nil {
                    clues.otsSender = t
                    consumed.insert(k)
                    continue
                }
            }
            if let m = Self.pressService.match(t), let org = m[1] { clues.pressService = org }
            if t.wordCount <= 25, let m = HeaderClassifier.issuedBy.match(t), let org = m[1] {
                clues.source = clues.source ?? org
                if let d = DateParser.first(in: t, monthFirstNumeric: monthFirst) { headerDates.append(d) }
                consumed.insert(k)
                continue
            }
            switch kind(k) {
            case .date:
                if let d = DateParser.first(in: t, monthFirstNumeric: monthFirst) {
                    headerDates.append(d)
                    if Self.timeOfDay.test(t) { otsSenderNext = true }
                }
                consumed.insert(k)
            case .metadata:
                if let d = DateParser.first(in: t, monthFirstNumeric: monthFirst), Self.dateLabel.test(t) { headerDates.append(d) }
                consumed.insert(k)
            case .label:
                if let org = HeaderClassifier.labelIssuer(t) { clues.label = clues.label ?? org }
                // A type label under the headline ("Communiqué LDH") closes the header: no deck follows it.
                if headlineIndex != nil { labelAfterHeadline = true }
                consumed.insert(k)
            case .bullet:
                if dateline != nil || headlineIndex != nil && headlineIndex! < k { consumed.insert(k) }
            case .candidate:
                if dateline != nil && signatureIndex == nil {
                    candidates.append(k)
                    continue
                }
                // The menu between a page's title and its repeated headline heads nothing, nor a
                // second letterhead line above a title found under the timing line.
                if let at = repeatedTitleAt, k < at { continue }
                if let h = headlineIndex, k < h { continue }
                if headlineIndex == nil {
                    if let title = titleUnderLetterhead(k) {
                        clues.letterhead = clues.letterhead ?? t
                        consumed.insert(k)
                        headlineIndex = title
                        continue
                    }
                    if HeaderClassifier.headlineEligible(t) { headlineIndex = k; continue }
                    bodyStart = k
                    break scan
                }
                if subIndex == nil, !labelAfterHeadline,
                   t.comparable != units[headlineIndex!].text.comparable,
                   HeaderClassifier.subheadlineEligible(t, followedByMetadata: nextIsMetadata(after: k)) {
                    subIndex = k
                    continue
                }
                if t.comparable == units[headlineIndex!].text.comparable { consumed.insert(k); continue }
                // A standfirst sentence between the headline and a list of summary points is the deck.
                if subIndex == nil, !labelAfterHeadline, k == nextUnconsumed(after: headlineIndex!), t.wordCount <= 35, t.endsSentence,
                   let after = nextUnconsumed(after: k), kind(after) == .bullet {
                    subIndex = k
                    continue
                }
                bodyStart = k
                break scan
            }
        }
        if dateline != nil && signatureIndex == nil {
            var pool = candidates.filter { HeaderClassifier.headlineEligible(units[$0].text) || units[$0].text.hasSuffix(";") }
            if let at = repeatedTitleAt, candidates.contains(at) {
                candidates.removeAll { $0 < at }
                pool = [at] + pool.filter { $0 > at }
            }
            if repeatedTitleAt == nil, let first = candidates.first, let title = titleUnderLetterhead(first) {
                clues.letterhead = units[first].text
                consumed.insert(first)
                pool = [title] + pool.filter { $0 > title }
            } else if pool.count >= 3, units[pool[0]].text.wordCount <= 4 { pool.removeFirst() }
            headlineIndex = pool.first
            if let h = headlineIndex {
                let hc = units[h].text.comparable
                subIndex = candidates.first { $0 > h && units[$0].text.comparable != hc
                    && HeaderClassifier.subheadlineEligible(units[$0].text, followedByMetadata: true) }
            }
            if let d = datelineIndex { bodyStart = d }
        }
        if let h = headlineIndex {
            var title = units[h].text
            // A word in capitals straight above a title in capitals ("COMTEX" / "REPORTS FOURTH
            // QUARTER ...") is the title's first line, which a flattened layout broke off.
            if h > 0, !units[h].blankBefore, !consumed.contains(h - 1), case let above = units[h - 1].text, above.wordCount == 1,
               above.count >= 3, above == above.uppercased(), above.contains(where: \.isLetter), title == title.uppercased() {
                title = above + " " + title
                consumed.insert(h - 1)
            }
            r.headline = HeaderClassifier.undecorated(title.trimmingEdges(" ;"))
        }
        if let s = subIndex { r.subheadline = units[s].text.trimmed }

        // 6. Body.
        var body: [String] = []
        var bodyUnitIndex: [Int] = []
        var seen: Set<String> = []
        let titleKeys = Set([r.headline, r.subheadline].compactMap { $0?.comparable })
        if bodyStart < units.count {
            for k in bodyStart..<units.count where !consumed.contains(k) && k != headlineIndex && k != subIndex {
                var t = units[k].text
                if k == datelineIndex, let d = dateline { t = d.rest }
                t = t.trimmed
                if t.isEmpty { continue }
                let key = t.comparable
                if key.isEmpty || titleKeys.contains(key) || seen.contains(key) { continue }
                seen.insert(key)
                body.append(t)
                bodyUnitIndex.append(k)
            }
        }
        let afterContact = Set(bodyUnitIndex.enumerated().compactMap { (n, k) in
            k > 0 && contactResult.consumed.contains(k - 1) ? n : nil
        })
        let ruled = afterRule.isEmpty ? [] : Set(body.indices.filter { afterRule.contains(body[$0].comparable) })
        if let b = BoilerplateDetector.find(in: body, afterContact: afterContact, afterRule: ruled, fullText: text) {
            r.boilerplate = body[b.start...].joined(separator: "\n\n")
            r.trace.aboutHeading = b.heading != nil
            if let h = b.heading { clues.aboutHeading = b.organization; body = Array(body[..<h]) } else {
                clues.boilerplateSubject = b.organization
                body = Array(body[..<b.start])
            }
        }
        while let last = body.last, body.count > 1, Self.isTrailingInfo(last) { body.removeLast() }

        // A republished release often closes with the originating agency's credit ("GIS").
        if body.count >= 3, let last = body.last, Self.isCreditLine(last) {
            clues.credit = last.trimmingEdges()
            body.removeLast()
        }
        // Two or more short lines that are no sentence under the last paragraph are the page's
        // links the text was copied with ("Previous Post", "Next Post", a tag), not its end.
        // Not a closing list (bullets, or lines under one ending in a colon) nor a signature (a
        // name and a job title).
        let furniture = body.reversed().prefix { $0.wordCount <= 4 && !$0.endsSentenceAnyScript && !$0.contains(":")
            && !($0.last.map { "”\"»“’)".contains($0) } ?? true) && !HeaderClassifier.bullet.test($0) }.count
        let run = body.suffix(furniture)
        let signature = run.contains(where: PersonName.isName)
            && run.contains { $0.split(separator: " ").contains { IssuerFinder.titleWords.contains($0.lowercased()) } }
        if furniture >= 2, !signature, body.dropLast(furniture).contains(where: Self.isProse), body.dropLast(furniture).last?.hasSuffix(":") == false {
            body.removeLast(furniture)
        }
        if let first = body.first, let m = Self.tickerLead.match(first), let company = m[1] { clues.ticker = company }
        r.body = body

        // 7. Date: the original's source line, the dateline, the header, the page furniture, a closing signature.
        let dateFound = sourceDate ?? (signatureIndex == nil ? dateline?.date : nil) ?? headerDates.first ?? clutterDate ?? dateline?.date
        r.trace.date = sourceDate != nil ? .sourceLine : signatureIndex == nil && dateline?.date != nil ? .dateline
            : !headerDates.isEmpty ? .header : clutterDate != nil ? .furniture : dateline?.date != nil ? .signature : .none
        r.trace.city = dateline == nil ? .none : signatureIndex == nil ? .dateline : .signature
        if let h = headlineIndex { r.trace.headline = datelineIndex.map { h < $0 } == true ? .beforeDateline : .header }
        r.trace.bodyAfterDateline = datelineIndex != nil && signatureIndex == nil
        r.trace.endMark = ended
        r.trace.languageWords = text.countWords(stoppingAfter: 199)
        r.date = dateFound?.iso
        r.datelineCity = dateline.map { Self.undoubled($0.city) }
        if let e = embargoLine, let lift = TimingLine.resolveLift(e, releaseDate: r.date, language: r.language) {
            r.embargoUntil = lift.instant
            let doubt = TimingLine.uncertainty(e, language: r.language)
            r.embargoUncertain = doubt != nil
            r.embargoNote = [lift.note, doubt].compactMap { $0 }.joined(separator: " ").nilIfEmpty
        }

        // 8. Issuer and quotes.
        let titles = [r.headline, r.subheadline].compactMap { $0 }
        var statementSpeaker: QuoteParser.Speaker?
        for t in titles {
            if let m = Self.statementByTitle.match(t), let phrase = m[1],
               let s = QuoteParser.speaker(fromPhrase: phrase, fullText: text), PersonName.isName(s.name) {
                statementSpeaker = s
            }
            if let m = Self.arabicStatementTitle.match(t), let role = m[1], let name = m[2] {
                statementSpeaker = QuoteParser.Speaker(name: name.trimmed, role: role.trimmed)
            }
            if let m = Self.statementOfTitle.match(t), let org = m[1] {
                clues.statementTitle = org.trimmed
            }
        }
        var exclude: Set<String> = Set(r.contacts.compactMap(\.name))
        if let c = r.datelineCity { exclude.insert(c) }
        // Parsed once: the issuer, found with the help of the speakers, only fills in the quotes credited to it.
        let pendingQuotes = QuoteParser.pending(body: body, fullText: text, statementSpeaker: statementSpeaker)
        let preliminary = pendingQuotes.map { $0.resolved(issuer: nil) }
        clues.roles = preliminary.compactMap(\.role)
        for q in preliminary { if let s = q.speaker { exclude.insert(s) } }
        // Frequency counts run on the release's own text, not on the furniture around it.
        let ownText = ([r.headline, r.subheadline].compactMap { $0 } + body + [r.boilerplate].compactMap { $0 }).joined(separator: "\n")
        clues.siteName = siteName
        clues.titleSite = titleSite ?? clues.titleSite
        for line in pageOwner.copyrightLines where clues.pageCopyright == nil {
            if let m = Self.copyrightLine.match(line), let holder = m[1] { clues.pageCopyright = holder }
        }
        clues.handle = pageOwner.handle
        clues.pageAddress = pageOwner.address
        // Only lines that can hold an address go to ICU.
        clues.otherAddresses = [r.statementURL].compactMap { $0 } + raw.lazy
            .filter { $0.bytesContain("@") || $0.bytesContain("http") || $0.bytesContain("www.") }
            .flatMap { Self.address.matches($0).compactMap { $0[0] } }
        let issuer = IssuerFinder.weigh(clues, fullText: ownText, pageText: text, exclude: exclude)
        r.issuer = issuer.issuer
        r.trace.issuerSupport = issuer.support
        r.trace.issuerAgreeing = issuer.agreeing
        r.quotes = pendingQuotes.map { $0.resolved(issuer: r.issuer) }
        return r
    }

    /// The unit that repeats the first one's title part, and the site part of the first one:
    /// "Bridge closed - City of Northfield" ... "Bridge closed" gives (that unit's index, "City of
    /// Northfield"); a first line repeated whole gives a nil site. `nil` when no unit up to `limit`
    /// repeats it.
    static func repeatedTitle(_ units: [Unit], from first: Int, limit: Int, consumed: Set<Int>) -> (Int, String?)? {
        let line = units[first].text
        guard line.wordEquivalents >= 3, !line.endsSentence else { return nil }
        var forms: [(String, String?)] = [(line.comparable, nil)]
        for sep in HTMLReleaseExtractor.titleSeparators {
            if let r = line.range(of: sep, options: .backwards) {
                let head = String(line[..<r.lowerBound]), tail = String(line[r.upperBound...]).trimmed
                if head.wordEquivalents >= 3, tail.wordCount <= 8 { forms.append((head.comparable, tail)) }
            }
        }
        guard first + 1 < limit else { return nil }
        for j in (first + 1)..<limit where !consumed.contains(j) {
            let key = units[j].text.comparable
            if let form = forms.first(where: { $0.0 == key && !key.isEmpty }) { return (j, form.1) }
        }
        return nil
    }

    /// "Hyatt Hotels Corporation (NYSE: H) announced ...": the company and its listing (a name may
    /// open with a digit, "3D Systems", or in lower case before a digit, "j2 Global, Inc.").
    private static let tickerLead = Rx(#"^((?:(?:[\p{Lu}]|\p{Ll}\d|\p{N}+\p{L})[\p{L}\p{N}&.'’-]*,?\s+){0,6}[\p{Lu}][\p{L}\p{N}&.'’-]*)\s*\((?:NYSE|NASDAQ|Nasdaq|TSX(?:-V)?|LSE|ASX|SIX|Euronext|OTC\w*|AMEX|NYSE\s+American)\s*:\s*[\p{Lu}\d.]+\)"#, caseInsensitive: false, needs: [":"])

    /// A body's closing credit: an agency acronym ("GIS", "AP", "NOW GIS") on its own line.
    /// Two words at most and short ones, so a capitals heading cut off at the end of a
    /// truncated text ("ADDITIONAL KEY FI") is not taken for one.
    static func isCreditLine(_ t: String) -> Bool {
        let words = t.trimmingEdges(" ,;:-–—.()").split(separator: " ")
        guard (1...2).contains(words.count) else { return false }
        return words.allSatisfy { w in
            (2...6).contains(w.count) && w.allSatisfy { $0.isUppercase || $0 == "&" || $0 == "." } && w.contains(where: \.isLetter)
        }
    }

    /// "RheineRheine" (a page printing two variants of one link side by side) read once.
    static func undoubled(_ s: String) -> String {
        let chars = Array(s)
        guard chars.count >= 4, chars.count % 2 == 0, chars[..<(chars.count / 2)] == chars[(chars.count / 2)...] else { return s }
        return String(chars[..<(chars.count / 2)])
    }

    static func isProse(_ t: String) -> Bool {
        // Counted once, and only up to 26: the count walked the whole paragraph, twice.
        let words = t.countWords(stoppingAfter: 25)
        return words >= 25 || (t.endsSentence && words >= 10)
    }

    /// Link and "more information" lines that trail the body.
    /// "Angewandte Chemie: Presseinfo 46/2023": the series number a press office closes with.
    static let seriesNumber = Rx(#"\b\d{1,4}/(?:19|20)\d{2}$"#, needs: ["/"])
    /// "Postfach 101161, 69451 Weinheim, Germany.": the office's postal imprint.
    static let postalLine = Rx(#"\b(?:postfach|p\.?\s?o\.?\s+box|postbox|case\s+postale|apartado)\b"#, needs: ["postfach", "box", "postale", "apartado"])

    private static func isTrailingInfo(_ t: String) -> Bool {
        if t.wordCount <= 6, !t.endsSentence, seriesNumber.test(t) { return true }
        if t.wordCount <= 12, postalLine.test(t) { return true }
        // A line with an address: a link line, not a sentence of the text that gives one.
        if url.test(t) && (t.wordCount <= 10 || t.wordCount <= 25 && !t.endsSentence) { return true }
        if infoLine.test(t) && t.wordCount <= 30 && (t.hasSuffix(":") || url.test(t) || !t.endsSentence) { return true }
        if t.hasSuffix(":") && t.wordCount <= 20 && infoLine.test(t) { return true }
        return false
    }

    /// "Statement by X, Role": the speaker a title names. Built once: constructing an Rx per call looked its pattern up every time.
    private static let statementByTitle = Rx(#"^(?:joint\s+)?statement\s+(?:by|from|of)\s+(.+)$"#)
    /// An Arabic statement title naming the speaker and role. Built once: constructing an Rx per call looked its pattern up every time.
    private static let arabicStatementTitle = Rx(#"^(?:تصريح|بيان)\s+(.+?)[،,]\s*(.+?)[،,]\s*(?:حول|بشأن|عن)"#)
    /// A Persian/Arabic statement title naming the organization. Built once: constructing an Rx per call looked its pattern up every time.
    private static let statementOfTitle = Rx(#"^(?:بیانیه|بيان)\s+(.+?)\s+(?:در\s+پی|در\s+مورد|درباره|حول|بشأن)"#)
}
