import DatelineCore
import Foundation
import Hummingbird

/// `/media/{id}.{extension}`: a photo rendition or document of a public release, or an
/// organization's logo. Anything else, a file of a release not yet public included, answers
/// exactly as an unknown address does (the 404 page).
struct MediaController<Context: RequestContext> {
    let hub: DatabaseHub
    let clock: @Sendable () -> Date

    /// Browsers and CDNs keep a file an hour: a retracted release's files stop being served
    /// here at once, and stop being shown from caches within the hour.
    static var cacheControl: String { "public, max-age=3600, s-maxage=3600" }

    func addRoutes(to router: Router<Context>) {
        router.get(SiteURL.Pattern.media, use: file)
    }

    @Sendable func file(request: Request, context: Context) async throws -> Response {
        guard let name = context.parameters.get("file"),
              let file = try await PublicReleases(database: try hub.database, now: clock()).mediaFile(name)
        else { throw HTTPError(.notFound) }
        return MediaResponse.make(file, request: request, cacheControl: Self.cacheControl, database: try hub.database)
    }
}
