import Mustache

// Keys of the listing pages for the templates, without reflection (see PageLayout+Mustache.swift).

extension ReleaseSummary: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "headline": headline
        case "subheadline": subheadline
        case "path": path
        case "organizationName": organizationName
        case "organizationPath": organizationPath
        case "date": date
        case "isoDate": isoDate
        case "dateline": dateline
        case "lang": lang
        case "dir": dir
        case "thumbnail": thumbnail
        default: nil
        }
    }
}

extension HomePage: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "layout": layout
        case "releases": releases
        case "hasReleases": hasReleases
        case "pagination": pagination
        default: nil
        }
    }
}

extension OrganizationPage: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "layout": layout
        case "name": self.name
        case "boilerplateHTML": boilerplateHTML
        case "website": website
        case "follow": follow
        case "contacts": contacts
        case "releases": releases
        case "hasReleases": hasReleases
        case "hasContacts": hasContacts
        case "hasFollow": hasFollow
        case "pagination": pagination
        case "logo": logo
        default: nil
        }
    }
}

extension LogoImage: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "src": src
        case "alt": alt
        case "width": width
        case "height": height
        default: nil
        }
    }
}

extension TopicPage: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "layout": layout
        case "name": self.name
        case "releases": releases
        case "hasReleases": hasReleases
        case "pagination": pagination
        default: nil
        }
    }
}

extension NotFoundPage: MustacheParent {
    func child(named name: String) -> Any? {
        name == "layout" ? layout : nil
    }
}
