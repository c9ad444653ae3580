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
        let releaseIDs = try await ReleaseTopicModel.query(on: database)
            .filter(\.$topic.$id == topicID)
            .all()
            .map(\.$release.id)
        return try await paginate(listed().filter(\.$id ~~ releaseIDs), page: page, per: per)
    }

    /// The publicly readable release with this slug, retracted ones included (they keep their URL).
    func release(slug: Slug) async throws -> Release? {
        try await readable(statuses: ReleaseStatus.publiclyReadable)
            .filter(\.$slug == slug.rawValue)
            .first()?
            .release
    }

    /// The time of the newest change among listed releases, for feeds' `updated`.
    func lastChange() async throws -> Date? {
        try await listed().sort(\.$updatedAt, .descending).first()?.updatedAt
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

    private func paginate(_ query: QueryBuilder<ReleaseModel>, page: Int, per: Int) async throws -> Listing {
        let result = try await query
            .sort(\.$releasedAt, .descending)
            .sort(\.$publishedAt, .descending)
            .paginate(PageRequest(page: max(1, page), per: per))
        return Listing(
            releases: result.items.map(\.release),
            page: result.metadata.page,
            pageCount: max(1, result.metadata.pageCount)
        )
    }
}
