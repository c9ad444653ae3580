import Foundation
import Hummingbird
import Mustache

/// Every address of the newsroom (signed-in pages, sign-in, password reset, administration).
/// Links, form actions and redirects are made from this one enum, and the router's patterns
/// sit beside the paths they match, as ``SiteURL`` does for the public site.
enum NewsroomURL: Hashable {
    case home
    case signIn
    case twoFactor
    case signOut
    case recoveryCodes
    case timeZone
    case forgotPassword
    case resetPassword(token: String)

    /// The release list; its filters are a query (``NewsroomReleaseFilter/path(page:)``).
    case releases
    case newRelease
    case pasteRelease
    case release(id: String)
    case submit(id: String)
    case approve(id: String)
    case giveBack(id: String)
    case correct(id: String)
    case retract(id: String)
    /// An embargoed or scheduled release's waiting time: move it, publish now, hold back.
    case moveWaitingTime(id: String)
    case publishNow(id: String)
    case hold(id: String)
    /// A release's photos and documents: upload (multipart), a rendition for the preview, and
    /// the changes to one attachment (`media` is its ``MediaID``).
    case attachments(id: String)
    case releaseMedia(id: String, file: String)
    case describeAttachment(id: String, media: String)
    case moveAttachment(id: String, media: String)
    case leadAttachment(id: String, media: String)
    case removeAttachment(id: String, media: String)

    case admin
    case organizations
    case organization(slug: String)
    case organizationContacts(slug: String)
    case organizationMembers(slug: String)
    case organizationLogo(slug: String)
    case topics
    case users
    case resetTwoFactor
    case appeal
    case subscribers
    case subscriber(id: String)
    case removeSubscriber(id: String)
    case journalists
    case embargoLink(id: String)

    /// The path, percent-encoded where a value needs it.
    var path: String {
        switch self {
        case .home: "/newsroom"
        case .signIn: "/newsroom/sign-in"
        case .twoFactor: "/newsroom/two-factor"
        case .signOut: "/newsroom/sign-out"
        case .recoveryCodes: "/newsroom/recovery-codes"
        case .timeZone: "/newsroom/time-zone"
        case .forgotPassword: "/newsroom/forgot-password"
        case .resetPassword(let token): "/newsroom/reset-password/\(Self.segment(token))"
        case .releases: "/newsroom/releases"
        case .newRelease: "/newsroom/releases/new"
        case .pasteRelease: "/newsroom/releases/paste"
        case .release(let id): "/newsroom/releases/\(Self.segment(id))"
        case .submit(let id): "/newsroom/releases/\(Self.segment(id))/submit"
        case .approve(let id): "/newsroom/releases/\(Self.segment(id))/approve"
        case .giveBack(let id): "/newsroom/releases/\(Self.segment(id))/return"
        case .correct(let id): "/newsroom/releases/\(Self.segment(id))/correct"
        case .retract(let id): "/newsroom/releases/\(Self.segment(id))/retract"
        case .moveWaitingTime(let id): "/newsroom/releases/\(Self.segment(id))/waiting-time"
        case .publishNow(let id): "/newsroom/releases/\(Self.segment(id))/publish-now"
        case .hold(let id): "/newsroom/releases/\(Self.segment(id))/hold"
        case .attachments(let id): "/newsroom/releases/\(Self.segment(id))/attachments"
        case .releaseMedia(let id, let file): "/newsroom/releases/\(Self.segment(id))/media/\(Self.segment(file))"
        case .describeAttachment(let id, let media): "/newsroom/releases/\(Self.segment(id))/attachments/\(Self.segment(media))/describe"
        case .moveAttachment(let id, let media): "/newsroom/releases/\(Self.segment(id))/attachments/\(Self.segment(media))/move"
        case .leadAttachment(let id, let media): "/newsroom/releases/\(Self.segment(id))/attachments/\(Self.segment(media))/lead"
        case .removeAttachment(let id, let media): "/newsroom/releases/\(Self.segment(id))/attachments/\(Self.segment(media))/remove"
        case .admin: "/newsroom/admin"
        case .organizations: "/newsroom/admin/organizations"
        case .organization(let slug): "/newsroom/admin/organizations/\(Self.segment(slug))"
        case .organizationContacts(let slug): "/newsroom/admin/organizations/\(Self.segment(slug))/contacts"
        case .organizationMembers(let slug): "/newsroom/admin/organizations/\(Self.segment(slug))/members"
        case .organizationLogo(let slug): "/newsroom/admin/organizations/\(Self.segment(slug))/logo"
        case .topics: "/newsroom/admin/topics"
        case .users: "/newsroom/admin/users"
        case .resetTwoFactor: "/newsroom/admin/users/reset-two-factor"
        case .appeal: "/newsroom/admin/appeal"
        case .subscribers: "/newsroom/admin/subscribers"
        case .subscriber(let id): "/newsroom/admin/subscribers/\(Self.segment(id))"
        case .removeSubscriber(let id): "/newsroom/admin/subscribers/\(Self.segment(id))/remove"
        case .journalists: "/newsroom/admin/journalists"
        case .embargoLink(let id): "/newsroom/admin/embargo-links/\(Self.segment(id))"
        }
    }

    /// The absolute address under the site's base URL (for links in mail).
    func absolute(_ settings: Settings) -> String { settings.baseURL.absoluteString + path }

