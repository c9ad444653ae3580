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
        router.get(SiteURL.Pattern.embargoedMedia, use: media)
    }

    /// The link of an unexpired token, and its release while it is still embargoed.
    private func linked(_ context: Context, at now: Date) async throws -> (EmbargoLinkModel, ReleaseModel)? {
        guard let token = context.parameters.get("token"), (40...50).contains(token.count) else { return nil }
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
        else { return nil }
        return (link, model)
    }

    /// `/embargoed/TOKEN/media/FILE`: the release's photos and documents for the journalist,
    /// under the same conditions as the page; kept by no cache.
    @Sendable func media(request: Request, context: Context) async throws -> Response {
        guard let (_, model) = try await linked(context, at: clock()), let id = model.id,
              let name = context.parameters.get("file"),
              let file = try await MediaFile.find(name, ofRelease: id, on: try hub.database)
        else { throw HTTPError(.notFound) }
        var response = MediaResponse.make(file, request: request, cacheControl: "private, no-store", database: try hub.database)
        response.headers[.init("Referrer-Policy")!] = "no-referrer"
        return response
    }

    @Sendable func show(request: Request, context: Context) async throws -> Response {
        let now = clock()
        guard let (link, model) = try await linked(context, at: now) else { throw HTTPError(.notFound) }

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

        var release = model.releaseAsItWillRead
        release.media = try await MediaStore.media(ofRelease: try model.requireID(), on: try hub.database)
        // The journalist's browser reads the images through the same link, before the lift.
        var page = ReleasePage(release: release, settings: settings, links: .embargoed(token: context.parameters.get("token") ?? ""))
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
