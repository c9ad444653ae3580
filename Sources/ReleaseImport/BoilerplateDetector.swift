import Foundation

/// Finds where the organization's "About" paragraph starts among the body paragraphs.
///
/// Two signs: an "About X" heading (in several languages), or a paragraph that opens by
/// describing an organization the release already named ("Amnesty International is a
/// global movement", "Food & Water Watch champions", "CUPE is the union", "Die X nimmt als
/// Bundesbehörde ..."). A description right after a contact block needs no earlier mention,
/// because that is where agencies print their profile.
enum BoilerplateDetector {
    struct Found {
        /// Index of the first boilerplate paragraph.
        var start: Int
        /// Index of the "About" heading, if there was one.
        var heading: Int?
        /// The organization the boilerplate describes.
        var organization: String?
    }

    private static let aboutHeading = Rx(#"^(?:about|über|à\s+propos\s+d[eu']\s*|a\s+propos\s+de|acerca\s+de|sobre|عن|درباره|نبذة\s+عن)\s+(.{2,80}?):?$"#)
    /// The Japanese "About X": a heading line naming the organization, then its profile
    /// (会社概要, 企業概要, 団体概要, 法人概要: company, corporate, association or corporation
    /// profile), bracketed or not ("【X　会社概要】", "■X 企業概要", "会社概要").
    private static let profileHeading = Rx(#"^[【\[［■◆●<＜]?[\s\u3000]*(.{0,60}?)[\s\u3000]*(?:会社|企業|団体|法人)概要[\s\u3000]*[】\]］>＞]?$"#, needs: ["概要"])
    static let describes = Rx(#"^(?:(?:the|die|der|das|la|le|l[’']|el)\s+)?(?:(?:The|Die|Der|Das|La|Le|El)\s+(?=["“„»]))?["“„»]?([\p{Lu}\p{Lo}][\p{L}\p{M}&.'’()-]*(?:\s+(?:[\p{Lu}\p{Lo}&][\p{L}\p{M}&.'’()-]*|of|for|the|and|de|des|du|la|für|e\.V\.)){0,8})["”“«]?\s+(?:is\s+(?:a|an|the|one|dedicated|committed|an?\s+\w+)|are\s+(?:a|an|the)|fights\b|champions\b|works\s+to|represents\b|was\s+founded|has\s+been\s+(?:a|an|the)|ist\s+(?:ein|eine|der|die|das)\b|nimmt\s+als\b|vertritt\b|setzt\s+sich|est\s+(?:un|une|la|le)\b|es\s+(?:un|una|la|el)\b|représente\b)"#, caseInsensitive: false, precheck: Precheck.mayDescribeOrganization)

    /// What follows the organization's name in a description: "brand is a", "is the", "are".
    static let describesAfterName = Rx(#"^(?:\s+\p{L}+){0,2}\s+(?:is|are|ist|est|es)\s+(?:a|an|the|one|ein|eine|un|une|una|la|le|el)\b"#, needs: ["is", "are", "est", "es"])

    /// A paragraph set apart by a rule that opens "Stanford Medicine integrates ...": an organization's
    /// name and a present-tense verb.
    private static let ruledDescription = Rx(#"^([\p{Lu}][\p{L}\p{M}&.'’-]*(?:\s+(?:[\p{Lu}][\p{L}\p{M}&.'’-]*|of|for|and|de|für)){1,6})\s+\p{Ll}+s\b"#, caseInsensitive: false)
    /// The release's own voice: a paragraph speaking as "we" continues the release, so a
    /// description before it is part of the story ("Wikipedia is a global free knowledge resource").
    private static let firstPerson = Rx(#"\b(?:we|our|us)\b"#, caseInsensitive: false, needs: ["we", "our", "us"])

    static func find(in body: [String], afterContact: Set<Int>, afterRule: Set<Int> = [], fullText: String) -> Found? {
        for (i, para) in body.enumerated() {
            if i + 1 < body.count, para.hasWords(atMost: 8), let m = aboutHeading.match(para.trimmed), let org = m[1] {
                return Found(start: i + 1, heading: i, organization: org.trimmingEdges(" ,;:"))
            }
            if i >= 1, i + 1 < body.count, para.hasWords(atMost: 8), let m = profileHeading.match(para.trimmed) {
                let org = m[1]?.trimmingEdges(" \u{3000},;:・").nilIfEmpty
                return Found(start: i + 1, heading: i, organization: org)
            }
            // A heading that names the organization, then its description: "The Unbound
            // Collection by Hyatt" / "The Unbound Collection by Hyatt brand is a portfolio ...".
            if i >= 1, i + 1 < body.count, para.hasWords(atMost: 8), !para.endsSentence,
               let next = body[i + 1].trimmed.nilIfEmpty, next.hasPrefix(para.trimmed), Self.describesAfterName.test(String(next.dropFirst(para.trimmed.count))) {
                return Found(start: i + 1, heading: i, organization: para.trimmingEdges(" ,;:"))
            }
            if i >= 1, afterRule.contains(i), !para.hasWords(atMost: 14), let m = ruledDescription.match(para.trimmed), let org = m[1],
               !pronouns.contains(org.split(separator: " ").first.map(String.init) ?? "") {
                return Found(start: i, heading: nil, organization: org.trimmingEdges())
            }
            guard i >= 1, !QuoteParser.startsQuoted(para), let m = describes.match(para.trimmed), let org = m[1] else { continue }
            let name = org.trimmingEdges()
            // A name in quotation marks is a title ("Die „Angewandte Chemie“ ist eine Publikation"), not a person.
            let quotedName = m[0].map { $0.contains(where: { "\"“„»".contains($0) }) } ?? false
            if !quotedName, PersonName.isName(name) || pronouns.contains(name.split(separator: " ").first.map(String.init) ?? "") { continue }
            // A surname alone ("Gambhir is a member of ...") speaks of a person the release named in full
            // (its own paragraphs only: page furniture puts capitalized words before any name).
            if !name.contains(" "), case let full = PersonName.expand(name, in: body[..<i].joined(separator: "\n")), full != name, PersonName.isName(full) { continue }
            if !afterContact.contains(i), body.count - i > 3, body[(i + 1)...].contains(where: { firstPerson.test($0) }) { continue }
            let opening = String(para.trimmed.prefix(40))
            let earlierText = Self.text(of: fullText, before: opening)
            let mentionedBefore = Self.contains(earlierText, name)
            if mentionedBefore || afterContact.contains(i) {
                return Found(start: i, heading: nil, organization: mentionedBefore ? name : nil)
            }
        }
        return nil
    }

    /// Sentence openers that the description pattern would otherwise read as a name.
    private static let pronouns: Set<String> = ["This", "That", "It", "These", "Those", "There", "He", "She", "We", "They", "Our", "Its", "Today", "Here", "Dies", "Das", "Es", "Er", "Sie", "Wir", "Ce", "Il", "Elle", "Esto", "Este", "Esta"]

    /// `haystack` up to the first occurrence of `needle`, or all of it (Foundation's `range(of:)`).
    static func text(of haystack: String, before needle: String) -> String {
        // ASCII in both, and no "\r" (whose "\r\n" is one Character): every Character is one
        // byte, so the first byte match is Foundation's answer, found without its Unicode-aware search.
        if isPlainASCII(haystack), isPlainASCII(needle) {
            guard let at = haystack.utf8Offset(of: needle) else { return haystack }
            return String(haystack.utf8.prefix(at))!
        }
        return haystack.range(of: needle).map { String(haystack[..<$0.lowerBound]) } ?? haystack
    }

    /// Whether `needle` occurs in `haystack` as Foundation's `components(separatedBy:)` finds it.
    static func contains(_ haystack: String, _ needle: String) -> Bool {
        if isPlainASCII(haystack), isPlainASCII(needle) {
            return haystack.utf8Offset(of: needle) != nil
        }
        return haystack.components(separatedBy: needle).count > 1
    }

    /// ASCII without "\r": one byte per Character.
    private static func isPlainASCII(_ s: String) -> Bool {
        s.utf8.allSatisfy { $0 < 0x80 && $0 != 0x0D }
    }
}
