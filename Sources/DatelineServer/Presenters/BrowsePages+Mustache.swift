import Mustache

// Keys of the browse pages for the templates, without reflection (see PageLayout+Mustache.swift).

extension DirectoryEntry: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "name": self.name
        case "path": path
        case "count": count
        case "latest": latest
        case "latestISO": latestISO
        case "nativeName": nativeName
        case "lang": lang
        case "dir": dir
        case "feeds": feeds
        default: nil
        }
    }
}

extension DirectoryLetter: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "letter": letter
        case "anchor": anchor
        case "entries": entries
        default: nil
        }
    }
}

extension DirectoryPage: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "layout": layout
        case "heading": heading
        case "introduction": introduction
        case "letters": letters
        case "hasEntries": hasEntries
        case "showsLetterBar": showsLetterBar
        default: nil
        }
    }
}

extension ArchiveLink: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "label": label
        case "path": path
        case "count": count
        case "isCurrent": isCurrent
        default: nil
        }
    }
}

extension ArchivePage: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "layout": layout
        case "heading": heading
        case "trail": trail
        case "hasTrail": hasTrail
        case "years": years
        case "months": months
        case "hasMonths": hasMonths
        case "releases": releases
        case "hasReleases": hasReleases
        case "listsReleases": listsReleases
        case "pagination": pagination
        default: nil
        }
    }
}

extension LanguagePage: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "layout": layout
        case "name": self.name
        case "nativeName": nativeName
        case "lang": lang
        case "dir": dir
        case "releases": releases
        case "hasReleases": hasReleases
        case "pagination": pagination
        default: nil
        }
    }
}
