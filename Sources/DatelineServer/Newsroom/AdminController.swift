import DatelineCore
import FluentKit
import Foundation
import Hummingbird

/// The site's administration, for admins only: organizations (profile, members, media contacts),
/// topics and users. To anyone else these pages do not exist.
struct AdminController {
    let hub: DatabaseHub
    let settings: Settings
    let renderer: PageRenderer
    let front: NewsroomController

    enum Path {
        static let home: RouterPath = "/newsroom/admin"
        static let organizations: RouterPath = "/newsroom/admin/organizations"
        static let organization: RouterPath = "/newsroom/admin/organizations/:slug"
        static let contacts: RouterPath = "/newsroom/admin/organizations/:slug/contacts"
        static let members: RouterPath = "/newsroom/admin/organizations/:slug/members"
        static let topics: RouterPath = "/newsroom/admin/topics"
        static let users: RouterPath = "/newsroom/admin/users"
        static let resetTwoFactor: RouterPath = "/newsroom/admin/users/reset-two-factor"
    }

    func addRoutes(to router: Router<DatelineRequestContext>) {
        router.get(Path.home, use: home)
        router.post(Path.organizations, use: createOrganization)
        router.get(Path.organization, use: organization)
        router.post(Path.organization, use: updateOrganization)
        router.post(Path.contacts, use: addContact)
        router.post(Path.members, use: changeMembership)
        router.post(Path.topics, use: createTopic)
        router.post(Path.users, use: createUser)
        router.post(Path.resetTwoFactor, use: resetTwoFactor)
    }

    /// The admin's session, or nil (and the caller answers 404) for anyone else.
    private func admin(_ request: Request) async throws -> SessionModel? {
        try await front.adminSession(request)
    }

    private func form<T: Decodable & CSRFProtected>(_ type: T.Type, _ request: Request, _ session: SessionModel) async throws -> T? {
        try await NewsroomPages.form(type, request, session: session)
    }

    private var pages: NewsroomPages { NewsroomPages(settings: settings, renderer: renderer) }
    private func layout(_ title: String) -> PageLayout { pages.layout(title) }
    private func message(_ title: String, _ text: String, status: HTTPResponse.Status) throws -> Response { try pages.message(title, text, status: status) }

    /// How many bounced addresses the administration page lists.
    static let bouncedShown = 50

    struct HomePage {
        var layout: PageLayout
        var csrf: String
        var organizations: [Item]
        var topics: [Item]
        var users: [Item]
        var roles: [String]
        /// Addresses the outbox stopped mailing (status `bounced`), newest first, at most ``bouncedShown``.
        var bounced: [Item] = []
        var hasBounced = false
        var bouncedSummary = ""

        struct Item {
            var label: String
            var detail: String
            var path: String?
        }
    }

    @Sendable func home(request: Request, context: DatelineRequestContext) async throws -> Response {
        guard let session = try await admin(request) else { throw HTTPError(.notFound) }
        let database = try hub.database
        let organizations = try await OrganizationModel.query(on: database).sort(\.$name).all().map {
            HomePage.Item(label: $0.name, detail: $0.slug, path: "/newsroom/admin/organizations/\($0.slug)")
        }
        let topics = try await TopicModel.query(on: database).sort(\.$name).all().map { HomePage.Item(label: $0.name, detail: $0.slug, path: nil) }
        let users = try await UserModel.query(on: database).sort(\.$email).all().map {
            HomePage.Item(label: "\($0.name) <\($0.email)>", detail: $0.role + ($0.totpEnabled ? ", two-factor on" : ""), path: nil)
        }
        var page = HomePage(layout: layout("Administration"), csrf: session.csrfToken, organizations: organizations, topics: topics, users: users, roles: Role.allCases.map(\.rawValue))
        let (bounced, bouncedTotal) = try await Bounces.recent(limit: Self.bouncedShown, on: database)
        page.bounced = bounced.map {
            HomePage.Item(label: $0.email, detail: [$0.bouncedAt.map { $0.formatted(.iso8601) }, $0.bounceReason].compactMap { $0 }.joined(separator: " · "), path: nil)
        }
        page.hasBounced = bouncedTotal > 0
        page.bouncedSummary = bouncedTotal > bounced.count
            ? "\(bouncedTotal) addresses refused mail and get none now; the \(bounced.count) most recent:"
            : "\(bouncedTotal) \(bouncedTotal == 1 ? "address" : "addresses") refused mail and \(bouncedTotal == 1 ? "gets" : "get") none now:"
        var response = try renderer.page("admin", page)
        response.headers[.cacheControl] = "no-store"
        return response
    }

    struct NameForm: Decodable, CSRFProtected {
        var _csrf: String
        var name: String
    }

