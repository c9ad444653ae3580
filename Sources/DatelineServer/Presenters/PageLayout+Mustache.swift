import Mustache

// Templates read these contexts through `child(named:)` instead of Mirror reflection: one switch
// per key instead of a mirror of the whole struct per lookup. Each case returns the stored
// property of that name as it is; an Optional converts to `Any?`, so nil lets Mustache look
// further up the context stack, as it does for a nil property read through Mirror.
// `MustacheContextTests` checks that every stored property has its case.

extension PageLayout: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "siteName": siteName
        case "title": title
        case "description": description
        case "lang": lang
        case "dir": dir
        case "canonicalURL": canonicalURL
        case "stylesheetPath": stylesheetPath
        case "homePath": homePath
        case "siteFeedPath": siteFeedPath
        case "feeds": feeds
        case "followFeeds": followFeeds
        case "hasFollowFeeds": hasFollowFeeds
        case "alternates": alternates
        case "meta": meta
        case "jsonLD": jsonLD
        case "showSignUp": showSignUp
        case "newsroom": newsroom
        default: nil
        }
    }
}

extension AlternateLink: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "title": title
        case "type": type
        case "href": href
        default: nil
        }
    }
}

extension MetaTag: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "attribute": attribute
        case "key": key
        case "content": content
        default: nil
        }
    }
}

extension Pagination: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "previousPath": previousPath
        case "nextPath": nextPath
        case "isPaginated": isPaginated
        default: nil
        }
    }
}
