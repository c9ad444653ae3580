import DatelineCore
import Foundation

/// The search page (`search.mustache`): the form, the results with their snippets, the facets
/// that narrow them, and what to try when nothing matched.
struct SearchPage {
    var layout: PageLayout
    var action = SearchURL.page
    /// The query as the reader typed it (cut to ``SearchQuery/maximumLength``).
    var query: String
    var hasQuery: Bool
    var summary: String
    var results: [Result]
    var hasResults: Bool
    var sortIsRelevance: Bool
    var relevancePath: String
    var newestPath: String
    var facets: [Facet]
    var hasFacets: Bool
    /// Active filters, each with the search without it; kept as hidden fields by the form.
    var filters: [Filter]
    var hasFilters: Bool
    var suggestions: [Link]
    var hasSuggestions: Bool
    /// The search matched too much to be answered in time (the summary says to narrow it).
    var isTooBroad = false
    var previousPath: String?
    var nextPath: String?
    var pageLabel: String?
    var jsonPath: String

    struct Result {
        var headline: String
        var path: String
        var organizationName: String
        var organizationPath: String
        var date: String
        var isoDate: String
        var languageName: String
        var lang: String
        var dir: String
        var snippet: [SnippetPart]
    }

    struct SnippetPart {
        var text: String
        var isMatch: Bool
    }

    struct Facet {
        var name: String
        var values: [Link]
    }

    struct Filter {
        var name: String
        var value: String
        var label: String
        var removePath: String
    }

    struct Link {
        var label: String
        var count: Int?
        var path: String
    }
}

extension SearchPage {
    init(settings: Settings, parameters: SearchParameters, results: SearchResults?) {
        let typed = parameters.q.trimmingCharacters(in: .whitespaces)
        layout = PageLayout(settings: settings, title: typed.isEmpty ? "Search" : "Search: \(typed.prefix(80))", description: "Search the press releases on \(settings.siteName).")
        query = parameters.q
        hasQuery = results != nil
        let results = results
        var filters: [Filter] = []
        if let organization = parameters.organization {
            let name = results?.facets.organizations.first { $0.value == organization.rawValue }?.label ?? organization.rawValue
            filters.append(Filter(name: "organization", value: organization.rawValue, label: "Organization: \(name)", removePath: parameters.with { $0.organization = nil }.path()))
        }
        if let topic = parameters.topic {
            let name = results?.facets.topics.first { $0.value == topic.rawValue }?.label ?? topic.rawValue
            filters.append(Filter(name: "topic", value: topic.rawValue, label: "Topic: \(name)", removePath: parameters.with { $0.topic = nil }.path()))
        }
        if let language = parameters.language {
            filters.append(Filter(name: "language", value: language.rawValue, label: "Language: \(ReleaseSearch.languageName(language.rawValue))", removePath: parameters.with { $0.language = nil }.path()))
        }
        if let year = parameters.year {
            filters.append(Filter(name: "year", value: String(year), label: "Year: \(year)", removePath: parameters.with { $0.year = nil }.path()))
        }
        if parameters.sort != .relevance { filters.append(Filter(name: "sort", value: parameters.sort.rawValue, label: "", removePath: "")) }
        self.filters = filters
        hasFilters = filters.contains { !$0.label.isEmpty }
        sortIsRelevance = parameters.sort == .relevance
        relevancePath = parameters.with { $0.sort = .relevance }.path()
        newestPath = parameters.with { $0.sort = .newest }.path()
        jsonPath = parameters.path(json: true)

        self.results = (results?.hits ?? []).map { hit in
            Result(
                headline: hit.headline, path: SiteURL.release(hit.slug).path, organizationName: hit.organizationName,
                organizationPath: SiteURL.organization(hit.organizationSlug).path,
                date: ReleaseDate.long(hit.releasedAt, language: .english, timeZone: hit.timeZone),
                isoDate: ReleaseDate.machine(hit.releasedAt, timeZone: hit.timeZone),
                languageName: ReleaseSearch.languageName(hit.language.rawValue), lang: hit.language.rawValue, dir: hit.language.direction,
                snippet: hit.snippet.parts.map { SnippetPart(text: $0.text, isMatch: $0.isMatch) }
            )
        }
        hasResults = !self.results.isEmpty
        guard let results else {
            summary = ""
            facets = []
            hasFacets = false
            suggestions = []
            hasSuggestions = false
            return
        }
        let count = results.total == 1 ? "1 release matches" : "\(results.total.formatted()) releases match"
        summary = results.isTooBroad
            ? "“\(results.query.text)” matches too much of the archive to be answered at once. Add a word, or choose an organization, language or year."
            : results.isCapped
            ? "More than \(results.total.formatted()) releases match; the newest \(results.total.formatted()) are counted and shown. Add words or choose a facet to narrow the search."
            : results.total == 0 ? "No releases match “\(results.query.text)”." : "\(count) “\(results.query.text)”."
        func links(_ counts: [FacetCount], _ change: @escaping (inout SearchParameters, String) -> Void) -> [Link] {
            counts.map { count in Link(label: count.label, count: count.count, path: parameters.with { change(&$0, count.value) }.path()) }
        }
        var facets: [Facet] = []
        if parameters.organization == nil, !results.facets.organizations.isEmpty {
            facets.append(Facet(name: "Organization", values: links(results.facets.organizations) { $0.organization = Slug(validating: $1) }))
        }
        if parameters.topic == nil, !results.facets.topics.isEmpty {
            facets.append(Facet(name: "Topic", values: links(results.facets.topics) { $0.topic = Slug(validating: $1) }))
        }
        if parameters.language == nil, !results.facets.languages.isEmpty {
            facets.append(Facet(name: "Language", values: links(results.facets.languages) { $0.language = LanguageTag($1) }))
        }
        if parameters.year == nil, !results.facets.years.isEmpty {
            facets.append(Facet(name: "Year", values: links(results.facets.years) { $0.year = Int($1) }))
        }
        self.facets = facets
        hasFacets = !facets.isEmpty
        var suggestions: [Link] = []
        isTooBroad = results.isTooBroad
        if results.total == 0, !results.isTooBroad {
            if parameters.hasFilters {
                suggestions.append(Link(label: "Search all releases for “\(results.query.text)”, without filters", count: nil, path: parameters.with {
                    $0.organization = nil; $0.topic = nil; $0.language = nil; $0.year = nil
                }.path()))
            }
            if let wider = results.query.widened {
                suggestions.append(Link(label: "Search for any of the words: \(wider.text)", count: nil, path: parameters.with { $0.q = wider.text }.path()))
            }
        }
        self.suggestions = suggestions
        hasSuggestions = !suggestions.isEmpty
        if results.page > 1 { previousPath = parameters.withPage(results.page - 1).path() }
        if results.page < results.pageCount { nextPath = parameters.withPage(results.page + 1).path() }
        if results.pageCount > 1 { pageLabel = "Page \(results.page) of \(results.pageCount)" }
    }
}

extension SearchParameters {
    func withPage(_ page: Int) -> SearchParameters {
        var copy = self
        copy.page = page
        return copy
    }
}
