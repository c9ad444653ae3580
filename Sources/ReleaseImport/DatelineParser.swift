import Foundation

/// Reads the dateline at the head of a release's first paragraph, in the shapes the
/// wires and newsrooms print:
///
/// - AP style: "WASHINGTON -", "BEIRUT, Lebanon, June 2 —", "TALLAHASSEE, FL –", "GREENSBORO, NC (April 15, 2019) –"
/// - Human Rights Watch: "(New York, February 4, 2011) -"
/// - wires: "HOUSTON, June 4, 2020 /PRNewswire/ --", "OTTAWA, Ontario--(BUSINESS WIRE)--",
///   "DARTMOUTH, Nova Scotia , June 25, 2024 (GLOBE NEWSWIRE) -- Issuer", "Köln (ots)"
/// - Spanish "Madrid.-", glued "BOSTON-Aug.19, 2008:University", Arabic "نيويورك، 12 أيلول/سبتمبر 2019 –"
/// - a French signature at the end: "Paris, le 25 novembre 2015"
enum DatelineParser {
    struct Dateline {
        /// The place as printed.
        var city: String
        /// The date when the dateline carries one with a year.
        var date: DateParser.Found?
        /// The paragraph's text after the dateline (may be empty).
        var rest: String
        /// Text a wire glued after its credit that names the issuer, not the body
        /// ("(GLOBE NEWSWIRE) -- Canada Foundation for Innovation").
        var issuer: String?
    }

    // A place: up to five capitalized words (any script without case counts as capitalized),
    // joined by spaces, hyphens or small connecting words.
    private static let word = #"(?:[\p{Lu}\p{Lo}][\p{L}\p{M}.'’]*(?:-[\p{L}\p{M}]+)*)"#
    private static let place = word + #"(?:\s+(?:and|&|de|del|la|le|upon|on|am|an|der|sur|en)?\s*"# + word + #"){0,4}"#
    private static let region = #"(?:\s*[,،]\s*[\p{Lu}][\p{L}.]*(?:\s+[\p{Lu}][\p{L}.]*)?\s*){0,2}"#
    private static let date = "(?i:" + DateParser.anyDatePattern + ")"
    /// A wire's credit: "/PRNewswire/", "(BUSINESS WIRE)", "(Marketwired - April 06, 2016)", "(ots)".
    private static let wire = #"(?:/\s*[A-Za-z0-9][^/\n]{1,39}?\s*/|\((?:[A-Z][A-Za-z ]*(?:WIRE|[Ww]ire)d?(?:\s*[-–,]\s*[^()]{1,40})?|ots|ost|dpa|afp|ap|reuters|kna|epd|apa|sda|ats|ansa|efe)\))"#
    // A plain hyphen separates only with spaces around it ("WASHINGTON - "), so hyphenated
    // words ("ARD-DeutschlandTrend", "Polizei- und") are not taken for datelines.
    private static let dash = #"(?:\s+-\s+|\s*(?:--|[–—])\s*|\.-\s*)"#

