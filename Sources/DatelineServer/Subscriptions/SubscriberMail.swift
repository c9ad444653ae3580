import Crypto
import DatelineCore
import Foundation
import Mustache

/// Writes the messages subscribers receive — confirmation, alert, digest — from the Mustache
/// templates in `Templates/mail/`, each as plain text and HTML. Every message but the
/// confirmation carries the list headers and links to preferences and to unsubscribe, each
/// with its own signed token.
struct SubscriberMail {
    let settings: Settings
    let library: MustacheLibrary
    let key: SymmetricKey
    let now: Date
    let appeal: SupportAppeal

    /// The confirmation a new subscriber must click (then press a button) to get any other mail.
    func confirmation(to email: String, subscriberID: UUID) throws -> MailMessage {
        let token = SubscriptionToken.issue(.confirm, for: subscriberID, now: now, key: key)
        let context = ConfirmationMail(
            siteName: settings.siteName,
            confirmURL: url(.confirmSubscription(token: token)),
            hours: Int(SubscriptionToken.Purpose.confirm.lifetime / 3600)
        )
        return MailMessage(
            to: email,
            subject: "Confirm your subscription to \(settings.siteName)",
            text: try render("mail/confirmation-text", context),
            html: try render("mail/confirmation-html", context)
        )
    }

    /// One release, in full, for instant-alert subscribers: rendered once, then given each
    /// subscriber's own links by ``message(_:to:subscriberID:)``.
    func alert(_ release: ReleaseMailItem) throws -> MailSkeleton {
        let context = AlertMail(siteName: settings.siteName, release: release, footer: MailSkeleton.placeholderFooter(siteName: settings.siteName), appeal: AppealView(appeal))
        return MailSkeleton(
            subject: release.headline,
            text: try render("mail/alert-text", context),
            html: try render("mail/alert-html", context)
        )
    }

    /// Releases, newest first, for daily subscribers who follow exactly these.
    func digest(_ releases: [ReleaseMailItem]) throws -> MailSkeleton {
        let date = ReleaseDate.long(now, language: .english, timeZone: TimeZone(identifier: "UTC")!)
        let context = DigestMail(siteName: settings.siteName, date: date, releases: releases, count: releases.count, isSingle: releases.count == 1, footer: MailSkeleton.placeholderFooter(siteName: settings.siteName), appeal: AppealView(appeal))
        return MailSkeleton(
            subject: "\(settings.siteName) daily digest, \(date): \(releases.count == 1 ? "1 new release" : "\(releases.count) new releases")",
            text: try render("mail/digest-text", context),
            html: try render("mail/digest-html", context)
        )
    }

    /// A skeleton made into one subscriber's message: their preferences and unsubscribe links,
    /// each with a token of its own, and the list headers.
    func message(_ skeleton: MailSkeleton, to email: String, subscriberID: UUID) -> MailMessage {
        let footer = footer(subscriberID: subscriberID)
        return MailMessage(
            to: email,
            subject: skeleton.subject,
            text: skeleton.text.filled(preferences: footer.preferencesURL, unsubscribe: footer.unsubscribeURL),
            html: skeleton.html.filled(preferences: footer.preferencesURL, unsubscribe: footer.unsubscribeURL),
            list: listHeaders(footer)
        )
    }

    private func footer(subscriberID: UUID) -> MailFooter {
        MailFooter(
            siteName: settings.siteName,
            preferencesURL: url(.subscription(token: SubscriptionToken.issue(.manage, for: subscriberID, now: now, key: key))),
            unsubscribeURL: url(.unsubscribe(token: SubscriptionToken.issue(.unsubscribe, for: subscriberID, now: now, key: key)))
        )
    }

    private func listHeaders(_ footer: MailFooter) -> MailingListHeaders {
        MailingListHeaders(id: "releases.\(settings.baseURL.host ?? "dateline.invalid")", name: "\(settings.siteName) releases", unsubscribeURL: footer.unsubscribeURL)
    }

    private func url(_ location: SiteURL) -> String {
        location.absoluteString(base: settings.baseURL)
    }

    private func render(_ template: String, _ context: Any) throws -> String {
        guard let text = library.render(context, withTemplate: template) else {
            throw TemplateError(message: "There is no template named \(template).mustache")
        }
        return text
    }
}

/// A message rendered once for many subscribers (Mustache is the costly part of writing one),
/// with placeholders where each subscriber's own links go.
struct MailSkeleton: @unchecked Sendable {
    var subject: String
    var text: Spliced
    var html: Spliced

    init(subject: String, text: String, html: String) {
        self.subject = subject
        self.text = Spliced(text)
        self.html = Spliced(html)
    }

    /// Placeholders made of letters and hyphens only, which no template escapes or alters.
    static let preferencesMark = "DATELINE-PLACEHOLDER-PREFERENCES-URL"
    static let unsubscribeMark = "DATELINE-PLACEHOLDER-UNSUBSCRIBE-URL"

    static func placeholderFooter(siteName: String) -> MailFooter {
        MailFooter(siteName: siteName, preferencesURL: preferencesMark, unsubscribeURL: unsubscribeMark)
    }

    /// A rendered text cut at the placeholders, so filling it in is a concatenation.
    struct Spliced {
        enum Piece {
            case text(String), preferences, unsubscribe
        }

        var pieces: [Piece] = []

