import DatelineCore
import Foundation

/// A media contact as printed under the organization's name.
struct ContactCard {
    var name: String
    var title: String?
    var organization: String?
    var email: String?
    var phone: String?
    /// `tel:` URI with only dialable characters.
    var phoneURI: String?

    init(_ contact: MediaContact) {
        name = contact.name
        title = contact.title
        organization = contact.organization
        email = contact.email
        phone = contact.phone
        phoneURI = contact.phone.map { "tel:" + $0.filter { $0.isNumber || $0 == "+" } }
    }
}

/// "Follow the organization on …": a profile link, or the handle alone when no link can be made.
struct FollowLink {
    var network: String
    var label: String
    var url: String?

    init(_ profile: SocialProfile) {
        network = profile.network.displayName
        label = profile.handleOrURL
        url = profile.url?.absoluteString
    }
}

/// A plain share link: no third-party script, no tracking pixel; the reader's click is the only request.
struct ShareLink {
    var network: String
    var url: String
}

/// Everything on a release page, in the order a newswire prints it.
struct ReleasePage {
    /// The page's chrome, in the site's language.
    var layout: PageLayout
    /// The release's own language and direction (BCP 47 tag, `ltr`/`rtl`), set on its headline,
    /// body, contacts and boilerplate only.
    var lang: String
    var dir: String
    var timingLine: String
    var isEmbargoed: Bool
    var organizationName: String
    var organizationPath: String
    var contacts: [ContactCard]
    var hasContacts: Bool
    var headline: String
    var subheadline: String?
    var date: String
    var isoDate: String
    var topics: [TopicLink]
    var hasTopics: Bool
    /// The body as sanitized HTML, the dateline set at the start of its first paragraph.
    var bodyHTML: String
    var boilerplateHTML: String?
    var statementURL: String?
    var follow: [FollowLink]
    var hasFollow: Bool
    var share: [ShareLink]
    var isRetracted: Bool
    var retractionNote: String?
    /// Dated correction notes, oldest first.
    var corrections: [CorrectionNote]
    var hasCorrections: Bool
    /// Set when a journalist reads the release through a personal link before its lift time.
    var embargoBanner: EmbargoBanner?
    /// The site's support appeal, when an admin has written one.
    var appeal: AppealView?
    /// The lead image above the body; the other images in a gallery after it; documents as links.
    var leadImage: PictureView?
    var gallery: [PictureView] = []
    var hasGallery = false
    var documents: [DocumentLink] = []
    var hasDocuments = false

    struct CorrectionNote {
        var date: String
        var isoDate: String
        var note: String
    }

    struct EmbargoBanner {
        var liftTime: String
        var reader: String
    }

    struct TopicLink {
        var name: String
        var path: String
    }

    /// - Parameter links: where the media files are read from (the public path unless a
    ///   journalist's link or the newsroom's preview shows the page); link previews name the lead
    ///   image only when the addresses are public.
    init(release: Release, settings: Settings, links: MediaLinks = .public) {
        let url = SiteURL.release(release.slug).absolute(base: settings.baseURL)
        layout = PageLayout(
            settings: settings,
            title: release.headline,
            description: release.subheadline,
            canonical: .release(release.slug),
            feeds: .organization(release.organization.slug),
            feedTitle: "\(release.organization.name) on \(settings.siteName)"
        )
        layout.alternates = [
            AlternateLink(title: "ninjs", type: "application/json", href: SiteURL.ninjs(release.slug, .v2).absolute(base: settings.baseURL).absoluteString),
            AlternateLink(title: "ninjs 3", type: "application/json", href: SiteURL.ninjs(release.slug, .v3).absolute(base: settings.baseURL).absoluteString),
            AlternateLink(title: "NewsML-G2", type: "application/vnd.iptc.g2.newsitem+xml", href: SiteURL.newsML(release.slug).absolute(base: settings.baseURL).absoluteString),
        ]
        layout.meta = Self.metadata(release: release, url: url, settings: settings)
        if links.isPublic, !release.isRetracted, case let tags = Self.imageMetadata(release.leadImage, settings: settings), !tags.isEmpty {
            layout.meta = layout.meta.map { $0.key == "twitter:card" ? .card("twitter:card", "summary_large_image") : $0 } + tags
        }
        lang = release.language.rawValue
        dir = release.language.direction
        timingLine = release.timing.timingLine(in: release.timeZone, lifted: release.status.isPubliclyReadable)
        isEmbargoed = release.timing.liftTime != nil
        organizationName = release.organization.name
        organizationPath = SiteURL.organization(release.organization.slug).path
        contacts = release.contacts.map(ContactCard.init)
        headline = release.headline
        subheadline = release.subheadline
        date = ReleaseDate.long(release.releasedAt, language: release.language, timeZone: release.timeZone)
        isoDate = ReleaseDate.machine(release.releasedAt, timeZone: release.timeZone)
        topics = release.topics.map { TopicLink(name: $0.name, path: SiteURL.topic($0.slug).path) }
        bodyHTML = Self.body(release: release, date: date, isoDate: isoDate)
        boilerplateHTML = release.organization.boilerplate.map(MarkdownRenderer.html(from:))
        statementURL = release.statementURL?.absoluteString
        follow = release.organization.socialProfiles.map(FollowLink.init)
        share = Self.shareLinks(headline: release.headline, url: url, settings: settings)
        isRetracted = release.status == .retracted
        retractionNote = release.retractionNote
        corrections = release.corrections.map {
            CorrectionNote(date: ReleaseDate.long($0.date, language: release.language, timeZone: release.timeZone), isoDate: ReleaseDate.machine($0.date, timeZone: release.timeZone), note: $0.note)
        }
        hasCorrections = !corrections.isEmpty
        embargoBanner = nil
        hasContacts = !contacts.isEmpty
        hasTopics = !topics.isEmpty
        hasFollow = !follow.isEmpty
        // A retracted release's media are no longer served: the page names none.
        setMedia(release.isRetracted ? [] : release.media, links: links)
    }

