import DatelineCore
import FluentKit
import Foundation

/// The one public read path: every reader-facing surface (pages, feeds, and later search,
/// sitemaps and API reads) gets releases from here and from nowhere else.
///
/// Two independent conditions keep unpublished text out: the status must be publicly readable,
/// and an embargo, if any, must have lifted. A release that slips through one still meets the other.
struct PublicReleases {
    let database: any Database
    let now: Date

    /// One page of listed releases and how many there are in all.
    struct Listing {
        var releases: [Release]
        var page: Int
        var pageCount: Int
    }

    /// Listed (published or corrected) releases, newest first.
    func latest(page: Int, per: Int) async throws -> Listing {
        try await paginate(listed(), page: page, per: per)
    }

    /// Listed releases of one organization, newest first.
    func latest(organizationID: UUID, page: Int, per: Int) async throws -> Listing {
        try await paginate(listed().filter(\.$organization.$id == organizationID), page: page, per: per)
    }

    /// Listed releases filed under one topic, newest first.
    func latest(topicID: UUID, page: Int, per: Int) async throws -> Listing {
        try await paginate(listed().join(siblings: \.$topics).filter(TopicModel.self, \.$id == topicID), page: page, per: per)
    }

    /// The publicly readable release with this slug, retracted ones included (they keep their URL).
    func release(slug: Slug) async throws -> Release? {
        try await readable(statuses: ReleaseStatus.publiclyReadable)
            .filter(\.$slug == slug.rawValue)
            .first()?
            .release
    }

    /// The most recently published listed releases, newest publication first: what a feed
    /// carries, so that a release published today with an old date still reaches feed readers.
    func recentlyPublished(limit: Int) async throws -> [Release] {
        try await listed()
            .sort(\.$publishedAt, .descending)
            .limit(limit)
            .all()
            .map(\.release)
    }

    /// The organization with this slug, only when it has a listed release: an organization
    /// known only from drafts is as absent as one that does not exist.
    func organization(slug: Slug) async throws -> OrganizationModel? {
        guard let organization = try await OrganizationModel.query(on: database).filter(\.$slug == slug.rawValue).first(),
              let id = organization.id,
              try await listed().filter(\.$organization.$id == id).count() > 0
        else { return nil }
        return organization
    }

    /// The topic with this slug, only when a listed release is filed under it.
    func topic(slug: Slug) async throws -> TopicModel? {
        guard let topic = try await TopicModel.query(on: database).filter(\.$slug == slug.rawValue).first(),
              let id = topic.id,
              try await listed().join(siblings: \.$topics).filter(TopicModel.self, \.$id == id).count() > 0
        else { return nil }
        return topic
    }

    /// An organization's media contacts named on its listed releases (never one known only from a draft).
    func contacts(organizationID: UUID) async throws -> [MediaContactModel] {
        let releases = try await listed().filter(\.$organization.$id == organizationID).all()
        var seen = Set<UUID>()
        return releases.flatMap { $0.$contacts.value ?? [] }.filter { contact in
            guard let id = contact.id else { return false }
            return seen.insert(id).inserted
        }
    }

    private func listed() -> QueryBuilder<ReleaseModel> {
        readable(statuses: ReleaseStatus.listed)
    }

    private func readable(statuses: [ReleaseStatus]) -> QueryBuilder<ReleaseModel> {
        ReleaseModel.query(on: database)
            .filter(\.$status ~~ statuses.map(\.rawValue))
            .group(.or) { lifted in
                lifted.filter(\.$embargoUntil == nil).filter(\.$embargoUntil <= now)
            }
            .with(\.$organization)
            .with(\.$contacts)
            .with(\.$topics)
    }

    /// The highest page number asked of the database; beyond it FluentKit's offset arithmetic
    /// would overflow. No listing here comes near it.
    static let maximumPage = 100_000

    private func paginate(_ query: QueryBuilder<ReleaseModel>, page: Int, per: Int) async throws -> Listing {
        guard (1...Self.maximumPage).contains(page) else {
            return Listing(releases: [], page: page, pageCount: 0)
        }
        let result = try await query
            .sort(\.$releasedAt, .descending)
            .sort(\.$publishedAt, .descending)
            .paginate(PageRequest(page: page, per: per))
        return Listing(
            releases: result.items.map(\.release),
            page: result.metadata.page,
            pageCount: max(1, result.metadata.pageCount)
        )
    }
}
