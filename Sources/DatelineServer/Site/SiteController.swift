import DatelineCore
import FluentKit
import Foundation
import Hummingbird

/// The reader-facing pages: home, release, organization and topic pages, Mastodon sharing.
/// Every release they show comes through ``PublicReleases``.
struct SiteController<Context: RequestContext> {
    let hub: DatabaseHub
    let settings: Settings
    let renderer: PageRenderer
    /// The current instant; tests move it to check embargo lift times.
    let clock: @Sendable () -> Date

    func addRoutes(to router: Router<Context>) {
        router.get(SiteURL.Pattern.home, use: home)
        router.get(SiteURL.Pattern.release, use: release)
        router.get(SiteURL.Pattern.organization, use: organization)
        router.get(SiteURL.Pattern.topic, use: topic)
        router.get(SiteURL.Pattern.shareOnMastodon, use: shareOnMastodon)
    }

    private var releases: PublicReleases { get throws { PublicReleases(database: try hub.database, now: clock()) } }

    @Sendable func home(request: Request, context: Context) async throws -> Response {
        let position = try ListingPosition.of(request)
        guard let page = try await releases.listing(.site, at: position, per: settings.pageSize) else { throw HTTPError(.notFound) }
        let listing = try await releases.withLeadImages(page)
        let context = HomePage(
            layout: PageLayout(settings: settings, title: "Latest releases", description: "Press releases from the organizations on \(settings.siteName).", canonical: .home(position), feeds: .site, feedTitle: "\(settings.siteName): latest releases"),
            releases: listing.releases.map(ReleaseSummary.init),
            pagination: Pagination(listing, at: position) { .home($0) }
        )
        return try renderer.cacheablePage("home", context, request: request, lastModified: listing.releases.map(\.updatedAt).max())
    }

    @Sendable func release(request: Request, context: Context) async throws -> Response {
        guard let slug = context.parameters.get("slug").flatMap(\.removingPercentEncoding).flatMap(Slug.init(validating:)),
              let release = try await releases.release(slug: slug)
        else { throw HTTPError(.notFound) }
        var page = ReleasePage(release: release, settings: settings)
        page.appeal = AppealView(try await SupportAppeal.load(on: try hub.database))
        page.layout.jsonLD = try ReleaseRepresentations(settings: settings).jsonLD(release)
        return try renderer.cacheablePage("release", page, request: request, lastModified: release.updatedAt)
    }

    @Sendable func organization(request: Request, context: Context) async throws -> Response {
        guard let slug = context.parameters.get("slug").flatMap(\.removingPercentEncoding).flatMap(Slug.init(validating:)),
              let model = try await releases.organization(slug: slug),
              let id = model.id
        else { throw HTTPError(.notFound) }
        let position = try ListingPosition.of(request)
        guard let page = try await releases.listing(.organization(id), at: position, per: settings.pageSize) else { throw HTTPError(.notFound) }
        let listing = try await releases.withLeadImages(page)
        let organization = model.organization
        var context = OrganizationPage(
            layout: PageLayout(settings: settings, title: organization.name, description: "Press releases from \(organization.name).", canonical: .organization(slug, position), feeds: .organization(slug), feedTitle: "\(organization.name) on \(settings.siteName)"),
            name: organization.name,
            boilerplateHTML: organization.boilerplate.map(MarkdownRenderer.html(from:)),
            website: organization.website?.absoluteString,
            follow: organization.socialProfiles.map(FollowLink.init),
            contacts: try await releases.contacts(organizationID: id).map { ContactCard($0.contact) },
            releases: listing.releases.map(ReleaseSummary.init),
            pagination: Pagination(listing, at: position) { .organization(slug, $0) }
        )
        // A logo is public once set (an organization's page is).
        context.logo = LogoImage(try await MediaStore.logo(of: id, on: try hub.database))
        return try renderer.cacheablePage("organization", context, request: request, lastModified: listing.releases.map(\.updatedAt).max())
    }

