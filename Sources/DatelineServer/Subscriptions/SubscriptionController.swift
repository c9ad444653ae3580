import Crypto
import DatelineCore
import FluentKit
import Foundation
import Hummingbird

/// The reader's side of subscriptions: sign up, confirm, choose what to receive, unsubscribe.
///
/// - Double opt-in: signing up sends a confirmation; nothing else is sent until the subscriber
///   presses the button on the confirmation page. Opening a link (as mail scanners do) changes
///   nothing: every change is a POST.
/// - No password: links in mail carry signed, expiring tokens (``SubscriptionToken``).
/// - One-click unsubscribe (RFC 8058 §3.1): a POST to the List-Unsubscribe address unsubscribes.
/// - The sign-up form answers the same whatever the address's state, so it reveals no
///   subscriber, and is throttled per address and per client.
/// - CSRF: the sign-up POST must come from the site's own pages (Origin, or Sec-Fetch-Site, or
///   Referer); the other forms carry the secret token, which a forging site does not have.
struct SubscriptionController {
    let hub: DatabaseHub
    let settings: Settings
    let renderer: PageRenderer
    let clock: @Sendable () -> Date

    /// Sign-ups per address per day, and per client address per hour.
    static let perAddressPerDay = 3
    static let perClientPerHour = 10

    func addRoutes(to router: Router<DatelineRequestContext>) {
        router.post(SiteURL.Pattern.subscribe, use: subscribe)
        router.get(SiteURL.Pattern.confirmSubscription, use: confirmPage)
        router.post(SiteURL.Pattern.confirmSubscription, use: confirm)
        router.get(SiteURL.Pattern.subscription, use: preferencesPage)
        router.post(SiteURL.Pattern.subscription, use: savePreferences)
        router.get(SiteURL.Pattern.unsubscribe, use: unsubscribePage)
        router.post(SiteURL.Pattern.unsubscribe, use: unsubscribe)
    }

    // MARK: - Sign up

    struct SignUpForm: Decodable {
        var email: String?
    }

    @Sendable func subscribe(request: Request, context: DatelineRequestContext) async throws -> Response {
        guard isFromOwnPage(request) else {
            return try message("This form has expired", "For your security, the sign-up form works only from this site's pages. Go back, reload the page, and send it again.", status: .forbidden)
        }
        let form = try await Self.readForm(SignUpForm.self, request, context) ?? SignUpForm()
        let email: String
        switch MailAddress.validate(form.email ?? "") {
        case .success(let valid): email = valid
        case .failure(let problem):
            // The page's own form carries the address and the error: the footer's sign-up box
            // would be a second email field.
            let signUpLayout = layout("Error: subscribe")
            signUpLayout.showSignUp = false
            return try page("subscribe", SignUpPage(layout: signUpLayout, email: form.email ?? "", error: problem.description), status: .unprocessableContent)
        }
        let now = clock()
        let client = context.clientAddress
        // The per-address limit protects a mailbox, so it counts every spelling that reaches it
        // (stranger+1@, Stranger+2@ …): attempts are recorded under the mailbox key.
        let mailbox = Mailbox.key(email)
        let throttled = try await hub.write { database -> Bool in
            let byAddress = try await SubscriptionAttemptModel.query(on: database).filter(\.$email == mailbox).filter(\.$createdAt > now.addingTimeInterval(-86400)).count()
            let byClient = try await SubscriptionAttemptModel.query(on: database).filter(\.$client == client).filter(\.$createdAt > now.addingTimeInterval(-3600)).count()
            guard byAddress < Self.perAddressPerDay, byClient < Self.perClientPerHour else { return true }
            try await SubscriptionAttemptModel(email: mailbox, client: client, at: now).create(on: database)
            let subscriber = try await SubscriberModel.query(on: database).filter(\.$email == email).first() ?? SubscriberModel(email: email)
            // A confirmed subscriber stays as they are; anyone else is asked to confirm (again).
            if subscriber.subscriberStatus != .confirmed {
                subscriber.status = SubscriberStatus.pending.rawValue
                try await subscriber.save(on: database)
                try await Outbox.enqueueConfirmation(subscriberID: subscriber.id!, at: now, on: database)
            }
            return false
        }
        if throttled {
            return try message("Too many sign-ups", "We have sent enough confirmation messages for now. Check your inbox (and spam folder) for the one we sent, or try again tomorrow.", status: .tooManyRequests)
        }
        return try message("Check your inbox", "We have sent a message to \(email). Open the link in it and press the button to confirm your subscription. Until then we send you nothing else.", status: .ok)
    }

