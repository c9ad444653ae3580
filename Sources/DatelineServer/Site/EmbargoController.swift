import DatelineCore
import FluentKit
import Foundation
import Hummingbird

/// `/embargoed/TOKEN`: an accredited journalist's personal view of an embargoed release.
///
/// The only route that reads a release outside ``PublicReleases``, and only with a valid token
/// whose link has not expired: an unknown, expired or malformed token answers exactly as any
/// unknown address. Each view is logged (journalist, time, address, browser), and the page is
/// marked private and not for indexing.
struct EmbargoController<Context: RequestContext> {
    let hub: DatabaseHub
    let settings: Settings
    let renderer: PageRenderer
    let clock: @Sendable () -> Date

    func addRoutes(to router: Router<Context>) {
        router.get(SiteURL.Pattern.embargoed, use: show)
    }

    @Sendable func show(request: Request, context: Context) async throws -> Response {
        guard let token = context.parameters.get("token"), (40...50).contains(token.count) else { throw HTTPError(.notFound) }
        let now = clock()
        let database = try hub.database
        guard let link = try await EmbargoLinkModel.query(on: database)
            .filter(\.$tokenHash == EmbargoLinks.hash(token))
            .filter(\.$expiresAt > now)
            .with(\.$journalist)
            .first(),
            let model = try await ReleaseModel.query(on: database)
                .filter(\.$id == link.$release.id)
                .filter(\.$status == ReleaseStatus.embargoed.rawValue)
                .with(\.$organization).with(\.$contacts).with(\.$topics).with(\.$versions)
                .first()
        else { throw HTTPError(.notFound) }

        if request.method == .get {
            let view = EmbargoViewModel()
            view.$link.id = try link.requireID()
            view.viewedAt = now
            // The connected address, and what a proxy says it forwarded (untrusted, kept short).
            let forwarded = request.headers[.init("X-Forwarded-For")!].map { " via " + String($0.prefix(100)) } ?? ""
            view.clientAddress = ((context as? DatelineRequestContext)?.clientAddress ?? "unknown") + forwarded
            view.userAgent = request.headers[.userAgent].map { String($0.prefix(300)) }
            try await hub.write { try await view.create(on: $0) }
        }

        let release = model.releaseAsItWillRead
        var page = ReleasePage(release: release, settings: settings)
        let journalist = link.journalist
        page.embargoBanner = .init(
            liftTime: release.timing.timingLine(in: release.timeZone).replacingOccurrences(of: "Embargoed until ", with: ""),
            reader: [journalist.name, journalist.outlet].compactMap { $0 }.joined(separator: ", ")
        )
        page.layout.canonicalURL = nil
        page.layout.meta = [MetaTag(attribute: "name", key: "robots", content: "noindex, nofollow")]
        page.layout.alternates = []
        page.share = []  // nothing to share before the lift time
        var response = try renderer.page("release", page)
        response.headers[.cacheControl] = "private, no-store"
        response.headers[.init("X-Robots-Tag")!] = "noindex, nofollow"
        response.headers[.init("Referrer-Policy")!] = "no-referrer"
        return response
    }
}
