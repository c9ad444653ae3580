import DatelineCore
import Foundation

/// Search's public addresses (beside ``SiteURL``, which makes every other one).
enum SearchURL {
    static let page = "/search"
    static let json = "/search.json"
    /// The OpenSearch 1.1 description document.
    static let openSearch = "/opensearch.xml"
}

/// How results are ordered.
enum SearchSort: String, Sendable {
    case relevance, newest
}

/// A search as its address gives it: `/search?q=…&sort=newest|relevance&organization=SLUG&
/// topic=SLUG&language=TAG&year=YYYY&page=N` (and the same for `/search.json`). Values that do
/// not read (an unknown sort, a year of letters, a page of zero) count as absent, so any address
/// answers a page.
struct SearchParameters: Equatable, Sendable {
    var q: String = ""
    var sort: SearchSort = .relevance
    var organization: Slug?
    var topic: Slug?
    var language: LanguageTag?
    var year: Int?
    var page: Int = 1

    init() {}

    /// Reads a raw query string (`application/x-www-form-urlencoded`: `+` is a space, as an
    /// HTML form's GET sends it). Repeated parameters: the first counts.
    init(query: String?) {
        var values: [String: String] = [:]
        for pair in (query ?? "").split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = Self.decode(parts[0])
            if values[key] == nil { values[key] = parts.count > 1 ? Self.decode(parts[1]) : "" }
        }
        q = String((values["q"] ?? "").prefix(SearchQuery.maximumLength))
        sort = values["sort"].flatMap(SearchSort.init(rawValue:)) ?? .relevance
        organization = values["organization"].flatMap { $0.isEmpty ? nil : Slug(validating: $0) }
        topic = values["topic"].flatMap { $0.isEmpty ? nil : Slug(validating: $0) }
        language = values["language"].flatMap { $0.isEmpty || $0.count > 35 ? nil : LanguageTag($0) }
        year = values["year"].flatMap { Int($0) }.flatMap { (1000...9999).contains($0) ? $0 : nil }
        page = values["page"].flatMap { Int($0) }.flatMap { (1...PublicReleases.maximumPage).contains($0) ? $0 : nil } ?? 1
    }

    private static func decode(_ text: Substring) -> String {
        let spaced = text.replacingOccurrences(of: "+", with: " ")
        return spaced.removingPercentEncoding ?? spaced
    }

    /// Whether any facet narrows the search.
    var hasFilters: Bool { organization != nil || topic != nil || language != nil || year != nil }

    /// The address of this search: `/search` or `/search.json`, parameters in a fixed order,
    /// defaults left out.
    func path(json: Bool = false) -> String {
        var items: [(String, String)] = []
        if !q.isEmpty { items.append(("q", q)) }
        if sort != .relevance { items.append(("sort", sort.rawValue)) }
        if let organization { items.append(("organization", organization.rawValue)) }
        if let topic { items.append(("topic", topic.rawValue)) }
        if let language { items.append(("language", language.rawValue)) }
        if let year { items.append(("year", String(year))) }
        if page > 1 { items.append(("page", String(page))) }
        let base = json ? SearchURL.json : SearchURL.page
        return items.isEmpty ? base : base + "?" + items.map { "\($0.0)=\(SiteURL.encodeQueryValue($0.1))" }.joined(separator: "&")
    }

    /// A copy changed by `change`, back on the first page.
    func with(_ change: (inout SearchParameters) -> Void) -> SearchParameters {
        var copy = self
        change(&copy)
        copy.page = 1
        return copy
    }
}
