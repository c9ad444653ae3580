import Foundation

/// How likely each extracted field is right, between 0 and 1: the `confidence` object that
/// `import --json` prints beside the fields (its keys are the fields' own).
///
/// Each field's value is the share of fields with the same structural evidence (where the
/// headline stood, what named the issuer, whether a dateline opened the body: `ExtractionTrace`)
/// that were right on the held-out part of the handed corpora, the releases the rules were not
/// written from, as `ConfidenceTable` holds it (bench/import-confidence-fit.py writes that table). A field printed as null has a confidence
/// too: that it is rightly null. The newsroom marks fields below `checkThreshold` for a person to check.
public struct FieldConfidence: Codable, Sendable, Equatable {
    public var headline = 0.0
    public var subheadline = 0.0
    public var releaseTiming = 0.0
    public var embargoUntil = 0.0
    public var datelineCity = 0.0
    public var date = 0.0
    public var language = 0.0
    public var issuer = 0.0
    public var contacts = 0.0
    public var quotes = 0.0
    public var body = 0.0
    public var boilerplate = 0.0
    public var statementURL = 0.0

    /// Below this, a field is shown to the communicator as one to check.
    public static let checkThreshold = 0.8

    public init() {}

    enum CodingKeys: String, CodingKey {
        case headline, subheadline, date, language, issuer, contacts, quotes, body, boilerplate
        case releaseTiming = "release_timing"
        case embargoUntil = "embargo_until"
        case datelineCity = "dateline_city"
        case statementURL = "statement_url"
    }

    /// The fields, by their JSON keys, in sorted key order.
    public var byKey: [(key: String, value: Double)] {
        [("body", body), ("boilerplate", boilerplate), ("contacts", contacts), ("date", date),
         ("dateline_city", datelineCity), ("embargo_until", embargoUntil), ("headline", headline),
         ("issuer", issuer), ("language", language), ("quotes", quotes), ("release_timing", releaseTiming),
         ("statement_url", statementURL), ("subheadline", subheadline)]
    }

    /// The JSON keys of the fields below `checkThreshold`.
    public var doubtful: Set<String> {
        Set(byKey.filter { $0.value < Self.checkThreshold }.map(\.key))
    }

    /// Looks each field's evidence level up in `ConfidenceTable`; a level the table lacks gets
    /// the field's rate over all levels. Values are rounded to two decimals.
    static func assess(_ levels: [String: String]) -> FieldConfidence {
        func p(_ key: String) -> Double {
            let level = levels[key] ?? ""
            let value = min(max(ConfidenceTable.rates[key]?[level] ?? ConfidenceTable.fieldRates[key] ?? 0.5, 0.02), 0.99)
            return (value * 100).rounded() / 100
        }
        var c = FieldConfidence()
        c.headline = p("headline")
        c.subheadline = p("subheadline")
        c.releaseTiming = p("release_timing")
        c.embargoUntil = p("embargo_until")
        c.datelineCity = p("dateline_city")
        c.date = p("date")
        c.language = p("language")
        c.issuer = p("issuer")
        c.contacts = p("contacts")
        c.quotes = p("quotes")
        c.body = p("body")
        c.boilerplate = p("boilerplate")
        c.statementURL = p("statement_url")
        return c
    }
}
