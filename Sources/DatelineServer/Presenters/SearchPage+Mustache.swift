import Mustache

// Keys of the search page for the templates, without reflection (see PageLayout+Mustache.swift).

extension SearchPage: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "layout": layout
        case "action": action
        case "query": query
        case "hasQuery": hasQuery
        case "summary": summary
        case "results": results
        case "hasResults": hasResults
        case "sortIsRelevance": sortIsRelevance
        case "relevancePath": relevancePath
        case "newestPath": newestPath
        case "facets": facets
        case "hasFacets": hasFacets
        case "filters": filters
        case "hasFilters": hasFilters
        case "suggestions": suggestions
        case "hasSuggestions": hasSuggestions
        case "isTooBroad": isTooBroad
        case "previousPath": previousPath
        case "nextPath": nextPath
        case "pageLabel": pageLabel
        case "jsonPath": jsonPath
        default: nil
        }
    }
}

extension SearchPage.Result: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "headline": headline
        case "path": path
        case "organizationName": organizationName
        case "organizationPath": organizationPath
        case "date": date
        case "isoDate": isoDate
        case "languageName": languageName
        case "lang": lang
        case "dir": dir
        case "snippet": snippet
        default: nil
        }
    }
}

extension SearchPage.SnippetPart: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "text": text
        case "isMatch": isMatch
        default: nil
        }
    }
}

extension SearchPage.Facet: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "name": self.name
        case "values": values
        default: nil
        }
    }
}

extension SearchPage.Filter: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "name": self.name
        case "value": value
        case "label": label
        case "removePath": removePath
        default: nil
        }
    }
}

extension SearchPage.Link: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "label": label
        case "count": count
        case "path": path
        default: nil
        }
    }
}

extension OpenSearchDescription: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "shortName": shortName
        case "siteName": siteName
        case "htmlTemplate": htmlTemplate
        case "jsonTemplate": jsonTemplate
        case "selfURL": selfURL
        default: nil
        }
    }
}
