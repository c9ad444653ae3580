import Foundation

/// Finds media contacts wherever the page put them (top, middle or bottom), in the
/// shapes releases use:
///
/// - a label then lines: "Contact:" / "Media Contact" / "Organization Profile:" /
///   "For more information, please contact:" followed by "Name, Org, phone, email"
/// - the label and contact on one line: "CONTACT:Mitchell Barclay", "Expert contact: Name, (202) 555-0171,"
/// - unlabeled groups: "Name1/Name2" / "Org" / "202-555-0172/0189" (NASA), or an address block
///   with "Telefon:" and "E-Mail:" lines (German ots)
/// - one-line entries "Katrin Dellmann, NABU-Pressesprecherin, Tel. 030-284 555 1577"
///
/// Obfuscated or truncated email addresses are dropped rather than guessed.
enum ContactParser {
    struct Result {
        var contacts: [ImportedContact] = []
        /// Indices of units that held contact details, so they stay out of the body and headline.
        var consumed: Set<Int> = []
        var socialProfiles: [ImportedSocialProfile] = []
    }

    static let label = Rx(#"^(?:[\p{L}]+\s+){0,2}(?:contacts?|media\s+contacts?|press\s+contacts?|media\s+inquiries|kontakt|pressekontakt|ansprechpartner(?:in)?|contacto|organization\s+profile|for\s+more\s+information,?\s*(?:please\s+)?contact)\s*(?::\s*|$)(.*)$"#, needs: ["contact", "inquiries", "kontakt", "ansprechpartner", "organization"])
    private static let endsWithContact = Rx(#"\b(?:please\s+)?contact:\s*$"#, needs: ["contact:"])
    static let phone = Rx(#"(?<![\d\w])(?:(?:\(\+\d{1,3}\)\s?|\+\d{1,3}[\s.-]?)(?:\(\d{1,5}\)[\s.-]?)?\d{1,5}|(?:\(\d{2,5}\)[\s.-]?)?\d{2,5})(?:\s*[-–./]\s*|\s)\d{2,8}(?:(?:\s*[-–.]\s*|\s)\d{1,5}){0,2}(?!\d)"#, precheck: { Precheck.hasDigits($0, atLeast: 4) })
    /// An e-mail address with its at sign written "(at)" or "[at]".
    static let spelledAt = Rx(#"([\p{L}\d._%+-]+)\s?[(\[]at[)\]]\s?([\p{L}\d-]+(?:\.[\p{L}\d-]+)+)"#, needs: ["(at)", "[at]", "( at )", "[ at ]"])
    static let email = Rx(#"[\p{L}\d._%+-]+@[\p{L}\d-]+(?:\.[\p{L}\d-]+)+"#, needs: ["@"])
    static let fieldLabel = Rx(#"^(?:tel(?:efon|ephone)?\.?|phone|ph\.?|mobile|mobil|cell|handy|fon|e-?mail|mail|fax|by|twitter|web|internet)\s*[:.]\s*(.*)$"#, needs: [":", "."], prefixes: ["tel", "ph", "mobil", "cell", "handy", "fon", "e", "mail", "fax", "by", "twitter", "web", "internet"])
    /// "Autor/-in: Name, Org, mailto:…": a science wire names the researcher to contact this way.
    private static let authorLabel = Rx(#"^(?:autor(?:/-?in)?|autorin|author|verfasser(?:in)?)\s*:\s*(.*)$"#, needs: ["autor", "author", "verfasser"])
    /// A list bullet before a contact line: "• (+32) 470 55 18 02".
    private static let bullet = Rx(#"^[•·▪◦]\s*"#)

    /// Last words of a job title ("Press Officer", "Media Relations Manager").
    /// A job title of at most four words ending in a title word ("Press Officer").
    static func isJobTitle(_ field: String) -> Bool {
        guard let last = field.split(separator: " ").last else { return false }
        return jobTitleEnds.contains(last.lowercased()) && field.wordCount <= 4
    }

    private static let jobTitleEnds: Set<String> = ["officer", "manager", "director", "spokesperson", "spokesman", "spokeswoman", "coordinator", "specialist", "secretary", "assistant", "editor", "writer", "adviser", "advisor", "consultant", "associate", "pressesprecher", "pressesprecherin", "referent", "referentin"]

    /// `line` without a leading list bullet or author label.
    static func unbulleted(_ line: String) -> String {
        var s = line
        if s.hasPrefix("•") || s.hasPrefix("·") || s.hasPrefix("▪") || s.hasPrefix("◦") { s = bullet.replace(s, with: "") }
        if let m = authorLabel.match(s), let v = m[1] { s = v }
        return s
    }

    private static let bareHandle = Rx(#"^(@\w{2,30})$"#, needs: ["@"])
    private static let twitterHandle = Rx(#"^twitter\s*:\s*(@\w+)"#, needs: ["twitter"])

    /// `true` when `text` is a phone number standing alone (digits, separators, slashes).
    static func isPhoneOnly(_ text: String) -> Bool {
        phoneOnly.test(text.trimmed)
    }

    static let phoneOnly = Rx(#"^(?:(?:tel(?:efon)?|phone)\s*[:.]?\s*)?\+?[\d(][\d\s()/.–-]{6,}$"#, precheck: { Precheck.endsWithDigitsRun($0, count: 6, others: "()/.-") })
    private static let yearRange = Rx(#"^(?:19|20)\d{2}\s*[-–/]\s*(?:19|20)?\d{2}$"#)
    private static let slashExtension = Rx(#"^\s*/\s*(\d{2,5})(?!\d)"#, needs: ["/"])
    /// `prefixes`: a block line that does not open with "by" is ruled out from its first two
    /// bytes (speed: "by" inside a line let most contact lines through to ICU).
    static let byLabel = Rx(#"^by\s*:\s*(.+)$"#, needs: ["by"], prefixes: ["by"])
    static let extensionResidue = Rx(#"/\s*\d{2,5}\b|,\s*-\d+"#, needs: ["/", ","])
    static let fieldWords = Rx(#"\[email[^\]]*\]|\S*\.\.\.@\S*|\b(?:tel(?:efon)?|phone|e-?mail|fax|mobil|cell)\b\.?\s*:?"#, needs: ["[email", "...@", "tel", "phone", "mail", "fax", "mobil", "cell"])

    static func hasPhoneOrEmail(_ text: String) -> Bool {
        !phones(in: text, upTo: 1).isEmpty || email.test(text) || text.containsASCII("[email") || spelledAt.test(text)
    }

    /// Phone numbers in `text`; "202-555-0172/0189" yields both numbers. With `upTo`, the
    /// search stops once that many are found (the first ones, as without it).
    static func phones(in text: String, upTo limit: Int = .max) -> [String] {
        var out: [String] = []
        let ns = text as NSString
        var searchFrom = 0
        while searchFrom < ns.length {
            let sub = ns.substring(from: searchFrom)
            guard let m = phone.located(sub), let number = m.groups[0] else { break }
            let digits = number.filter(\.isNumber)
            let end = m.location + m.length
            let isYearRange = yearRange.test(number.trimmed)
            if digits.count >= 7, !isYearRange {
                out.append(number.trimmed)
                if out.count >= limit { break }
                // A slash-joined second extension shares the first number's prefix.
                let after = (sub as NSString).substring(from: end)
                if let alt = slashExtension.match(after), let tail = alt[1], tail.count < digits.count {
                    let trimmedNumber = number.trimmed
                    out.append(String(trimmedNumber.dropLast(tail.count)) + tail)
                }
            }
            searchFrom += max(end, 1)
        }
        return out
    }

    private static func emails(in text: String) -> [String] {
        email.matches(text).compactMap { $0[0] }.filter { !$0.contains("..") && !$0.hasPrefix(".") }
    }

    /// Parses every contact in `units` (the release, then whatever followed its end mark).
    static func parse(_ units: [Unit]) -> Result {
        var result = Result()
        var i = 0
        while i < units.count {
            let text = units[i].text
            if let tw = twitterHandle.match(text), let handle = tw[1] {
                result.socialProfiles.append(ImportedSocialProfile(network: "twitter", handleOrURL: handle))
                result.consumed.insert(i)
                i += 1
                continue
            }
            // A bare "@handle" line in or under a contact block is a social profile, not prose.
            if text.hasWords(atMost: 2), let m = bareHandle.match(unbulleted(text)), let handle = m[1] {
                result.socialProfiles.append(ImportedSocialProfile(network: "twitter", handleOrURL: handle))
                result.consumed.insert(i)
                i += 1
                continue
            }
            // Labeled block.
            // The pattern's byte prefilter before the Character count: counting is slow on long lines.
            if let m = label.match(text), text.hasCount(atMost: 160), !text.lowercased().hasPrefix("photo") {
                let value = (m[1] ?? "").trimmed
                var lines: [String] = []
                var indices: [Int] = [i]
                if !value.isEmpty { lines.append(value) }
                var j = i + 1
                while j < units.count, j <= i + 8 {
                    let next = units[j].text
                    // A letterhead's columns flattened: the timing line beside the contact's block
                    // is neither part of it nor its end.
                    if TimingLine.isImmediate(next) || TimingLine.isEmbargo(next) { j += 1; continue }
                    let hasDetail = hasPhoneOrEmail(next) || fieldLabel.test(next)
                    let gotSomething = lines.contains { hasPhoneOrEmail($0) || PersonName.isName(firstField($0)) }
                    if label.test(next) && next.hasCount(atMost: 160) { break }
                    // A job title on its own line under the name ("Press Officer") stays in the block.
                    // Not when the name's line already gave the details: what follows those is no title.
                    let titleUnderName = lines.count == 1 && PersonName.isName(firstField(lines[0])) && !hasPhoneOrEmail(lines[0])
                        && next.wordCount <= 4 && !next.endsSentence && !label.test(next)
                    if gotSomething && !titleUnderName {
                        if units[j].blankBefore && !hasDetail { break }
                        if !hasDetail && !PersonName.isName(firstField(next)) && lines.contains(where: hasPhoneOrEmail) { break }
                        if !hasDetail && next.wordCount > 8 { break }
                    } else if next.wordCount > 14 || (next.endsSentence && !hasDetail && next.wordCount > 5) {
                        // A short line ending in a point is an organization ("… e. V.", "Acme Inc."), not a sentence.
                        break
                    }
                    // A name a flattened table broke over two lines ("Dana" / "Whitfield").
                    if let last = lines.last, last.wordCount == 1, next.wordCount == 1, !hasDetail,
                       last.first?.isUppercase == true, next.first?.isUppercase == true, PersonName.isName(last + " " + next) {
                        lines[lines.count - 1] = last + " " + next
                    } else {
                        lines.append(next)
                    }
                    indices.append(j)
                    j += 1
                    if lines.count >= 2, lines.allSatisfy({ PersonName.isName(firstField($0)) == false && !hasPhoneOrEmail($0) }) { break }
                }
                let found = contacts(fromBlock: lines)
                if !found.isEmpty || value.isEmpty {
                    result.contacts += found
                    result.consumed.formUnion(indices)
                    i = j
                    continue
                }
            }
            // A line ending "... please contact:" opens a list of one-line contacts.
            if endsWithContact.test(text) {
                var j = i + 1
                while j < units.count, hasPhoneOrEmail(units[j].text), units[j].text.hasWords(atMost: 25) {
                    result.contacts += contacts(fromBlock: [units[j].text])
                    result.consumed.insert(j)
                    j += 1
                }
                i = max(j, i + 1)
                continue
            }
            // Labeled fields ("Telefon:", "E-Mail:", "By:") attach to the name just above them.
            if let m = fieldLabel.match(text), !text.lowercased().hasPrefix("by"), hasPhoneOrEmail(m[1] ?? "") {
                var start = i
                var nameIndex: Int?
                var k = i - 1
                while k >= 0, k >= i - 4, !result.consumed.contains(k) {
                    if PersonName.isName(units[k].text) || byLine(units[k].text) != nil { nameIndex = k; break }
                    if !fieldLabel.test(units[k].text) { break }
                    k -= 1
                }
                if let n = nameIndex { start = n }
                var j = i
                while j + 1 < units.count, fieldLabel.test(units[j + 1].text), !units[j + 1].blankBefore { j += 1 }
                var lines = (start...j).map { units[$0].text }
                if let n = nameIndex, let by = byLine(units[n].text) { lines[0] = by }
                // The organization line of an address block sits above the name (office, street, city).
                var org: String?
                if let n = nameIndex {
                    var o = n - 1
                    while o >= 0, o >= n - 4, !result.consumed.contains(o) {
                        let t = units[o].text
                        if t.wordCount > 6 || t.endsSentence && !t.hasSuffix(".") { break }
                        // Street and postcode lines of the office's address belong to the block.
                        if t.contains(where: \.isNumber) { start = o; o -= 1; continue }
                        if t.endsSentence { break }
                        org = t
                        start = o
                        break
                    }
                }
                var found = contacts(fromBlock: lines)
                if nameIndex == nil { found = found.map { var c = $0; c.name = nil; return c } }
                // Numbers with no one's name and no contact label above them are the office's
                // switchboard in the page's footer, not a media contact.
                if nameIndex == nil, !(max(0, start - 3)..<start).contains(where: { label.test(units[$0].text) }) { found = [] }
                if let org { found = found.map { var c = $0; if c.organization == nil { c.organization = org }; return c } }
                for line in lines {
                    if let tw = twitterHandle.match(line), let handle = tw[1] {
                        result.socialProfiles.append(ImportedSocialProfile(network: "twitter", handleOrURL: handle))
                    }
                }
                result.contacts += found
                result.consumed.formUnion(start...j)
                i = j + 1
                continue
            }
            // A bare "By: Name" byline followed by a phone line.
            if let by = byLine(text), i + 1 < units.count, fieldLabel.test(units[i + 1].text), hasPhoneOrEmail(units[i + 1].text) {
                result.contacts += contacts(fromBlock: [by, units[i + 1].text])
                result.consumed.formUnion([i, i + 1])
                i += 2
                continue
            }
            // Unlabeled group ending in a phone line: "Name(s)" / "Org" / "phone".
            if isPhoneOnly(text), i >= 1 {
                var start = i
                var k = i - 1
                while k >= 0, k >= i - 3, !result.consumed.contains(k), units[k].text.hasWords(atMost: 10), !units[k].text.endsSentence || units[k].text.hasSuffix("Md.") {
                    start = k
                    if units[k].blankBefore { break }
                    k -= 1
                }
                let lines = (start...i).map { units[$0].text }
                if let first = lines.first, PersonName.isName(first.split(separator: "/").first.map(String.init) ?? first) {
                    result.contacts += contacts(fromBlock: lines)
                    result.consumed.formUnion(start...i)
                }
                i += 1
                continue
            }
            // A Japanese sender line ending in the press officers' surnames, "Org　Dept　大野／杉浦",
            // with the telephone line next to it.
            if let (name, org) = cjkSender(text) {
                let neighbours = [i - 1, i + 1].filter { $0 >= 0 && $0 < units.count }
                if let k = neighbours.first(where: { !phones(in: units[$0].text, upTo: 1).isEmpty }) {
                    result.contacts.append(ImportedContact(name: name, organization: org, phone: phones(in: units[k].text, upTo: 1).first))
                    result.consumed.formUnion([i, k])
                    i = max(i, k) + 1
                    continue
                }
            }
            // One-line entry: "Name, Org, Tel. ..., email".
            if text.hasWords(atMost: 25), hasPhoneOrEmail(text), PersonName.isName(firstField(text)), !text.endsSentence || text.hasSuffix(".de") || text.hasSuffix(".org") {
                result.contacts += contacts(fromBlock: [text])
                result.consumed.insert(i)
            }
            i += 1
        }
        return result
    }

    /// "セキュリティセンター 森田／川辺": the surnames (two or more, joined by ／) that close a
    /// Japanese sender line, and what precedes them as the organization.
    static let cjkSurnames = Rx(#"^(.*?)[\s\u3000]*((?:[\p{Han}\p{Hiragana}\p{Katakana}]{1,4})(?:[／/][\p{Han}\p{Hiragana}\p{Katakana}]{1,4})+)$"#, needs: ["／", "/"])

    static func cjkSender(_ text: String) -> (name: String, organization: String?)? {
        guard text.count <= 80, let m = cjkSurnames.match(text), let name = m[2] else { return nil }
        let org = (m[1] ?? "").trimmingEdges(" \u{3000}")
        return (name, org.isEmpty ? nil : org)
    }

    private static func byLine(_ text: String) -> String? {
        guard let m = byLabel.match(text), let name = m[1], PersonName.isName(name) else { return nil }
        return name
    }

    /// The text before the first comma, phone number or "or", the place a name would be.
    static func firstField(_ line: String) -> String {
        var s = unbulleted(line)
        if let m = fieldLabel.match(s), let v = m[1] { s = v }
        if let p = phone.split(s) { s = p.before }
        s = s.components(separatedBy: ",").first ?? s
        s = s.components(separatedBy: " or ").first ?? s
        s = s.components(separatedBy: "/").first ?? s
        return s.trimmed
    }

    /// Builds contacts from the lines of one block. Names open contacts; phones and emails
    /// go to the contacts they follow (shared, or one each when the counts match);
    /// other fields become the organization.
    static func contacts(fromBlock lines: [String]) -> [ImportedContact] {
        var people: [ImportedContact] = []
        var openGroup: [Int] = []          // contacts named on the most recent name line
        var blockOrg: String?
        var phonesForGroup: [String] = []
        var emailsForGroup: [String] = []

        func flush() {
            guard !openGroup.isEmpty else { return }
            for (n, idx) in openGroup.enumerated() {
                if people[idx].phone == nil, !phonesForGroup.isEmpty {
                    people[idx].phone = phonesForGroup.count == openGroup.count ? phonesForGroup[n] : phonesForGroup[0]
                }
                if people[idx].email == nil, !emailsForGroup.isEmpty {
                    people[idx].email = emailsForGroup.count == openGroup.count ? emailsForGroup[n] : emailsForGroup[0]
                }
            }
            phonesForGroup = []
            emailsForGroup = []
        }

        for raw in lines {
            var line = unbulleted(raw.trimmed).trimmed
            // Foundation's replacement only for a line holding the bytes: it cannot find "mailto:" otherwise.
            if line.bytesContain("mailto:") { line = line.replacingOccurrences(of: "mailto:", with: " ") }
            // "presse(at)example.de": the at sign spelled out in brackets, between an address's two halves.
            if line.bytesContain("at"), let m = Self.spelledAt.split(line), let left = m.groups[1], let right = m.groups[2] {
                line = m.before + left + "@" + right + m.after
            }
            let lower = line.lowercased()
            if lower.hasPrefix("fax") { continue }
            if let m = fieldLabel.match(line), let v = m[1] {
                if lower.hasPrefix("twitter") || lower.hasPrefix("web") || lower.hasPrefix("internet") { continue }
                line = v
            }
            let ph = phones(in: line)
            var rest = line
            for p in ph { rest = rest.replacingOccurrences(of: p, with: ", ") }
            rest = extensionResidue.replace(rest, with: " ")
            let mails = emails(in: rest)
            for e in mails { rest = rest.replacingOccurrences(of: e, with: ", ") }
            rest = fieldWords.replace(rest, with: ", ")
            // A parenthesised place code after a number ("(BXL)") is not a field of its own.
            let fields = rest.components(separatedBy: ",").map { $0.trimmingEdges(" ;:.") }.filter { !$0.isEmpty && !($0.hasPrefix("(") && $0.hasSuffix(")") && $0.count <= 8) }

            var namedHere: [String] = []
            var orgHere: [String] = []
            for (fi, f) in fields.enumerated() {
                let candidates = f.components(separatedBy: " or ").flatMap { $0.components(separatedBy: "/") }.map(\.trimmed)
                if fi == 0 || namedHere.isEmpty, candidates.allSatisfy({ PersonName.isName($0) }), namedHere.isEmpty {
                    namedHere = candidates.map { PersonName.contactName($0) }
                } else if !PersonName.isName(f) || orgHere.last.map(Self.isJobTitle) == true, !(f.contains(where: \.isNumber) && f.wordCount <= 4) {
                    // After a job title, a name-like field is the organization ("Jane Doe, Press
                    // Officer, Harbor Health Alliance").
                    // A street or postcode line ("Baumwall 3", "20459 Hamburg") is the office's address, not its name.
                    orgHere.append(f)
                }
            }
            // "Press Officer" under the name is the person's job title, not an organization.
            if !people.isEmpty, orgHere.count == 1, namedHere.isEmpty, let last = orgHere[0].split(separator: " ").last,
               jobTitleEnds.contains(last.lowercased()), orgHere[0].wordCount <= 4, let idx = openGroup.last, people[idx].title == nil {
                people[idx].title = orgHere[0]
                orgHere = []
            }
            // "Jane Doe, Press Officer, Rivers Trust": a job title between the name and the organization.
            var titleHere: String?
            if !namedHere.isEmpty, orgHere.count >= 2, Self.isJobTitle(orgHere[0]) {
                titleHere = orgHere.removeFirst()
            }
            if !namedHere.isEmpty {
                flush()
                openGroup = []
                for n in namedHere {
                    people.append(ImportedContact(name: n, title: titleHere, organization: orgHere.isEmpty ? blockOrg : orgHere.joined(separator: ", ")))
                    openGroup.append(people.count - 1)
                }
            } else if !orgHere.isEmpty {
                let org = orgHere.joined(separator: ", ")
                if openGroup.isEmpty {
                    blockOrg = blockOrg ?? org
                } else {
                    for idx in openGroup where people[idx].organization == nil || people[idx].organization == blockOrg {
                        people[idx].organization = org
                    }
                }
            }
            phonesForGroup += ph
            emailsForGroup += mails
            if openGroup.isEmpty, !(ph.isEmpty && mails.isEmpty) {
                // An office or shared mailbox with no person named.
                people.append(ImportedContact(name: nil, organization: blockOrg))
                openGroup = [people.count - 1]
            }
        }
        flush()
        return people
    }
}