    /// The sign-up form posts from our own pages. Browsers say where a POST comes from in
    /// Origin (or Sec-Fetch-Site); Referer is the fallback for old ones.
    private func isFromOwnPage(_ request: Request) -> Bool {
        let base = settings.baseURL
        let origin = "\(base.scheme ?? "http")://\(base.host ?? "")" + (base.port.map { ":\($0)" } ?? "")
        if let header = request.headers[.origin] { return header == origin }
        if let site = request.headers[.init("Sec-Fetch-Site")!] { return site == "same-origin" }
        if let referer = request.headers[.referer] { return referer == origin || referer.hasPrefix(origin + "/") }
        return false
    }

    // MARK: - Confirm

    struct TokenForm: Decodable {
        var token: String?
    }

    @Sendable func confirmPage(request: Request, context: DatelineRequestContext) async throws -> Response {
        guard let token = request.uri.queryParameters.get("token"), let verified = try await verify(token, .confirm),
              let subscriber = try await SubscriberModel.find(verified.subscriberID, on: try hub.database),
              Self.confirmationStands(verified, for: subscriber)
        else { return try expiredLink() }
        return try page("subscription-confirm", TokenPage(layout: layout("Confirm your subscription"), token: token, action: SiteURL.Pattern.confirmSubscription.description))
    }

    @Sendable func confirm(request: Request, context: DatelineRequestContext) async throws -> Response {
        let form = try await Self.readForm(TokenForm.self, request, context)
        guard let token = form?.token, let verified = try await verify(token, .confirm) else { return try expiredLink() }
        // Read, check and change in one write, so an unsubscribe that commits meanwhile is
        // never undone by a confirmation that checked before it.
        let now = clock()
        let confirmed: SubscriberModel? = try await hub.write { database in
            guard let subscriber = try await SubscriberModel.find(verified.subscriberID, on: database),
                  Self.confirmationStands(verified, for: subscriber)
            else { return nil }
            if subscriber.subscriberStatus != .confirmed {
                subscriber.status = SubscriberStatus.confirmed.rawValue
                subscriber.confirmedAt = now
                subscriber.unsubscribedAt = nil
                try await subscriber.save(on: database)
            }
            return subscriber
        }
        guard let subscriber = confirmed else { return try expiredLink() }
        return try await preferences(subscriber, notice: "Your subscription is confirmed. You will receive a daily digest of every release; choose below if you want something else.")
    }

    /// Whether a confirmation token may still confirm: not after an unsubscribe. An unsubscribed
    /// subscriber is never confirmed by a link (they sign up again, which sends a new one), and a
    /// link issued before the last unsubscribe stays dead even after a new sign-up. The token
    /// carries its expiry, so its issue time is the expiry less the confirm lifetime (to the second).
    static func confirmationStands(_ token: SubscriptionToken, for subscriber: SubscriberModel) -> Bool {
        // A bounced address, like an unsubscribed one, is confirmed again only by a new sign-up.
        if subscriber.subscriberStatus == .unsubscribed || subscriber.subscriberStatus == .bounced { return false }
        guard let unsubscribedAt = subscriber.unsubscribedAt else { return true }
        let issued = token.expires.addingTimeInterval(-SubscriptionToken.Purpose.confirm.lifetime)
        return issued.timeIntervalSince1970 >= unsubscribedAt.timeIntervalSince1970.rounded(.down)
    }

