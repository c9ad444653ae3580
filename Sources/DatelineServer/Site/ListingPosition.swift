import DatelineCore
import Hummingbird

/// Where a listing page (home, organization, topic) starts, as its query string says.
///
/// - `page(n)`: the n-th page from the newest (`?page=n`), by offset. Kept for links made before
///   keyset pages; deep numbers cost a walk of the index.
/// - `before(slug)`: the releases listed after the one with this slug, older ones
///   (`?before=slug`): what the "Older" link uses. It costs the same at any depth, and the page
///   it names keeps its releases while new ones are published, so caches keep it too.
/// - `after(slug)`: the releases newer than the one with this slug (`?after=slug`), for "Newer".
///
/// A slug names a release only while it is publicly readable: a position that names a draft, an
/// embargoed release or nothing at all answers 404, the same answer in the same time.
enum ListingPosition: Hashable {
    case page(Int)
    case before(Slug)
    case after(Slug)

    static let first = ListingPosition.page(1)

    /// The position a request's query asks for; nil for a malformed one (a 404).
    /// No parameter at all is the first page.
    static func from(page: String?, before: String?, after: String?) -> ListingPosition? {
        switch (page, before, after) {
        case (nil, nil, nil): return .first
        case (let page?, nil, nil): return Int(page).map(ListingPosition.page)
        case (nil, let before?, nil): return Slug(validating: before).map(ListingPosition.before)
        case (nil, nil, let after?): return Slug(validating: after).map(ListingPosition.after)
        default: return nil
        }
    }

    /// `?page=n`, `?before=slug`, `?after=slug`, or nothing for the first page.
    var query: String {
        switch self {
        case .page(let number): number > 1 ? "?page=\(number)" : ""
        case .before(let slug): "?before=\(SiteURL.encodeQueryValue(slug.rawValue))"
        case .after(let slug): "?after=\(SiteURL.encodeQueryValue(slug.rawValue))"
        }
    }

    /// The position a listing request asks for (`?page=`, `?before=`, `?after=`).
    /// - Throws: a 404 for anything else: two positions, a page that is not a number, a slug
    ///   that is not one.
    static func of(_ request: Request) throws -> ListingPosition {
        let query = request.uri.queryParameters
        guard let position = from(
            page: query.get("page").map { String($0) }, before: query.get("before").map { String($0) }, after: query.get("after").map { String($0) }
        ) else { throw HTTPError(.notFound) }
        return position
    }
}
