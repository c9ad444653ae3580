import Foundation

/// Sorts the lines above the body (the header) into headline candidates, date lines,
/// type labels and metadata, and picks the headline and subheadline.
enum HeaderClassifier {
    private static let typeWords = #"(?:press\s+release|news\s+release|media\s+release|media\s+advisory|advisory|pressemitteilung|presseinformation|pressemeldung|einladung\s+zum\s+pressegespräch|einladung|communiqué(?:\s+de\s+presse)?|comunicado(?:\s+de\s+prensa)?|nota\s+de\s+prensa|statement|update)"#
    /// "Communiqué LDH", "MEDIA ADVISORY: M07-44", "Einladung zum Pressegespräch", "Press Release".
    private static let typeLabel = Rx(#"^•?\s*"# + typeWords + #"(?:\s*[-–:]\s*[\p{L}\d-]+|\s+(?:de\s+la\s+|du\s+|der\s+|of\s+)?[\p{Lu}\p{L}.’'-]+){0,2}\s*[.:]?$"#)
    /// Document-metadata fields ("Date: ...", "By: ...", "Photos By: ...").
    static let metadata = Rx(#"^(?:date|datum|fecha|by|von|photos?\s+by|author|autor|posted|published|updated|veröffentlicht|source|quelle|phone|tel|email|e-mail|tags?|categor(?:y|ies|ía|ia)|kategorie|catégorie|filed\s+under)\s*:"#, needs: [":"])
    /// "The press release issued by HM Treasury on 23 September 2025.": a republisher's credit
    /// naming the issuer (group 1) and the date of issue.
    static let issuedBy = Rx(#"^(?:the\s+|this\s+)?(?:press\s+release|news\s+release|media\s+release|statement|release)\s+(?:was\s+)?(?:issued|published|released)\s+by\s+(?:the\s+)?(\p{Lu}.{1,80}?)\s+on\s+\S.{3,40}$"#, needs: ["issued", "published", "released"])
    /// A republisher's decoration of a title, on both sides of it: a type label and colon before,
    /// a bracketed month or date after ("PRESS RELEASE : Title [September 2025]"). A label alone
    /// ("Media advisory: ...") is the issuer's own title and stays.
    static let decoratedTitle = Rx(#"^"# + typeWords + #"\s*:\s*(.+?)\s*\[[^\]]{3,30}\]$"#, needs: [":"])
    static let wholeDate = Rx(#"^(?i:"# + DateParser.anyDatePattern + #")$"#, precheck: { DateParser.mayHoldMonthName($0) })

    static let bullet = Rx(#"^(?:[•▪·*]|-\s|–\s|—\s|\d{1,2}[.)]\s)"#, precheck: { Precheck.opensWith($0, oneOf: "•▪·*-–—") })
    /// Every match holds one of the `needs` words (each alternative of `typeWords` and "for
    /// immediate release" contains one): most date lines hold none, and `classify` then skips
    /// ICU's replace, a visible cost for every header line with a date.
    static let labelWords = Rx(#"for\s+immediate\s+release|"# + typeWords,
                               needs: ["release", "advisory", "presse", "einladung", "communiqu", "comunicado", "nota", "statement", "update"])
    /// A filing's label for the document ("EXHIBIT 99.1", "Anlage 2").
    static let documentLabel = Rx(#"^(?:exhibit|ex\.|annex|attachment|appendix|anlage|anhang|annexe|allegato|anexo)\s*[\d.-]+[a-z]?$"#)
    static let formField = Rx(#"^(?:who|what|when|where|why)\s*:"#, needs: [":"])

    enum Kind { case candidate, date, label, metadata, bullet }

    static func classify(_ text: String) -> Kind {
        let t = text.trimmed
        if bullet.test(t) { return .bullet }
        if metadata.test(t) { return .metadata }
        if wholeDate.test(t) { return .date }
        if let d = DateParser.first(in: t) {
            let residue = DateParser.residue(of: t, without: d)
            let residueWithoutLabels = labelWords.replace(residue, with: " ").squeezed
            if residueWithoutLabels.wordCount <= 3 { return .date }
        }
        if t.wordCount <= 6, typeLabel.test(t) || documentLabel.test(t) { return .label }
        if isLabelledFigure(t) { return .metadata }
        return .candidate
    }

    /// "Tempo di lettura stimato: 5'", "Views: 1,204": a label and a short value holding a figure,
    /// a page widget's line.
    static func isLabelledFigure(_ t: String) -> Bool {
        guard let colon = t.lastIndex(of: ":") else { return false }
        let value = t[t.index(after: colon)...]
        return value.split(separator: " ").count <= 2 && value.contains(where: \.isNumber) && t[..<colon].split(separator: " ").count <= 5
            && !t[..<colon].contains(where: \.isNumber)
    }

    /// The organization a "Communiqué LDH" / "Communiqué de la LDH." label names.
    static func labelIssuer(_ text: String) -> String? {
        guard let m = Self.labelIssuerPattern.match(text.trimmed),
              let org = m[1], !PersonName.isName(org) else { return nil }
        return org.trimmingEdges()
    }

    /// The title without a republisher's decoration (see `decoratedTitle`).
    static func undecorated(_ title: String) -> String {
        // A Markdown heading's marks ("# Title", "## Title ##").
        var title = title
        if title.hasPrefix("#"), let m = markdownHeading.match(title), let inner = m[1], inner.wordCount >= 2 { title = inner.trimmed }
        guard let m = decoratedTitle.match(title), let t = m[1], t.wordCount >= 3 else { return title }
        return t.trimmed
    }

    static let markdownHeading = Rx(#"^#{1,6}\s+(.+?)(?:\s+#+)?$"#)

    /// `true` when the text can be a headline: a title, not a sentence, a question to a
    /// form, a date or a list item.
    static func headlineEligible(_ text: String) -> Bool {
        let t = text.trimmed
        guard t.wordCount <= 45, t.wordCount >= 2 else { return false }
        if t.hasSuffix(":") { return false }
        if let last = t.last, ".".contains(last), !t.hasSuffix("Inc."), !t.hasSuffix("Co.") { return false }
        if QuoteParser.startsQuoted(t) { return false }
        if DateParser.first(in: t) != nil { return false }
        if formField.test(t) { return false }
        return true
    }

    /// `true` when the text can be a subheadline (deck): short, or a deck the page
    /// separates from the body with a metadata block.
    static func subheadlineEligible(_ text: String, followedByMetadata: Bool) -> Bool {
        let t = text.trimmed
        // A deck says something: three words or fewer are a page's link ("Scroll to top",
        // "Gabinete de prensa") or a label (a Japanese or Chinese line counts by its letters).
        if t.wordEquivalents < 4 { return false }
        if t.hasSuffix(":") || QuoteParser.startsQuoted(t) { return false }
        if isLabelledFigure(t) { return false }
        if formField.test(t) { return false }
        if followedByMetadata { return t.wordCount <= 80 }
        // A deck that reads as a full sentence is short; a longer sentence is the lead paragraph.
        if t.endsSentence { return t.wordCount <= 15 }
        return t.wordCount <= 30
    }

    /// The organization after a type label ("Communiqué de la LDH"). Built once: constructing an Rx per call looked its pattern up every time.
    private static let labelIssuerPattern = Rx(#"^(?:communiqué|comunicado|pressemitteilung|press\s+release|statement)\s+(?:de\s+la\s+|de\s+l’|de\s+|du\s+|der\s+|des\s+|from\s+|by\s+)?([\p{Lu}][\p{L}.’' -]{1,60}?)\.?$"#)
}
