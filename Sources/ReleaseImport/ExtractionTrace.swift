import Foundation

/// Where the extraction found what it found: the structural evidence behind each field, which
/// `FieldConfidence` turns into how often such a field is right. Not part of the JSON.
struct ExtractionTrace: Sendable, Equatable {
    enum HeadlineSource: String, Sendable { case none, pageDeclared, pageHeading, pageMeta, beforeDateline, header }
    enum DateSource: String, Sendable { case none, sourceLine, dateline, header, furniture, signature, pageMeta }
    enum CitySource: String, Sendable { case none, dateline, signature, pageHeader }

    /// The input was a web page.
    var isPage = false
    var headline: HeadlineSource = .none
    var date: DateSource = .none
    var city: CitySource = .none
    /// `<html lang>` or the page's metadata named the language.
    var languageDeclared = false
    /// Words the language was detected from (counted up to 200).
    var languageWords = 0
    /// How well the clues supported the issuer (`IssuerFinder.Finding.support`).
    var issuerSupport = 0.0
    var issuerAgreeing = 0
    /// The boilerplate came under an "About X" heading.
    var aboutHeading = false
    /// A dateline opened the body.
    var bodyAfterDateline = false
    /// An end mark ("###", "-30-", a wire's SOURCE line) closed the release.
    var endMark = false

    /// The evidence level of each field, as the keys of `ConfidenceTable` name them.
    func levels(of r: ImportedRelease) -> [String: String] {
        let kind = isPage ? "page" : "text"
        var l: [String: String] = [:]
        l["headline"] = headline.rawValue
        l["subheadline"] = "\(kind)-" + (r.subheadline == nil ? "none" : "found")
        l["release_timing"] = r.releaseTiming?.rawValue ?? "unstated"
        l["embargo_until"] = r.embargoUntil == nil ? (r.releaseTiming == .embargoed ? "unresolved" : "none") : (r.embargoUncertain ? "doubt" : "sure")
        l["dateline_city"] = city.rawValue
        l["date"] = date.rawValue
        l["language"] = languageDeclared ? "declared" : languageWords >= 150 ? "long" : "short"
        l["issuer"] = r.issuer == nil ? "none" : issuerSupport >= 6 ? "strong" : issuerAgreeing >= 2 ? "agreed" : issuerSupport >= 2.5 ? "single" : "weak"
        let named = r.contacts.filter { $0.name != nil }
        l["contacts"] = r.contacts.isEmpty ? "none" : named.count == r.contacts.count && named.allSatisfy { $0.email != nil || $0.phone != nil } ? "complete" : "partial"
        l["quotes"] = r.quotes.isEmpty ? "none" : r.quotes.allSatisfy { $0.speaker != nil } ? "attributed" : "partial"
        l["body"] = "\(kind)-" + (bodyAfterDateline ? "dateline" : "nodateline") + (endMark ? "-ended" : "")
        l["boilerplate"] = r.boilerplate == nil ? "none" : aboutHeading ? "about" : "unheaded"
        l["statement_url"] = r.statementURL == nil ? "none" : r.hasStatementLine ? "line" : "other"
        return l
    }
}