    /// Open Graph (ogp.me) and summary card metadata, for link previews.
    private static func metadata(release: Release, url: URL, settings: Settings) -> [MetaTag] {
        var tags: [MetaTag] = [
            .openGraph("og:type", "article"),
            .openGraph("og:title", release.headline),
            .openGraph("og:url", url.absoluteString),
            .openGraph("og:site_name", settings.siteName),
            .openGraph("og:locale", release.language.rawValue.replacingOccurrences(of: "-", with: "_")),
            .openGraph("article:published_time", (release.publishedAt ?? release.updatedAt).formatted(.iso8601)),
            .openGraph("article:modified_time", release.updatedAt.formatted(.iso8601)),
            .openGraph("article:author", release.organization.name),
            .card("twitter:card", "summary"),
            .card("twitter:title", release.headline),
        ]
        if let subheadline = release.subheadline {
            tags.append(.openGraph("og:description", subheadline))
            tags.append(.card("twitter:description", subheadline))
        }
        tags += release.topics.map { .openGraph("article:tag", $0.name) }
        return tags
    }

    /// Renders the Markdown body and opens its first paragraph with the dateline and date,
    /// AP style: "WASHINGTON, March 20, 2020 — Responding to …".
    static func body(release: Release, date: String, isoDate: String) -> String {
        let html = MarkdownRenderer.html(from: release.body)
        guard let dateline = release.dateline, html.hasPrefix("<p>") else { return html }
        let lead = "<span class=\"dateline\">\(HTMLEscaping.escaped(dateline.printed)), <time datetime=\"\(isoDate)\">\(HTMLEscaping.escaped(date))</time> —</span> "
        return "<p>" + lead + html.dropFirst(3)
    }

    private static func shareLinks(headline: String, url: URL, settings: Settings) -> [ShareLink] {
        let link = url.absoluteString
        let text = "\(headline) \(link)"
        func query(_ value: String) -> String {
            PercentEncoding.encode(value, allowing: .unreserved)
        }
        return [
            ShareLink(network: "Email", url: "mailto:?subject=\(query(headline))&body=\(query(link))"),
            ShareLink(network: "Mastodon", url: SiteURL.shareOnMastodon.path + "?text=\(query(text))"),
            ShareLink(network: "Bluesky", url: "https://bsky.app/intent/compose?text=\(query(text))"),
            ShareLink(network: "LinkedIn", url: "https://www.linkedin.com/sharing/share-offsite/?url=\(query(link))"),
            ShareLink(network: "Facebook", url: "https://www.facebook.com/sharer/sharer.php?u=\(query(link))"),
            ShareLink(network: "X", url: "https://x.com/intent/post?text=\(query(headline))&url=\(query(link))"),
        ]
    }
}
