import DatelineCore
import Foundation
import Syndication

/// Turns public releases into the values every syndication format is built from, so that
/// pages, feeds and agency formats agree on URLs, ids and body HTML.
struct ReleaseRepresentations {
    let settings: Settings

    func entry(_ release: Release) -> FeedEntry {
        FeedEntry(
            release: release,
            url: SiteURL.release(release.slug).absolute(base: settings.baseURL),
            contentHTML: MarkdownRenderer.html(from: release.body),
            id: ReleaseEntryID.tag(release: release, base: settings.baseURL),
            mediaURLs: Dictionary(
                release.media.flatMap(\.renditions).map { ($0.id, SiteURL.media($0).absolute(base: settings.baseURL)) },
                uniquingKeysWith: { first, _ in first }
            )
        )
    }

    func ninjs(_ release: Release) -> NinjsDocument {
        NinjsDocument(
            entry: entry(release),
            boilerplateHTML: release.organization.boilerplate.map(MarkdownRenderer.html(from:)),
            topicURLs: Dictionary(uniqueKeysWithValues: release.topics.map { ($0.slug.rawValue, SiteURL.topic($0.slug).absolute(base: settings.baseURL)) })
        )
    }

    func jsonLD(_ release: Release) throws -> String {
        try NewsArticleJSONLD(entry: entry(release), siteName: settings.siteName, siteURL: SiteURL.home().absolute(base: settings.baseURL)).scriptContent()
    }
}

/// Permanent identifiers of releases in feeds and agency formats.
enum ReleaseEntryID {
    /// A `tag:` URI (RFC 4151) minted from the site's host, the year of first publication and
    /// the release's random id: neither a new headline nor a new slug changes it (RFC 4287 §4.2.6).
    static func tag(release: Release, base: URL) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let year = calendar.component(.year, from: release.publishedAt ?? release.releasedAt)
        return "tag:\(base.host ?? "localhost"),\(year):release:\(release.id.rawValue)"
    }
}
