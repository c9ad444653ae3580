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
    private static let describes = Rx(#"^(?:(?:the|die|der|das|la|le|l[’']|el)\s+)?([\p{Lu}\p{Lo}][\p{L}\p{M}&.'’()-]*(?:\s+(?:[\p{Lu}\p{Lo}&][\p{L}\p{M}&.'’()-]*|of|for|the|and|de|des|du|la|für|e\.V\.)){0,8})\s+(?:is\s+(?:a|an|the|one|dedicated|committed|an?\s+\w+)|are\s+(?:a|an|the)|fights\b|champions\b|works\s+to|represents\b|was\s+founded|has\s+been\s+(?:a|an|the)|ist\s+(?:ein|eine|der|die|das)\b|nimmt\s+als\b|vertritt\b|setzt\s+sich|est\s+(?:un|une|la|le)\b|es\s+(?:un|una|la|el)\b|représente\b)"#, caseInsensitive: false)

    /// What follows the organization's name in a description: "brand is a", "is the", "are".
    private static let describesAfterName = Rx(#"^(?:\s+\p{L}+){0,2}\s+(?:is|are|ist|est|es)\s+(?:a|an|the|one|ein|eine|un|une|una|la|le|el)\b"#, needs: ["is", "are", "est", "es"])

    static func find(in body: [String], afterContact: Set<Int>, fullText: String) -> Found? {
        for (i, para) in body.enumerated() {
            if i + 1 < body.count, para.wordCount <= 8, let m = aboutHeading.match(para.trimmed), let org = m[1] {
                return Found(start: i + 1, heading: i, organization: org.trimmingEdges(" ,;:"))
            }
            // A heading that names the organization, then its description: "The Unbound
            // Collection by Hyatt" / "The Unbound Collection by Hyatt brand is a portfolio ...".
            if i >= 1, i + 1 < body.count, para.wordCount <= 8, !para.endsSentence,
               let next = body[i + 1].trimmed.nilIfEmpty, next.hasPrefix(para.trimmed), Self.describesAfterName.test(String(next.dropFirst(para.trimmed.count))) {
                return Found(start: i + 1, heading: i, organization: para.trimmingEdges(" ,;:"))
            }
            guard i >= 1, !QuoteParser.startsQuoted(para), let m = describes.match(para.trimmed), let org = m[1] else { continue }
            let name = org.trimmingEdges()
            if PersonName.isName(name) || pronouns.contains(name.split(separator: " ").first.map(String.init) ?? "") { continue }
            let opening = String(para.trimmed.prefix(40))
            let earlierText = fullText.range(of: opening).map { String(fullText[..<$0.lowerBound]) } ?? fullText
            let mentionedBefore = occurrences(of: name, in: earlierText) >= 1
            if mentionedBefore || afterContact.contains(i) {
                return Found(start: i, heading: nil, organization: mentionedBefore ? name : nil)
            }
        }
        return nil
    }

    /// Sentence openers that the description pattern would otherwise read as a name.
    private static let pronouns: Set<String> = ["This", "That", "It", "These", "Those", "There", "He", "She", "We", "They", "Our", "Its", "Today", "Here", "Dies", "Das", "Es", "Er", "Sie", "Wir", "Ce", "Il", "Elle", "Esto", "Este", "Esta"]

    private static func occurrences(of needle: String, in haystack: String) -> Int {
        haystack.components(separatedBy: needle).count - 1
    }
}
