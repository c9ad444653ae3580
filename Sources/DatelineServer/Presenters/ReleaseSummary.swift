import DatelineCore
import Foundation

/// A release as one item of a listing (home, organization, topic pages).
struct ReleaseSummary {
    var headline: String
    var subheadline: String?
    var path: String
    var organizationName: String
    var organizationPath: String
    var date: String
    var isoDate: String
    var dateline: String?
    var lang: String
    var dir: String
    /// The lead image's narrowest renditions, when the release has one.
    var thumbnail: ThumbnailView?

    init(_ release: ListedRelease) {
        headline = release.headline
        subheadline = release.subheadline
        path = SiteURL.release(release.slug).path
        organizationName = release.organizationName
        organizationPath = SiteURL.organization(release.organizationSlug).path
        date = ReleaseDate.long(release.releasedAt, language: release.language, timeZone: release.timeZone)
        isoDate = ReleaseDate.machine(release.releasedAt, timeZone: release.timeZone)
        dateline = release.dateline?.printed
        lang = release.language.rawValue
        dir = release.language.direction
        thumbnail = ThumbnailView(release.leadImage)
    }
}

/// The home page: the latest releases.
// Mustache reads stored properties only (through Mirror), so the `has…` flags are stored too.

struct HomePage {
    var layout: PageLayout
    var releases: [ReleaseSummary]
    var hasReleases: Bool
    var pagination: Pagination

    init(layout: PageLayout, releases: [ReleaseSummary], pagination: Pagination) {
        self.layout = layout
        self.releases = releases
        hasReleases = !releases.isEmpty
        self.pagination = pagination
    }
}

/// An organization's newsroom page: profile, contacts, releases.
struct OrganizationPage {
    var layout: PageLayout
    var name: String
    var boilerplateHTML: String?
    var website: String?
    var follow: [FollowLink]
    var contacts: [ContactCard]
    var releases: [ReleaseSummary]
    var hasReleases: Bool
    var hasContacts: Bool
    var hasFollow: Bool
    var pagination: Pagination
    /// The organization's logo, when an admin set one.
    var logo: LogoImage? = nil

    init(layout: PageLayout, name: String, boilerplateHTML: String?, website: String?, follow: [FollowLink], contacts: [ContactCard], releases: [ReleaseSummary], pagination: Pagination) {
        self.layout = layout
        self.name = name
        self.boilerplateHTML = boilerplateHTML
        self.website = website
        self.follow = follow
        self.contacts = contacts
        self.releases = releases
        hasReleases = !releases.isEmpty
        hasContacts = !contacts.isEmpty
        hasFollow = !follow.isEmpty
        self.pagination = pagination
    }
}

/// An organization's logo as a page shows it: its widest JPEG, with its size and alt text.
struct LogoImage {
    var src: String
    var alt: String
    var width: Int
    var height: Int

    init?(_ media: ReleaseMedia?) {
        guard let media, let file = media.primary, media.kind == .image else { return nil }
        src = SiteURL.media(file).path
        alt = media.alt
        width = file.width ?? 0
        height = file.height ?? 0
    }
}

/// A topic page: the releases filed under it.
struct TopicPage {
    var layout: PageLayout
    var name: String
    var releases: [ReleaseSummary]
    var hasReleases: Bool
    var pagination: Pagination

    init(layout: PageLayout, name: String, releases: [ReleaseSummary], pagination: Pagination) {
        self.layout = layout
        self.name = name
        self.releases = releases
        hasReleases = !releases.isEmpty
        self.pagination = pagination
    }
}

/// The page for an unknown address.
struct NotFoundPage {
    var layout: PageLayout
}