    // MARK: - Preferences

    @Sendable func preferencesPage(request: Request, context: DatelineRequestContext) async throws -> Response {
        guard let token = request.uri.queryParameters.get("token"), let verified = try await verify(token, .manage),
              let subscriber = try await SubscriberModel.find(verified.subscriberID, on: try hub.database),
              subscriber.subscriberStatus == .confirmed
        else { return try expiredLink() }
        return try await preferences(subscriber, notice: nil)
    }

    struct PreferencesForm: Decodable {
        var token: String?
        var cadence: String?
        var scope: String?
        var organizations: [String]?
        var topics: [String]?
        var languages: [String]?
    }

    @Sendable func savePreferences(request: Request, context: DatelineRequestContext) async throws -> Response {
        let form = try await Self.readForm(PreferencesForm.self, request, context)
        guard let form, let token = form.token, let verified = try await verify(token, .manage) else { return try expiredLink() }
        let database = try hub.database
        guard let subscriber = try await SubscriberModel.find(verified.subscriberID, on: database), subscriber.subscriberStatus == .confirmed else {
            return try expiredLink()
        }
        let available = try await PublicReleases(database: database, now: clock()).followable()
        let organizations = Set(form.organizations ?? []).intersection(available.organizations.map(\.slug))
        let topics = Set(form.topics ?? []).intersection(available.topics.map(\.slug))
        let languages = Set(form.languages ?? []).intersection(available.languages)
        let everything = form.scope != "chosen"
        if !everything && organizations.isEmpty && topics.isEmpty {
            return try await preferences(subscriber, notice: nil, error: "Choose at least one organization or topic, or choose every release.", status: .unprocessableContent)
        }
        try await hub.write { database in
            subscriber.cadence = (DeliveryCadence(rawValue: form.cadence ?? "") ?? .daily).rawValue
            subscriber.everything = everything
            try await subscriber.save(on: database)
            try await SubscriberFollowModel.query(on: database).filter(\.$subscriber.$id == subscriber.id!).delete()
            let follows = organizations.map { (FollowKind.organization, $0) } + topics.map { (.topic, $0) } + languages.map { (.language, $0) }
            for (kind, value) in follows {
                try await SubscriberFollowModel(subscriberID: subscriber.id!, kind: kind, value: value).create(on: database)
            }
        }
        return try await preferences(subscriber, notice: "Your choices are saved.")
    }

    private func preferences(_ subscriber: SubscriberModel, notice: String?, error: String? = nil, status: HTTPResponse.Status = .ok) async throws -> Response {
        let database = try hub.database
        let now = clock()
        let key = try await SubscriptionTokenKey.load(from: hub)
        let follows = try await SubscriberFollowModel.query(on: database).filter(\.$subscriber.$id == subscriber.id!).all()
        func followed(_ kind: FollowKind) -> Set<String> { Set(follows.filter { $0.kind == kind.rawValue }.map(\.value)) }
        let available = try await PublicReleases(database: database, now: now).followable()
        var page = PreferencesPage(
            layout: layout("Your subscription"),
            email: subscriber.email,
            token: SubscriptionToken.issue(.manage, for: subscriber.id!, now: now, key: key),
            unsubscribeAction: SiteURL.unsubscribe(token: SubscriptionToken.issue(.unsubscribe, for: subscriber.id!, now: now, key: key)).path,
            notice: notice,
            error: error,
            isDaily: subscriber.cadence == DeliveryCadence.daily.rawValue,
            isInstant: subscriber.cadence == DeliveryCadence.instant.rawValue,
            isEverything: subscriber.everything,
            isChosen: !subscriber.everything,
            organizations: available.organizations.map { Choice(value: $0.slug, label: $0.name, checked: followed(.organization).contains($0.slug)) },
            topics: available.topics.map { Choice(value: $0.slug, label: $0.name, checked: followed(.topic).contains($0.slug)) },
            languages: available.languages.map { Choice(value: $0, label: Locale(identifier: "en").localizedString(forIdentifier: $0) ?? $0, checked: followed(.language).contains($0)) }
        )
        page.hasOrganizations = !page.organizations.isEmpty
        page.hasTopics = !page.topics.isEmpty
        page.hasLanguages = !page.languages.isEmpty
        return try self.page("subscription", page, status: status)
    }