    /// The cookie path that covers every newsroom address.
    static let cookiePath = "/newsroom"

    /// Route patterns, in Hummingbird's syntax, for the router.
    enum Pattern {
        static let home: RouterPath = "/newsroom"
        static let signIn: RouterPath = "/newsroom/sign-in"
        static let twoFactor: RouterPath = "/newsroom/two-factor"
        static let signOut: RouterPath = "/newsroom/sign-out"
        static let recoveryCodes: RouterPath = "/newsroom/recovery-codes"
        static let timeZone: RouterPath = "/newsroom/time-zone"
        static let forgotPassword: RouterPath = "/newsroom/forgot-password"
        static let resetPassword: RouterPath = "/newsroom/reset-password/:token"
        static let releases: RouterPath = "/newsroom/releases"
        static let newRelease: RouterPath = "/newsroom/releases/new"
        static let pasteRelease: RouterPath = "/newsroom/releases/paste"
        static let release: RouterPath = "/newsroom/releases/:id"
        static let submit: RouterPath = "/newsroom/releases/:id/submit"
        static let approve: RouterPath = "/newsroom/releases/:id/approve"
        static let giveBack: RouterPath = "/newsroom/releases/:id/return"
        static let correct: RouterPath = "/newsroom/releases/:id/correct"
        static let retract: RouterPath = "/newsroom/releases/:id/retract"
        static let moveWaitingTime: RouterPath = "/newsroom/releases/:id/waiting-time"
        static let publishNow: RouterPath = "/newsroom/releases/:id/publish-now"
        static let hold: RouterPath = "/newsroom/releases/:id/hold"
        static let attachments: RouterPath = "/newsroom/releases/:id/attachments"
        static let releaseMedia: RouterPath = "/newsroom/releases/:id/media/:file"
        static let describeAttachment: RouterPath = "/newsroom/releases/:id/attachments/:media/describe"
        static let moveAttachment: RouterPath = "/newsroom/releases/:id/attachments/:media/move"
        static let leadAttachment: RouterPath = "/newsroom/releases/:id/attachments/:media/lead"
        static let removeAttachment: RouterPath = "/newsroom/releases/:id/attachments/:media/remove"
        static let admin: RouterPath = "/newsroom/admin"
        static let organizations: RouterPath = "/newsroom/admin/organizations"
        static let organization: RouterPath = "/newsroom/admin/organizations/:slug"
        static let organizationContacts: RouterPath = "/newsroom/admin/organizations/:slug/contacts"
        static let organizationMembers: RouterPath = "/newsroom/admin/organizations/:slug/members"
        static let organizationLogo: RouterPath = "/newsroom/admin/organizations/:slug/logo"
        static let topics: RouterPath = "/newsroom/admin/topics"
        static let users: RouterPath = "/newsroom/admin/users"
        static let resetTwoFactor: RouterPath = "/newsroom/admin/users/reset-two-factor"
        static let appeal: RouterPath = "/newsroom/admin/appeal"
        static let subscribers: RouterPath = "/newsroom/admin/subscribers"
        static let subscriber: RouterPath = "/newsroom/admin/subscribers/:id"
        static let removeSubscriber: RouterPath = "/newsroom/admin/subscribers/:id/remove"
        static let journalists: RouterPath = "/newsroom/admin/journalists"
        static let embargoLink: RouterPath = "/newsroom/admin/embargo-links/:id"
    }

    /// A value as one path segment (release ids, slugs and tokens are URL-safe already; this
    /// keeps a malformed one from changing the path's shape).
    private static func segment(_ value: String) -> String {
        PercentEncoding.encode(value, allowing: .pathSegment)
    }
}

/// The newsroom's fixed addresses for the templates (`{{layout.newsroom.releases}}`), so that no
/// template writes a newsroom path itself. Stored, so that Mirror and `child(named:)` agree.
struct NewsroomLinks: Sendable, MustacheParent {
    /// The addresses as the routes define them, made once.
    static let standard = NewsroomLinks()

    var home = NewsroomURL.home.path
    var twoFactor = NewsroomURL.twoFactor.path
    var forgotPassword = NewsroomURL.forgotPassword.path
    var releases = NewsroomURL.releases.path
    var newRelease = NewsroomURL.newRelease.path
    var pasteRelease = NewsroomURL.pasteRelease.path
    var admin = NewsroomURL.admin.path
    var organizations = NewsroomURL.organizations.path
    var topics = NewsroomURL.topics.path
    var users = NewsroomURL.users.path
    var resetTwoFactor = NewsroomURL.resetTwoFactor.path
    var appeal = NewsroomURL.appeal.path
    var subscribers = NewsroomURL.subscribers.path
    var journalists = NewsroomURL.journalists.path

    func child(named name: String) -> Any? {
        switch name {
        case "home": home
        case "twoFactor": twoFactor
        case "forgotPassword": forgotPassword
        case "releases": releases
        case "newRelease": newRelease
        case "pasteRelease": pasteRelease
        case "admin": admin
        case "organizations": organizations
        case "topics": topics
        case "users": users
        case "resetTwoFactor": resetTwoFactor
        case "appeal": appeal
        case "subscribers": subscribers
        case "journalists": journalists
        default: nil
        }
    }
}
