import DatelineCore
import Foundation
import Hummingbird

/// `/search.json`'s document (docs/search.md).
struct SearchJSON: Encodable {
    struct Organization: Encodable { var name: String; var slug: String; var url: String }
    struct Result: Encodable {
        var headline: String
        var subheadline: String?
        var url: String
        var organization: Organization
        var date: Date
        var language: String
        /// HTML: text escaped, matched words in `<mark>`.
        var snippet: String
        var snippetText: String
    }
    struct Value: Encodable { var value: String; var label: String; var count: Int; var url: String }
    struct Facets: Encodable { var organization: [Value]; var topic: [Value]; var language: [Value]; var year: [Value] }

    var query: String
    var sort: String
    var filters: [String: String]
    var total: Int
    var totalIsLowerBound: Bool
    /// The search matched too much of the archive to be answered in the time allowed: narrow it.
    var tooBroad: Bool
    var page: Int
    var pages: Int
    var results: [Result]
    var facets: Facets
    var next: String?
    var previous: String?

    init(parameters: SearchParameters, results: SearchResults?, base: URL) {
        let root = base.absoluteString
        query = parameters.q
        sort = parameters.sort.rawValue
        var filters: [String: String] = [:]
        if let organization = parameters.organization { filters["organization"] = organization.rawValue }
        if let topic = parameters.topic { filters["topic"] = topic.rawValue }
        if let language = parameters.language { filters["language"] = language.rawValue }
        if let year = parameters.year { filters["year"] = String(year) }
        self.filters = filters
        total = results?.total ?? 0
        totalIsLowerBound = results?.isCapped ?? false
        tooBroad = results?.isTooBroad ?? false
        page = parameters.page
        pages = results?.pageCount ?? 0
        self.results = (results?.hits ?? []).map { hit in
            Result(
                headline: hit.headline, subheadline: hit.subheadline, url: SiteURL.release(hit.slug).absoluteString(base: base),
                organization: Organization(name: hit.organizationName, slug: hit.organizationSlug.rawValue, url: SiteURL.organization(hit.organizationSlug).absoluteString(base: base)),
                date: hit.releasedAt, language: hit.language.rawValue, snippet: hit.snippet.html, snippetText: hit.snippet.plainText
            )
        }
        func values(_ counts: [FacetCount], _ change: @escaping (inout SearchParameters, String) -> Void) -> [Value] {
            counts.map { count in Value(value: count.value, label: count.label, count: count.count, url: root + parameters.with { change(&$0, count.value) }.path(json: true)) }
        }
        let facets = results?.facets ?? SearchFacets()
        self.facets = Facets(
            organization: values(facets.organizations) { $0.organization = Slug(validating: $1) },
            topic: values(facets.topics) { $0.topic = Slug(validating: $1) },
            language: values(facets.languages) { $0.language = LanguageTag($1) },
            year: values(facets.years) { $0.year = Int($1) }
        )
        if let results, results.page < results.pageCount { next = root + parameters.withPage(results.page + 1).path(json: true) }
        if let results, results.page > 1 { previous = root + parameters.withPage(results.page - 1).path(json: true) }
    }
}
