import DatelineCore
import Foundation

/// One entry of a directory page (an organization, a topic, a language): its page and its feeds.
struct DirectoryEntry {
    var name: String
    var path: String
    /// "12 releases", for organizations; nil elsewhere.
    var count: String?
    /// The newest release's date, for organizations.
    var latest: String?
    var latestISO: String?
    /// The name in the language itself ("français"), for languages whose name differs.
    var nativeName: String?
    /// `lang` and `dir` of `nativeName`.
    var lang: String?
    var dir: String?
    var feeds: [AlternateLink]
}

/// The entries of a directory under one initial, with the anchor the A–Z bar links to.
struct DirectoryLetter {
    var letter: String
    var anchor: String
    var entries: [DirectoryEntry]

    /// `entries` grouped by the first letter of their names, in the entries' order; names that
    /// start with anything but a letter go under "#".
    static func grouped(_ entries: [DirectoryEntry]) -> [DirectoryLetter] {
        var letters: [DirectoryLetter] = []
        for entry in entries {
            // "Église" is filed under E, as a reader looks for it.
            let first = entry.name.first.map { $0.isLetter ? String($0).folding(options: .diacriticInsensitive, locale: nil).uppercased() : "#" } ?? "#"
            if letters.last?.letter == first {
                letters[letters.count - 1].entries.append(entry)
            } else if let index = letters.firstIndex(where: { $0.letter == first }) {
                letters[index].entries.append(entry)
            } else {
                letters.append(DirectoryLetter(letter: first, anchor: "letter-\(letters.count + 1)", entries: [entry]))
            }
        }
        return letters
    }
}

/// `/organizations`, `/topics` and `/languages`: every entry with a listed release, A–Z.
struct DirectoryPage {
    var layout: PageLayout
    var heading: String
    var introduction: String
    var letters: [DirectoryLetter]
    var hasEntries: Bool
    /// Whether the page has an A–Z bar (long directories).
    var showsLetterBar: Bool

    init(layout: PageLayout, heading: String, introduction: String, entries: [DirectoryEntry], letterBar: Bool) {
        self.layout = layout
        self.heading = heading
        self.introduction = introduction
        letters = DirectoryLetter.grouped(entries)
        hasEntries = !entries.isEmpty
        showsLetterBar = letterBar && letters.count > 1
    }
}

extension DirectoryEntry {
    init(_ organization: DirectoryOrganization) {
        name = organization.name
        path = SiteURL.organization(organization.slug).path
        count = organization.releaseCount == 1 ? "1 release" : "\(organization.releaseCount) releases"
        latest = ReleaseDate.long(organization.latest, language: .english, timeZone: ArchiveCalendar.utc.timeZone)
        latestISO = ReleaseDate.machine(organization.latest, timeZone: ArchiveCalendar.utc.timeZone)
        feeds = AlternateLink.visibleFeeds(.organization(organization.slug))
    }

    init(topic slug: Slug, name: String) {
        self.name = name
        path = SiteURL.topic(slug).path
        feeds = AlternateLink.visibleFeeds(.topic(slug))
    }

    init(language tag: LanguageTag) {
        name = LanguageNames.english(tag)
        let native = LanguageNames.native(tag)
        if native != name {
            nativeName = native
            lang = tag.rawValue
            dir = tag.direction
        }
        path = SiteURL.language(tag).path
        feeds = AlternateLink.visibleFeeds(.language(tag))
    }
}

/// Languages' names from the locale data Foundation carries (ICU/CLDR).
enum LanguageNames {
    /// "French" for `fr`; the tag itself when the locale data has no name for it.
    static func english(_ tag: LanguageTag) -> String {
        Locale(identifier: "en").localizedString(forIdentifier: tag.rawValue) ?? tag.rawValue
    }

    /// "français" for `fr`: the name in the language itself.
    static func native(_ tag: LanguageTag) -> String {
        Locale(identifier: tag.rawValue).localizedString(forIdentifier: tag.rawValue) ?? english(tag)
    }
}

/// A link of the archive's navigation: a year, or a month with its count.
struct ArchiveLink {
    var label: String
    var path: String?
    /// "31 releases", for months.
    var count: String?
    var isCurrent: Bool
}

/// `/archive`, `/archive/<year>` and `/archive/<year>/<month>`: the years, the months of the
/// year shown with their counts, and that period's releases, newest first.
struct ArchivePage {
    var layout: PageLayout
    var heading: String
    /// "Archive" and, on a month's page, its year: the way back up.
    var trail: [ArchiveLink]
    var hasTrail: Bool
    var years: [ArchiveLink]
    var months: [ArchiveLink]
    var hasMonths: Bool
    var releases: [ReleaseSummary]
    var hasReleases: Bool
    /// Whether the page lists releases (a year or a month), or only the years (`/archive`).
    var listsReleases: Bool
    var pagination: Pagination?

    init(layout: PageLayout, heading: String, trail: [ArchiveLink], years: [ArchiveLink], months: [ArchiveLink], releases: [ReleaseSummary], listsReleases: Bool, pagination: Pagination?) {
        self.layout = layout
        self.heading = heading
        self.trail = trail
        hasTrail = !trail.isEmpty
        self.years = years
        self.months = months
        hasMonths = !months.isEmpty
        self.releases = releases
        hasReleases = !releases.isEmpty
        self.listsReleases = listsReleases
        self.pagination = pagination
    }
}

/// A language's page: its releases, newest first, and its feeds.
struct LanguagePage {
    var layout: PageLayout
    var name: String
    var nativeName: String?
    /// `lang` and `dir` of `nativeName`.
    var lang: String
    var dir: String
    var releases: [ReleaseSummary]
    var hasReleases: Bool
    var pagination: Pagination

    init(layout: PageLayout, name: String, nativeName: String?, tag: LanguageTag, releases: [ReleaseSummary], pagination: Pagination) {
        self.layout = layout
        self.name = name
        self.nativeName = nativeName
        lang = tag.rawValue
        dir = tag.direction
        self.releases = releases
        hasReleases = !releases.isEmpty
        self.pagination = pagination
    }
}