        init(_ rendered: String) {
            var rest = Substring(rendered)
            while let next = [(MailSkeleton.preferencesMark, Piece.preferences), (MailSkeleton.unsubscribeMark, Piece.unsubscribe)]
                .compactMap({ mark, piece in rest.range(of: mark).map { ($0, piece) } })
                .min(by: { $0.0.lowerBound < $1.0.lowerBound }) {
                pieces.append(.text(String(rest[..<next.0.lowerBound])))
                pieces.append(next.1)
                rest = rest[next.0.upperBound...]
            }
            pieces.append(.text(String(rest)))
        }

        func filled(preferences: String, unsubscribe: String) -> String {
            var result = ""
            for piece in pieces {
                switch piece {
                case .text(let text): result += text
                case .preferences: result += preferences
                case .unsubscribe: result += unsubscribe
                }
            }
            return result
        }
    }
}

/// A release as mail shows it, made once per release and shared by every message about it.
struct ReleaseMailItem {
    var headline: String
    var subheadline: String?
    var organizationName: String
    var dateline: String?
    var date: String
    var url: String
    /// The body as the web page shows it (sanitized HTML, links made absolute).
    var bodyHTML: String
    /// The body as plain text, rendered from the Markdown (``MarkdownRenderer/plainText(from:width:)``).
    var bodyText: String
    /// The first paragraph as plain text, for the digest.
    var summary: String
    /// The release's media contacts, as the release page lists them.
    var contacts: [MailContact]
    var hasContacts: Bool
    var lang: String
    var dir: String
    /// The lead image above the alert's body, and beside a digest's entry (HTML parts only).
    var image: MailImage?
    var thumbnail: MailImage?

    /// An `<img>` in mail: an absolute address (mail programs resolve nothing relative), alt
    /// text, and the size it is shown at, so the layout holds while images are blocked.
    struct MailImage {
        var src: String
        var alt: String
        var width: Int
        var height: Int

        /// The JPEG nearest `width` pixels wide at least, shown at most `width` wide.
        init?(_ media: ReleaseMedia?, width: Int, base: URL) {
            guard let media, media.kind == .image else { return nil }
            let jpegs = media.renditions(ofType: "image/jpeg")
            guard let file = jpegs.last(where: { ($0.width ?? 0) >= width }) ?? jpegs.first,
                  let fileWidth = file.width, let fileHeight = file.height, fileWidth > 0 else { return nil }
            src = SiteURL.media(file).absoluteString(base: base)
            alt = media.alt
            self.width = min(width, fileWidth)
            self.height = Int((Double(fileHeight) * Double(self.width) / Double(fileWidth)).rounded())
        }
    }

    /// A media contact in mail: the name, then title and organization, email and phone.
    struct MailContact {
        var name: String
        var details: String?
        var email: String?
        var phone: String?
        /// The whole contact on one line, for the plain-text part.
        var line: String
    }

    init(_ release: Release, settings: Settings) {
        headline = release.headline
        subheadline = release.subheadline
        organizationName = release.organization.name
        dateline = release.dateline?.printed
        date = ReleaseDate.long(release.releasedAt, language: release.language, timeZone: release.timeZone)
        url = SiteURL.release(release.slug).absolute(base: settings.baseURL).absoluteString
        let isoDate = ReleaseDate.machine(release.releasedAt, timeZone: release.timeZone)
        // Mail programs resolve no relative links: point root-relative ones at the site.
        bodyHTML = ReleasePage.body(release: release, date: date, isoDate: isoDate)
            .replacingOccurrences(of: "href=\"/", with: "href=\"\(settings.baseURL.absoluteString)/")
        bodyText = MarkdownRenderer.plainText(from: release.body)
        let firstParagraph = MarkdownRenderer.plainText(from: release.body, width: 0).components(separatedBy: "\n\n").first { !$0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty } ?? ""
        contacts = release.contacts.map { contact in
            let details = [contact.title, contact.organization].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: ", ")
            return MailContact(
                name: contact.name, details: details.isEmpty ? nil : details, email: contact.email, phone: contact.phone,
                line: ([contact.name] + [details, contact.email, contact.phone].compactMap { $0 }.filter { !$0.isEmpty }).joined(separator: ", ")
            )
        }
        hasContacts = !contacts.isEmpty
        let flat = firstParagraph.replacingOccurrences(of: "\n", with: " ").trimmingCharacters(in: .whitespaces)
        summary = flat.count > 300 ? String(flat.prefix(297)) + "…" : flat
        lang = release.language.rawValue
        dir = release.language.direction
        let lead = release.isRetracted ? nil : release.leadImage
        image = MailImage(lead, width: 600, base: settings.baseURL)
        thumbnail = MailImage(lead, width: 160, base: settings.baseURL)
    }
}

struct MailFooter {
    var siteName: String
    var preferencesURL: String
    var unsubscribeURL: String
}

struct ConfirmationMail {
    var siteName: String
    var confirmURL: String
    var hours: Int
}

struct AlertMail {
    var siteName: String
    var release: ReleaseMailItem
    var footer: MailFooter
    var appeal: AppealView?
}

struct DigestMail {
    var siteName: String
    var date: String
    var releases: [ReleaseMailItem]
    var count: Int
    var isSingle: Bool
    var footer: MailFooter
    var appeal: AppealView?
}
