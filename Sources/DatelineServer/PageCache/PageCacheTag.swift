import Foundation

/// What a cached public response depends on. A change records the tags of what it changed
/// (``PageCacheInvalidation/record(_:on:)``), and every cache drops the entries that carry one.
///
/// Written into `page_cache_invalidations.tags` space-separated, so a tag holds no space (slugs
/// are letters, digits and hyphens).
struct PageCacheTag: Hashable, Sendable, CustomStringConvertible {
    let rawValue: String

    init(rawValue: String) { self.rawValue = rawValue }

    /// Drops every entry: for changes whose reach is not worth working out (an organization's
    /// profile or contacts, shown on its releases' pages and in every listing).
    static let everything = PageCacheTag(rawValue: "*")
    /// Every response that lists releases: home, organization and topic pages, every feed, the
    /// sitemaps and the ninjs list. A release that is published, lifted, corrected or retracted
    /// changes some of them; which ones is not worth working out.
    static let listings = PageCacheTag(rawValue: "listings")
    /// Release pages, which show the support appeal.
    static let appeal = PageCacheTag(rawValue: "appeal")

    /// The documents of one release: its page, ninjs 2 and 3, NewsML-G2. By public slug, which
    /// never changes once the release is public.
    static func release(_ slug: String) -> PageCacheTag { PageCacheTag(rawValue: "release:" + slug) }

    var description: String { rawValue }

    /// The tags of a stored row; unknown words are kept as they are (a newer version's tags
    /// still drop what they name, and `*` still drops everything).
    static func parse(_ text: String) -> Set<PageCacheTag> {
        Set(text.split(separator: " ").map { PageCacheTag(rawValue: String($0)) })
    }

    static func text(_ tags: Set<PageCacheTag>) -> String {
        tags.map(\.rawValue).sorted().joined(separator: " ")
    }
}