    // MARK: - Unsubscribe

    @Sendable func unsubscribePage(request: Request, context: DatelineRequestContext) async throws -> Response {
        guard let token = request.uri.queryParameters.get("token"), try await verify(token, .unsubscribe) != nil else { return try expiredLink() }
        return try page("unsubscribe", TokenPage(layout: layout("Unsubscribe"), token: token, action: SiteURL.unsubscribe(token: token).path))
    }

    /// Both the page's button and RFC 8058 one-click clients POST here, the token in the query.
    @Sendable func unsubscribe(request: Request, context: DatelineRequestContext) async throws -> Response {
        guard let token = request.uri.queryParameters.get("token"), let verified = try await verify(token, .unsubscribe) else { return try expiredLink() }
        let now = clock()
        try await hub.write { database in
            if let subscriber = try await SubscriberModel.find(verified.subscriberID, on: database), subscriber.subscriberStatus != .unsubscribed {
                subscriber.status = SubscriberStatus.unsubscribed.rawValue
                subscriber.unsubscribedAt = now
                try await subscriber.save(on: database)
            }
        }
        return try message("You are unsubscribed", "We will send no more mail to this address. If you change your mind, sign up again with the form below.", status: .ok)
    }

    // MARK: - Helpers

    private func verify(_ token: String, _ purpose: SubscriptionToken.Purpose) async throws -> SubscriptionToken? {
        SubscriptionToken.verify(token, purpose: purpose, key: try await SubscriptionTokenKey.load(from: hub), now: clock())
    }

    private func expiredLink() throws -> Response {
        try message("This link has expired", "Links in our messages work for a limited time. Sign up again with the form below, or use the links in a more recent message.", status: .gone)
    }

    private func layout(_ title: String) -> PageLayout {
        let layout = PageLayout(settings: settings, title: title)
        layout.meta = [MetaTag(attribute: "name", key: "robots", content: "noindex, nofollow")]
        return layout
    }

    /// Pages with a token are personal: no cache may keep them, and no other site learns the link.
    private func page(_ template: String, _ context: Any, status: HTTPResponse.Status = .ok) throws -> Response {
        var response = try renderer.page(template, context, status: status)
        response.headers[.cacheControl] = "no-store"
        response.headers[.init("Referrer-Policy")!] = "no-referrer"
        return response
    }

    private func message(_ title: String, _ text: String, status: HTTPResponse.Status) throws -> Response {
        try page("message", MessagePage(layout: layout(title), title: title, text: text), status: status)
    }

    /// A subscriber's form through the context's form decoder; nil when it does not decode (the
    /// caller then answers as for an empty form or a dead link). A body over the limit is a 413.
    static func readForm<T: Decodable>(_ type: T.Type, _ request: Request, _ context: DatelineRequestContext) async throws -> T? {
        do {
            return try await request.decode(as: type, context: context)
        } catch let error as HTTPError where error.status == .badRequest {
            return nil
        }
    }
}

struct SignUpPage {
    var layout: PageLayout
    var email: String
    var error: String?
}

struct TokenPage {
    var layout: PageLayout
    var token: String
    var action: String
}

struct Choice {
    var value: String
    var label: String
    var checked: Bool
}

struct PreferencesPage {
    var layout: PageLayout
    var email: String
    var token: String
    var unsubscribeAction: String
    var notice: String?
    var error: String?
    var isDaily: Bool
    var isInstant: Bool
    var isEverything: Bool
    var isChosen: Bool
    var organizations: [Choice]
    var topics: [Choice]
    var languages: [Choice]
    // Mustache reads stored properties only.
    var hasOrganizations = false
    var hasTopics = false
    var hasLanguages = false

}