    static let parenthesized = Rx(#"^\(\s*("# + place + #")\s*(?:[,،]\s*[^)]{0,60})?\)\s*(?:--|[-–—])\s*(.*)$"#, caseInsensitive: false, needs: ["("])
    static let wired = Rx(#"^("# + place + #")"# + region + #"(?:[,،]?\s*("# + date + #"))?\s*(?:--|[-–—])?\s*("# + wire + #")\s*(?:--|[-–—])?\s*(.*)$"#, caseInsensitive: false, needs: ["/", "("], precheck: { Precheck.mayHoldWireCredit($0) && Precheck.mayOpenWiredDateline($0) })
    static let dashed = Rx(#"^("# + place + #")("# + region + #")(?:(?:[,،]\s*|"# + dash + #"|-|\s*\(\s*)("# + date + #")\s*\)?)?(?:"# + dash + #"|(?<=\d)\s*:\s*)(\S.*)$"#, caseInsensitive: false, needs: ["-", "–", "—", ":"], precheck: Precheck.mayOpenDashedDateline)
    static let signature = Rx(#"^("# + place + #")\s*[,،]\s*(?:le\s+|den\s+|el\s+|am\s+)?("# + date + #")\.?$"#, caseInsensitive: false, precheck: { DateParser.mayHoldMonthName($0) })

    /// Words that open a type label or a form field, never a place ("PRESS RELEASE - ...", "WHAT: ...").
    private static let notPlaces: Set<String> = [
        "press", "news", "media", "for", "release", "statement", "update", "contact", "contacts", "who", "what",
        "when", "where", "why", "date", "time", "location", "the", "a", "an", "by", "from", "to", "re", "subject",
        "communiqué", "comunicado", "pressemitteilung", "presseinformation", "note", "advisory", "embargoed",
        "expert", "communications", "photo", "source", "quelle", "ort", "termin", "mit", "joint", "report",
    ]

    /// The dateline at the start of `paragraph`, if it has one.
    static func parse(_ paragraph: String) -> Dateline? {
        let text = paragraph.trimmed
        if let m = parenthesized.match(text), let city = m[1] {
            return make(city: city, whole: text, rest: m[2] ?? "", dateSource: text)
        }
        if let m = wired.match(text), let city = m[1] {
            let rest = (m[4] ?? "").trimmed
            // The date may be inside the wire's credit ("(Marketwired - April 06, 2016)").
            let dateSource = m[2] ?? m[3] ?? ""
            // A short tail without a sentence end is the issuer the wire printed, not the body.
            if !rest.isEmpty, rest.wordCount <= 8, !rest.endsSentence, !rest.contains("“"), !rest.contains("\"") {
                var d = make(city: city, whole: text, rest: "", dateSource: dateSource)
                d?.issuer = rest
                return d
            }
            return make(city: city, whole: text, rest: rest, dateSource: dateSource)
        }
        if let m = dashed.match(text), let city = m[1] {
            var printed = city
            // "Washington, D.C." is the city's printed name, not city plus state.
            if let reg = m[2], reg.contains("D.C.") { printed = city + ", D.C." }
            return make(city: printed, whole: text, rest: m[4] ?? "", dateSource: m[3] ?? "")
        }
        return nil
    }

    /// A paragraph that is nothing but an all-capitals place ("WASHINGTON"), as some
    /// newswires print the dateline on its own line.
    static func parseStandalone(_ paragraph: String) -> Dateline? {
        let text = paragraph.trimmed
        guard text.wordCount <= 3, text.count >= 3,
              text == text.uppercased(), text.contains(where: { $0.isLetter }),
              !text.contains(where: { $0.isNumber || ":;!?".contains($0) }),
              !notPlaces.contains(text.lowercased().split(separator: " ").first.map(String.init) ?? "")
        else { return nil }
        // "BAAR, SWITZERLAND": the city is printed without its country or region.
        let city = text.hasSuffix("D.C.") ? text : String(text.split(separator: ",").first ?? Substring(text))
        return Dateline(city: city.trimmingEdges(), date: nil, rest: "", issuer: nil)
    }

    /// A closing signature such as "Paris, le 25 novembre 2015".
    static func parseSignature(_ paragraph: String) -> Dateline? {
        let text = paragraph.trimmed
        guard text.wordCount <= 8, let m = signature.match(text), let city = m[1] else { return nil }
        return make(city: city, whole: text, rest: "", dateSource: m[2] ?? "")
    }

    private static func make(city: String, whole: String, rest: String, dateSource: String) -> Dateline? {
        // Keep the closing point of an abbreviation that is part of the name ("Washington, D.C.").
        let c = city.hasSuffix("D.C.") ? city.trimmed : city.trimmingEdges(" ,.-–—")
        guard !c.isEmpty, c.wordCount <= 5 else { return nil }
        let first = c.lowercased().split(separator: " ").first.map(String.init) ?? ""
        guard !notPlaces.contains(first) else { return nil }
        let d = DateParser.first(in: dateSource)
        return Dateline(city: c, date: d, rest: rest.trimmed, issuer: nil)
    }
}