    @Sendable func createOrganization(request: Request, context: DatelineRequestContext) async throws -> Response {
        guard let session = try await admin(request) else { throw HTTPError(.notFound) }
        guard let form = try await form(NameForm.self, request, session) else { return try pages.expiredForm() }
        let name = PlainText.clean(form.name).trimmingCharacters(in: .whitespaces)
        guard let slug = Slug(making: name) else { return try message("Name needed", "An organization needs a name with letters or digits.", status: .badRequest) }
        let created = try await hub.write { database -> Bool in
            guard try await OrganizationModel.query(on: database).filter(\.$slug == slug.rawValue).count() == 0 else { return false }
            try await OrganizationModel(name: name, slug: slug).create(on: database)
            return true
        }
        guard created else {
            return try message("Already there", "An organization with the address /organizations/\(slug.rawValue) exists already.", status: .conflict)
        }
        return Response(status: .seeOther, headers: [.location: "/newsroom/admin/organizations/\(slug.rawValue)"])
    }

    struct OrganizationPage {
        var layout: PageLayout
        var csrf: String
        var name: String
        var slug: String
        var boilerplate: String
        var website: String
        var profiles: [Profile]
        var contacts: [String]
        var members: [Member]
        var action: String
        var contactAction: String
        var memberAction: String

        struct Member {
            var label: String
            var email: String
        }

        struct Profile {
            var key: String
            var label: String
            var value: String
        }
    }

    private func findOrganization(_ context: DatelineRequestContext) async throws -> OrganizationModel {
        guard let slug = context.parameters.get("slug"),
              let organization = try await OrganizationModel.query(on: hub.database).filter(\.$slug == slug).with(\.$contacts).first()
        else { throw HTTPError(.notFound) }
        return organization
    }

    @Sendable func organization(request: Request, context: DatelineRequestContext) async throws -> Response {
        guard let session = try await admin(request) else { throw HTTPError(.notFound) }
        let organization = try await findOrganization(context)
        let members = try await MembershipModel.query(on: hub.database).filter(\.$organization.$id == organization.requireID()).with(\.$user).all()
            .map { OrganizationPage.Member(label: "\($0.user.name) <\($0.user.email)>", email: $0.user.email) }
        var response = try renderer.page("admin-organization", OrganizationPage(
            layout: layout(organization.name), csrf: session.csrfToken, name: organization.name, slug: organization.slug,
            boilerplate: organization.boilerplate ?? "", website: organization.website ?? "",
            profiles: SocialNetwork.allCases.map { .init(key: $0.rawValue, label: $0.displayName, value: organization[$0] ?? "") },
            contacts: organization.contacts.map { [$0.name, $0.title, $0.email, $0.phone].compactMap { $0 }.joined(separator: ", ") },
            members: members,
            action: "/newsroom/admin/organizations/\(organization.slug)", contactAction: "/newsroom/admin/organizations/\(organization.slug)/contacts",
            memberAction: "/newsroom/admin/organizations/\(organization.slug)/members"
        ))
        response.headers[.cacheControl] = "no-store"
        return response
    }

    struct ProfileForm: Decodable, CSRFProtected {
        var _csrf: String
        var name: String
        var boilerplate: String?
        var website: String?
        var mastodon: String?
        var bluesky: String?
        var x: String?
        var facebook: String?
        var linkedin: String?
    }

    @Sendable func updateOrganization(request: Request, context: DatelineRequestContext) async throws -> Response {
        guard let session = try await admin(request) else { throw HTTPError(.notFound) }
        let organization = try await findOrganization(context)
        guard let form = try await form(ProfileForm.self, request, session) else { return try pages.expiredForm() }
        func value(_ text: String?) -> String? {
            let cleaned = text.map(PlainText.clean)?.trimmingCharacters(in: .whitespacesAndNewlines)
            return cleaned?.isEmpty == false ? cleaned : nil
        }
        if let website = value(form.website), ReleaseStore.webURL(website) == nil {
            return try message("Check the website", "The website must be a full http or https address.", status: .badRequest)
        }
        organization.name = value(form.name) ?? organization.name
        organization.boilerplate = value(form.boilerplate)
        organization.website = value(form.website).flatMap(ReleaseStore.webURL)
        organization.mastodon = value(form.mastodon)
        organization.bluesky = value(form.bluesky)
        organization.x = value(form.x)
        organization.facebook = value(form.facebook)
        organization.linkedin = value(form.linkedin)
        // The profile shows on its releases' pages and in listings: every cached page goes.
        try await hub.write { try await organization.save(on: $0); try await PageCacheInvalidation.record([.everything], on: $0) }
        return Response(status: .seeOther, headers: [.location: "/newsroom/admin/organizations/\(organization.slug)"])
    }

    struct ContactForm: Decodable, CSRFProtected {
        var _csrf: String
        var name: String
        var title: String?
        var email: String?
        var phone: String?
    }