    @Sendable func topic(request: Request, context: Context) async throws -> Response {
        guard let slug = context.parameters.get("slug").flatMap(\.removingPercentEncoding).flatMap(Slug.init(validating:)),
              let model = try await releases.topic(slug: slug),
              let id = model.id
        else { throw HTTPError(.notFound) }
        let position = try ListingPosition.of(request)
        guard let page = try await releases.listing(.topic(id), at: position, per: settings.pageSize) else { throw HTTPError(.notFound) }
        let listing = try await releases.withLeadImages(page)
        let context = TopicPage(
            layout: PageLayout(settings: settings, title: model.name, description: "Press releases about \(model.name).", canonical: .topic(slug, position), feeds: .topic(slug), feedTitle: "\(model.name) on \(settings.siteName)"),
            name: model.name,
            releases: listing.releases.map(ReleaseSummary.init),
            pagination: Pagination(listing, at: position) { .topic(slug, $0) }
        )
        return try renderer.cacheablePage("topic", context, request: request, lastModified: listing.releases.map(\.updatedAt).max())
    }

    /// Mastodon has no central share address: each reader has a server of their own. This page
    /// asks for it, then hands the text to that server's `/share` form.
    @Sendable func shareOnMastodon(request: Request, context: Context) async throws -> Response {
        let text = String((request.uri.queryParameters.get("text").map { String($0) } ?? "").prefix(MastodonInstance.maximumTextLength))
        if let instance = request.uri.queryParameters.get("instance").map({ String($0) }) {
            guard let host = MastodonInstance.host(instance), let target = MastodonInstance.shareURL(host: host, text: text) else {
                let error = "“\(instance.prefix(100))” is not a server name. Write it like mastodon.social."
                return try renderer.page("share-mastodon", MastodonSharePage(settings: settings, text: text, instance: instance, error: error), status: .badRequest)
            }
            // A link the reader follows, not an automatic redirect: the site must not send
            // visitors to any host a crafted link names.
            var page = MastodonSharePage(settings: settings, text: text, instance: host, error: nil)
            page.continueURL = target.absoluteString
            page.continueHost = host
            return try renderer.page("share-mastodon", page)
        }
        return try renderer.page("share-mastodon", MastodonSharePage(settings: settings, text: text, instance: "", error: nil))
    }
}

/// The form that asks a reader for their Mastodon server.
struct MastodonSharePage {
    var layout: PageLayout
    var text: String
    var instance: String
    var error: String?
    var action = SiteURL.shareOnMastodon.path
    /// The reader's server's share form, once they have named it.
    var continueURL: String?
    var continueHost: String?

    init(settings: Settings, text: String, instance: String, error: String?) {
        layout = PageLayout(settings: settings, title: "Share on Mastodon")
        self.text = text
        self.instance = instance
        self.error = error
    }
}

/// Reads a Mastodon server name as a reader types it ("mastodon.social", "@me@mastodon.social",
/// "https://mastodon.social/").
enum MastodonInstance {
    /// Longer texts are cut: a share text is a headline and a link, and the page shows it back.
    static let maximumTextLength = 500

    /// `https://HOST/share?text=…`, Mastodon's share form.
    static func shareURL(host: String, text: String) -> URL? {
        var target = URLComponents()
        target.scheme = "https"
        target.host = host
        target.path = "/share"
        target.queryItems = [URLQueryItem(name: "text", value: text)]
        return target.url
    }

    static func host(_ input: String) -> String? {
        var value = input.trimmingCharacters(in: .whitespaces).lowercased()
        if let url = URL(string: value), let host = url.host, url.scheme != nil { value = host }
        if value.contains("@") { value = String(value.split(separator: "@").last ?? "") }
        let labels = value.split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2, value.count <= 253,
              labels.allSatisfy({ label in
                  (1...63).contains(label.count) && !label.hasPrefix("-") && !label.hasSuffix("-")
                      && label.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }
              })
        else { return nil }
        // A top-level domain has a letter: this refuses IP addresses such as 10.0.0.1.
        guard labels.last?.contains(where: \.isLetter) == true else { return nil }
        return value
    }
}
