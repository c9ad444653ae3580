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
    let clock: @Sendable () -> Date

    /// Every route, for the admin group (``NewsroomGateMiddleware/Requirement/admin``).
    func addRoutes(to group: RouterGroup<DatelineRequestContext>) {
        group.get(NewsroomURL.Pattern.admin, use: home)
        group.post(NewsroomURL.Pattern.organizations, use: createOrganization)
        group.get(NewsroomURL.Pattern.organization, use: organization)
        group.post(NewsroomURL.Pattern.organization, use: updateOrganization)
        group.post(NewsroomURL.Pattern.organizationContacts, use: addContact)
        group.post(NewsroomURL.Pattern.organizationMembers, use: changeMembership)
        group.post(NewsroomURL.Pattern.organizationLogo, use: setLogo)
        group.post(NewsroomURL.Pattern.topics, use: createTopic)
        group.post(NewsroomURL.Pattern.users, use: createUser)
        group.post(NewsroomURL.Pattern.resetTwoFactor, use: resetTwoFactor)
    }

    private var pages: NewsroomPages { NewsroomPages(settings: settings, renderer: renderer) }
    private func layout(_ title: String) -> PageLayout { pages.layout(title) }
    private func message(_ title: String, _ text: String, status: HTTPResponse.Status) throws -> Response { try pages.message(title, text, status: status) }

    /// How many bounced addresses the administration page lists.
    static let bouncedShown = 50

    @Sendable func home(request: Request, context: DatelineRequestContext) async throws -> Response {
        let identity = try context.signedIn()
        let database = try hub.database
        let organizations = try await OrganizationModel.query(on: database).sort(\.$name).all().map {
            AdminHomePage.Item(label: $0.name, detail: $0.slug, path: NewsroomURL.organization(slug: $0.slug).path)
        }
        let topics = try await TopicModel.query(on: database).sort(\.$name).all().map { AdminHomePage.Item(label: $0.name, detail: $0.slug, path: nil) }
        let users = try await UserModel.query(on: database).sort(\.$email).all().map {
            AdminHomePage.Item(label: "\($0.name) <\($0.email)>", detail: $0.role + ($0.totpEnabled ? ", two-factor on" : ""), path: nil)
        }
        var page = AdminHomePage(layout: layout("Administration"), csrf: identity.csrfToken, organizations: organizations, topics: topics, users: users, roles: Role.allCases.map(\.rawValue))
        let (bounced, bouncedTotal) = try await Bounces.recent(limit: Self.bouncedShown, on: database)
        page.bounced = bounced.map {
            AdminHomePage.Item(label: $0.email, detail: [$0.bouncedAt.map { $0.formatted(.iso8601) }, $0.bounceReason].compactMap { $0 }.joined(separator: " · "), path: nil)
        }
        page.hasBounced = bouncedTotal > 0
        page.bouncedSummary = bouncedTotal > bounced.count
            ? "\(bouncedTotal) addresses refused mail and get none now; the \(bounced.count) most recent:"
            : "\(bouncedTotal) \(bouncedTotal == 1 ? "address" : "addresses") refused mail and \(bouncedTotal == 1 ? "gets" : "get") none now:"
        var response = try renderer.page("admin", page)
        response.headers[.cacheControl] = "no-store"
        return response
    }

    struct NameForm: Decodable {
        var name: String
    }

    @Sendable func createOrganization(request: Request, context: DatelineRequestContext) async throws -> Response {
        let form = try await request.decode(as: NameForm.self, context: context)
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
        return NewsroomPages.redirect(to: .organization(slug: slug.rawValue))
    }

    func findOrganization(_ context: DatelineRequestContext) async throws -> OrganizationModel {
        guard let slug = context.parameters.get("slug"),
              let organization = try await OrganizationModel.query(on: hub.database).filter(\.$slug == slug).with(\.$contacts).first()
        else { throw HTTPError(.notFound) }
        return organization
    }

    @Sendable func organization(request: Request, context: DatelineRequestContext) async throws -> Response {
        try await organizationPage(try await findOrganization(context), identity: try context.signedIn(), error: nil, status: .ok)
    }

    /// The organization's page; `error` (a refused logo) is shown above its forms.
    func organizationPage(_ organization: OrganizationModel, identity: NewsroomIdentity, error: String?, status: HTTPResponse.Status) async throws -> Response {
        let members = try await MembershipModel.query(on: hub.database).filter(\.$organization.$id == organization.requireID()).with(\.$user).all()
            .map { AdminOrganizationPage.Member(label: "\($0.user.name) <\($0.user.email)>", email: $0.user.email) }
        var page = AdminOrganizationPage(
            layout: layout(error == nil ? organization.name : "Error: \(organization.name)"), csrf: identity.csrfToken, name: organization.name, slug: organization.slug,
            boilerplate: organization.boilerplate ?? "", website: organization.website ?? "",
            profiles: SocialNetwork.allCases.map { .init(key: $0.rawValue, label: $0.displayName, value: organization[$0] ?? "") },
            contacts: organization.contacts.map { [$0.name, $0.title, $0.email, $0.phone].compactMap { $0 }.joined(separator: ", ") },
            members: members,
            action: NewsroomURL.organization(slug: organization.slug).path, contactAction: NewsroomURL.organizationContacts(slug: organization.slug).path,
            memberAction: NewsroomURL.organizationMembers(slug: organization.slug).path
        )
        page.logoAction = NewsroomURL.organizationLogo(slug: organization.slug).path
        if let logo = try await MediaStore.logo(of: try organization.requireID(), on: hub.database), let file = logo.primary ?? logo.renditions.first {
            page.logoURL = SiteURL.media(file).path
            page.logoAlt = logo.alt
        }
        page.error = error
        var response = try renderer.page("admin-organization", page, status: status)
        response.headers[.cacheControl] = "no-store"
        return response
    }

    struct ProfileForm: Decodable {
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
        let organization = try await findOrganization(context)
        let form = try await request.decode(as: ProfileForm.self, context: context)
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
        return NewsroomPages.redirect(to: .organization(slug: organization.slug))
    }

    struct ContactForm: Decodable {
        var name: String
        var title: String?
        var email: String?
        var phone: String?
    }

    @Sendable func addContact(request: Request, context: DatelineRequestContext) async throws -> Response {
        let organization = try await findOrganization(context)
        let form = try await request.decode(as: ContactForm.self, context: context)
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
        return NewsroomPages.redirect(to: .organization(slug: organization.slug))
    }

    struct MembershipForm: Decodable {
        var email: String
        /// `add` or `remove`.
        var change: String
    }

    /// Adds an existing user to the organization's members, or removes them.
    @Sendable func changeMembership(request: Request, context: DatelineRequestContext) async throws -> Response {
        let organization = try await findOrganization(context)
        let form = try await request.decode(as: MembershipForm.self, context: context)
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
        return NewsroomPages.redirect(to: .organization(slug: organization.slug))
    }

    @Sendable func createTopic(request: Request, context: DatelineRequestContext) async throws -> Response {
        let form = try await request.decode(as: NameForm.self, context: context)
        let name = PlainText.clean(form.name).trimmingCharacters(in: .whitespaces)
        guard let slug = Slug(making: name) else { return try message("Name needed", "A topic needs a name with letters or digits.", status: .badRequest) }
        try await hub.write { database in
            if try await TopicModel.query(on: database).filter(\.$slug == slug.rawValue).count() == 0 {
                try await TopicModel(name: name, slug: slug).create(on: database)
            }
        }
        return NewsroomPages.redirect(to: .admin)
    }

    struct UserForm: Decodable {
        var email: String
        var name: String
        var role: String
        var organization: String?
        var password: String
    }

    @Sendable func createUser(request: Request, context: DatelineRequestContext) async throws -> Response {
        let form = try await request.decode(as: UserForm.self, context: context)
        guard let role = Role(rawValue: form.role) else { return try message("Choose a role", "A user is an admin, editor, member or journalist.", status: .badRequest) }
        let organizations = form.organization.map { $0.trimmingCharacters(in: .whitespaces) }.flatMap { $0.isEmpty ? nil : [$0] } ?? []
        do {
            try await Accounts(hub: hub, bcryptCost: settings.bcryptCost).createUser(email: form.email, name: form.name, role: role, password: form.password, organizations: organizations)
        } catch let error as AccountError {
            return try message("Check the account", "The account was not created: \(error).", status: .badRequest)
        }
        return NewsroomPages.redirect(to: .admin)
    }

    struct ResetTwoFactorForm: Decodable {
        var email: String
    }

    /// Resets a user's second factor (``Accounts/resetTwoFactor(email:actor:at:)``), recorded with the admin as the actor.
    @Sendable func resetTwoFactor(request: Request, context: DatelineRequestContext) async throws -> Response {
        let identity = try context.signedIn()
        let form = try await request.decode(as: ResetTwoFactorForm.self, context: context)
        do {
            try await Accounts(hub: hub, bcryptCost: settings.bcryptCost).resetTwoFactor(email: form.email, actor: identity.user.email, at: clock())
        } catch let error as AccountError {
            return try message("Check the address", "Nothing was reset: \(error).", status: .badRequest)
        }
        return try message("Second factor reset", "\(form.email.trimmingCharacters(in: .whitespaces).lowercased()) is signed out everywhere and sets up two-factor sign-in again at the next sign-in.", status: .ok)
    }
}