    @Sendable func addContact(request: Request, context: DatelineRequestContext) async throws -> Response {
        guard let session = try await admin(request) else { throw HTTPError(.notFound) }
        let organization = try await findOrganization(context)
        guard let form = try await form(ContactForm.self, request, session) else { return try pages.expiredForm() }
        let name = PlainText.clean(form.name).trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty else { return try message("Name needed", "A media contact needs a name.", status: .badRequest) }
        let email = form.email.map { $0.trimmingCharacters(in: .whitespaces) }.flatMap { $0.isEmpty ? nil : $0 }
        if let email, !Accounts.isEmailAddress(email.lowercased()) {
            return try message("Check the address", "'\(email)' is not an email address.", status: .badRequest)
        }
        let contact = MediaContactModel(organizationID: try organization.requireID(), contact: MediaContact(
            name: name, title: form.title.flatMap { $0.isEmpty ? nil : PlainText.clean($0) }, email: email,
            phone: form.phone.flatMap { $0.isEmpty ? nil : PlainText.clean($0) }
        ))
        try await hub.write { try await contact.create(on: $0); try await PageCacheInvalidation.record([.everything], on: $0) }
        return Response(status: .seeOther, headers: [.location: "/newsroom/admin/organizations/\(organization.slug)"])
    }

    struct MembershipForm: Decodable, CSRFProtected {
        var _csrf: String
        var email: String
        /// `add` or `remove`.
        var change: String
    }

    /// Adds an existing user to the organization's members, or removes them.
    @Sendable func changeMembership(request: Request, context: DatelineRequestContext) async throws -> Response {
        guard let session = try await admin(request) else { throw HTTPError(.notFound) }
        let organization = try await findOrganization(context)
        guard let form = try await form(MembershipForm.self, request, session) else { return try pages.expiredForm() }
        let database = try hub.database
        let email = form.email.trimmingCharacters(in: .whitespaces).lowercased()
        guard let user = try await UserModel.query(on: database).filter(\.$email == email).first() else {
            return try message("No such user", "No user has the address \(email). Create the account first.", status: .badRequest)
        }
        try await hub.write { database in
            if form.change == "remove" {
                try await user.$organizations.detach(organization, on: database)
            } else {
                try await user.$organizations.attach(organization, method: .ifNotExists, on: database)
            }
        }
        return Response(status: .seeOther, headers: [.location: "/newsroom/admin/organizations/\(organization.slug)"])
    }

    @Sendable func createTopic(request: Request, context: DatelineRequestContext) async throws -> Response {
        guard let session = try await admin(request) else { throw HTTPError(.notFound) }
        guard let form = try await form(NameForm.self, request, session) else { return try pages.expiredForm() }
        let name = PlainText.clean(form.name).trimmingCharacters(in: .whitespaces)
        guard let slug = Slug(making: name) else { return try message("Name needed", "A topic needs a name with letters or digits.", status: .badRequest) }
        try await hub.write { database in
            if try await TopicModel.query(on: database).filter(\.$slug == slug.rawValue).count() == 0 {
                try await TopicModel(name: name, slug: slug).create(on: database)
            }
        }
        return Response(status: .seeOther, headers: [.location: "/newsroom/admin"])
    }

    struct UserForm: Decodable, CSRFProtected {
        var _csrf: String
        var email: String
        var name: String
        var role: String
        var organization: String?
        var password: String
    }

    @Sendable func createUser(request: Request, context: DatelineRequestContext) async throws -> Response {
        guard let session = try await admin(request) else { throw HTTPError(.notFound) }
        guard let form = try await form(UserForm.self, request, session) else { return try pages.expiredForm() }
        guard let role = Role(rawValue: form.role) else { return try message("Choose a role", "A user is an admin, editor, member or journalist.", status: .badRequest) }
        let organizations = form.organization.map { $0.trimmingCharacters(in: .whitespaces) }.flatMap { $0.isEmpty ? nil : [$0] } ?? []
        do {
            try await Accounts(hub: hub, bcryptCost: settings.bcryptCost).createUser(email: form.email, name: form.name, role: role, password: form.password, organizations: organizations)
        } catch let error as AccountError {
            return try message("Check the account", "The account was not created: \(error).", status: .badRequest)
        }
        return Response(status: .seeOther, headers: [.location: "/newsroom/admin"])
    }

    struct ResetTwoFactorForm: Decodable, CSRFProtected {
        var _csrf: String
        var email: String
    }

    /// Resets a user's second factor (``Accounts/resetTwoFactor(email:actor:at:)``), recorded with the admin as the actor.
    @Sendable func resetTwoFactor(request: Request, context: DatelineRequestContext) async throws -> Response {
        guard let session = try await admin(request) else { throw HTTPError(.notFound) }
        guard let form = try await form(ResetTwoFactorForm.self, request, session) else { return try pages.expiredForm() }
        do {
            try await Accounts(hub: hub, bcryptCost: settings.bcryptCost).resetTwoFactor(email: form.email, actor: session.user.email, at: front.clock())
        } catch let error as AccountError {
            return try message("Check the address", "Nothing was reset: \(error).", status: .badRequest)
        }
        return try message("Second factor reset", "\(form.email.trimmingCharacters(in: .whitespaces).lowercased()) is signed out everywhere and sets up two-factor sign-in again at the next sign-in.", status: .ok)
    }
}
