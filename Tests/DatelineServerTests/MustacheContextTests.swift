import DatelineCore
@testable import DatelineServer
import Foundation
import Mustache
import Testing

/// Page contexts answer the templates through `MustacheParent.child(named:)`, not Mirror. These
/// tests hold each page's context to what Mirror would have shown: the same rendered bytes,
/// and every stored property answered by its own name.
@Suite("Page contexts read without reflection")
struct MustacheContextTests {
    @Test("Every page renders the same bytes from its context as from the context's reflection", arguments: PageFixture.all)
    func sameBytesAsReflection(fixture: PageFixture) async throws {
        // setup
        let renderer = try await PageRenderer.load(resourcesDirectory: repositoryRoot.appendingPathComponent("Resources"))
        let reflected = Reflection.value(fixture.context)
        #expect(reflected is [String: Any], "\(fixture) reflects to a dictionary")

        // MUT
        let fromContext = renderer.library.render(fixture.context, withTemplate: fixture.template)
        let fromReflection = renderer.library.render(reflected, withTemplate: fixture.template)

        // validation
        let html = try #require(fromContext)
        #expect(html == fromReflection)
        #expect(html.count > 500, "the \(fixture.template) page rendered its layout")
    }

    @Test("Every stored property of every context, nested ones too, is answered by its name with its value", arguments: PageFixture.all)
    func everyPropertyAnswered(fixture: PageFixture) {
        // MUT
        let problems = Reflection.unansweredProperties(of: fixture.context, path: String(describing: type(of: fixture.context)), full: fixture.isFull)

        // validation
        #expect(problems.isEmpty, "\(fixture): \(problems.joined(separator: "; "))")
    }

    @Test("A nil optional answers nil, so Mustache looks further up the context stack as it does through Mirror")
    func nilOptionalLooksUpTheStack() throws {
        // setup: a contact without a title, inside a context that has one; beside it, the same
        // contact as a struct Mustache can read only through Mirror
        struct MirroredContact { var name: String; var title: String? }
        let card = ContactCard(MediaContact(name: "Lena Marsh"))
        let template = try MustacheTemplate(string: "{{#card}}{{name}} [{{title}}] {{#title}}shown{{/title}}{{^title}}hidden{{/title}}{{/card}}")

        // MUT
        let answer = card.child(named: "title")
        let rendered = template.render(["card": card, "title": "outer title"] as [String: Any])
        let throughMirror = template.render(["card": MirroredContact(name: "Lena Marsh", title: nil), "title": "outer title"] as [String: Any])

        // validation
        #expect(answer == nil)
        #expect(rendered == "Lena Marsh [outer title] shown", "the outer context's title is found")
        #expect(rendered == throughMirror)
    }
}

// MARK: - Fixtures

/// One page's template and a context for it: `full` sets every optional and fills every
/// array (so a missing `child(named:)` case cannot hide behind nil), the other leaves them empty.
struct PageFixture: CustomTestStringConvertible, Sendable {
    var template: String
    var isFull: Bool
    var make: @Sendable () -> Any

    var context: Any { make() }
    var testDescription: String { "\(template) (\(isFull ? "full" : "sparse"))" }

    static let all: [PageFixture] = [
        PageFixture(template: "release", isFull: true) { Contexts.releasePage(full: true) },
        PageFixture(template: "release", isFull: false) { Contexts.releasePage(full: false) },
        PageFixture(template: "home", isFull: true) { HomePage(layout: Contexts.layout(full: true), releases: [Contexts.summary(number: 1), Contexts.summary(number: 2)], pagination: Contexts.pagination(full: true)) },
        PageFixture(template: "home", isFull: false) { HomePage(layout: Contexts.layout(full: false), releases: [], pagination: Contexts.pagination(full: false)) },
        PageFixture(template: "organization", isFull: true) {
            var page = OrganizationPage(
                layout: Contexts.layout(full: true), name: "Amnesty International USA", boilerplateHTML: "<p>Amnesty is a <em>movement</em>.</p>",
                website: "https://www.amnestyusa.org", follow: Contexts.follow, contacts: Contexts.contacts,
                releases: [Contexts.summary(number: 1)], pagination: Contexts.pagination(full: true)
            )
            page.logo = LogoImage(ReleaseMedia(
                id: MediaID("0123456789abcdef0123456789abcdef")!, kind: .image, alt: "Amnesty International USA logo", fileName: "logo.png",
                mediaType: "image/png", byteSize: 2048, width: 400, height: 200,
                renditions: [MediaRendition(name: "w400", id: MediaID("fedcba9876543210fedcba9876543210")!, mediaType: "image/jpeg", width: 400, height: 200, byteSize: 9000)]
            ))
            return page
        },
        PageFixture(template: "organization", isFull: false) {
            OrganizationPage(layout: Contexts.layout(full: false), name: "NASA", boilerplateHTML: nil, website: nil, follow: [], contacts: [], releases: [], pagination: Contexts.pagination(full: false))
        },
        PageFixture(template: "topic", isFull: true) { TopicPage(layout: Contexts.layout(full: true), name: "Human rights", releases: [Contexts.summary(number: 3)], pagination: Contexts.pagination(full: true)) },
        PageFixture(template: "topic", isFull: false) { TopicPage(layout: Contexts.layout(full: false), name: "Science", releases: [], pagination: Contexts.pagination(full: false)) },
        PageFixture(template: "not-found", isFull: true) { NotFoundPage(layout: Contexts.layout(full: true)) },
        PageFixture(template: "server-error", isFull: true) { ServerErrorPage(layout: Contexts.layout(full: true)) },
        PageFixture(template: "share-mastodon", isFull: true) {
            var page = MastodonSharePage(settings: Contexts.settings, text: "Prisoner Pardons in Iran https://wire.example.org/releases/x", instance: "mastodon.social", error: "“10.0.0.1” is not a server name.")
            page.continueURL = "https://mastodon.social/share?text=Prisoner"
            page.continueHost = "mastodon.social."
            page.layout = Contexts.layout(full: true)
            return page
        },
        PageFixture(template: "share-mastodon", isFull: false) { MastodonSharePage(settings: Contexts.settings, text: "", instance: "", error: nil) },
        PageFixture(template: "subscribe", isFull: true) { SignUpPage(layout: Contexts.layout(full: true), email: "reader@example.org", error: "That is not an email address.") },
        PageFixture(template: "subscribe", isFull: false) { SignUpPage(layout: Contexts.layout(full: false), email: "", error: nil) },
        PageFixture(template: "subscription", isFull: true) { Contexts.preferences(full: true) },
        PageFixture(template: "subscription", isFull: false) { Contexts.preferences(full: false) },
        PageFixture(template: "subscription-confirm", isFull: true) { TokenPage(layout: Contexts.layout(full: true), token: "c0ffee-token", action: "/subscription/confirm") },
        PageFixture(template: "unsubscribe", isFull: true) { TokenPage(layout: Contexts.layout(full: true), token: "dead-beef", action: "/unsubscribe?token=dead-beef") },
        PageFixture(template: "message", isFull: true) { MessagePage(layout: Contexts.layout(full: true), title: "Check your inbox", text: "We have sent a message to reader@example.org.") },
        // The browse pages
        PageFixture(template: "directory", isFull: true) {
            // One entry with every optional set: an organization's count and date, a native name.
            var entry = DirectoryEntry(DirectoryOrganization(slug: Slug(making: "amnesty")!, name: "Amnesty", releaseCount: 3, latest: Date(timeIntervalSince1970: 1_700_000_000)))
            entry.nativeName = "Amnistie"
            entry.lang = "fr"
            entry.dir = "ltr"
            return DirectoryPage(layout: Contexts.layout(full: true), heading: "Organizations", introduction: "Every organization, A–Z.", entries: [entry], letterBar: true)
        },
        PageFixture(template: "directory", isFull: false) { DirectoryPage(layout: Contexts.layout(full: false), heading: "Topics", introduction: "Topics.", entries: [], letterBar: false) },
        PageFixture(template: "directory", isFull: false) {
            DirectoryPage(layout: Contexts.layout(full: false), heading: "Languages", introduction: "Languages.",
                          entries: [DirectoryEntry(language: LanguageTag("ar")!), DirectoryEntry(language: LanguageTag("en")!), DirectoryEntry(topic: Slug(making: "water")!, name: "Water")], letterBar: true)
        },
        PageFixture(template: "language", isFull: true) {
            LanguagePage(layout: Contexts.layout(full: true), name: "French", nativeName: "français", tag: LanguageTag("fr")!, releases: [Contexts.summary(number: 1)], pagination: Contexts.pagination(full: true))
        },
        PageFixture(template: "archive", isFull: true) {
            ArchivePage(layout: Contexts.layout(full: true), heading: "March 2024", trail: [ArchiveLink(label: "Archive", path: "/archive", count: "2 releases", isCurrent: false)],
                        years: [ArchiveLink(label: "2024", path: "/archive/2024", count: "1 release", isCurrent: true)],
                        months: [ArchiveLink(label: "March", path: "/archive/2024/03", count: "1 release", isCurrent: true)],
                        releases: [Contexts.summary(number: 2)], listsReleases: true, pagination: Contexts.pagination(full: true))
        },
        PageFixture(template: "archive", isFull: false) {
            ArchivePage(layout: Contexts.layout(full: false), heading: "Archive", trail: [], years: [], months: [], releases: [], listsReleases: false, pagination: nil)
        },
        // Search: results with a filter, facets and pages; an empty query
        PageFixture(template: "search", isFull: true) { Contexts.searchPage() },
        PageFixture(template: "search", isFull: false) { SearchPage(settings: Contexts.settings, parameters: SearchParameters(), results: nil) },
        // The newsroom's pages
        PageFixture(template: "sign-in", isFull: true) { SignInPage(layout: Contexts.layout(full: true), csrf: "csrf-1", email: "editor@example.org", error: "Wrong password.") },
        PageFixture(template: "sign-in", isFull: false) { SignInPage(layout: Contexts.layout(full: false), csrf: "csrf-1", email: "", error: nil) },
        PageFixture(template: "two-factor", isFull: true) {
            TwoFactorPage(
                layout: Contexts.layout(full: true), csrf: "csrf-2", enrolling: true, secret: "JBSWY3DPEHPK3PXP", authenticatorURL: "otpauth://totp/Dateline:editor",
                qrSVG: QRCode.svg("otpauth://totp/Dateline:editor", label: "QR code"), error: "That code is not right."
            )
        },
        PageFixture(template: "two-factor", isFull: false) { TwoFactorPage(layout: Contexts.layout(full: false), csrf: "csrf-2", enrolling: false, secret: nil, authenticatorURL: nil, error: nil) },
        PageFixture(template: "newsroom", isFull: true) {
            NewsroomHomePage(layout: Contexts.layout(full: true), csrf: "csrf-3", name: "Eda Editor", email: "eda@example.org", role: "editor", organizations: ["Amnesty", "NASA"], hasOrganizations: true, isAdmin: true, twoFactorOn: true, recoveryCodesLeft: 7, zones: [.init(value: "America/New_York", label: "America/New York", selected: true)])
        },
        PageFixture(template: "admin-subscribers", isFull: true) {
            var page = AudiencePage(layout: Contexts.layout(full: true), csrf: "csrf-7", title: "Subscribers", detail: "All of them",
                                    rows: [.init(label: "ann@readers.example", path: "/newsroom/admin/subscribers/1", detail: "confirmed · daily digest", date: "2026-05-01 09:00")])
            page.query = "readers"
            page.statuses = [FormOption(value: "bounced", label: "Bounced", selected: true)]
            page.failures = [OutboxFailure(email: "cy@elsewhere.example", kind: "alert", state: "failed", error: "550 5.1.1 mailbox unavailable", at: "2026-05-02 10:00")]
            page.hasFailures = true
            page.removeAction = "/newsroom/admin/subscribers/1/remove"
            page.newerPath = "/newsroom/admin/subscribers"
            page.olderPath = "/newsroom/admin/subscribers?page=3"
            return page
        },
        PageFixture(template: "admin-journalists", isFull: false) {
            AudiencePage(layout: Contexts.layout(full: false), csrf: "csrf-8", title: "Journalists", rows: [])
        },
        PageFixture(template: "recovery-codes", isFull: true) {
            RecoveryCodesPage(layout: Contexts.layout(full: true), codes: ["7KQ2M-9XH4D", "0AB3C-DEF4G"], isEnrolment: true)
        },
        PageFixture(template: "newsroom-releases", isFull: true) {
            let row = NewsroomReleaseRow(
                headline: "Prisoner Pardons", organization: "Amnesty", status: "embargoed", path: "/newsroom/releases/abc",
                created: "2026-05-01 08:00", submitted: "2026-05-01 09:00", timeLabel: "Lifts", time: "2026-05-02 05:00", changed: "2026-05-01 10:00"
            )
            let option = FormOption(value: "amnesty", label: "Amnesty", selected: true)
            return ReleaseListPage(
                layout: Contexts.layout(full: true), csrf: "csrf-4", isEditor: true, reviewQueue: [row], hasReviewQueue: true, releases: [row], hasReleases: true,
                organizations: [option], hasOrganizations: true, filterOrganizations: [option],
                statuses: [FormOption(value: "embargoed", label: "Embargoed", selected: true)], headlineQuery: "pardons", isFiltered: true,
                page: 2, newerPath: "/newsroom/releases?status=embargoed", olderPath: "/newsroom/releases?status=embargoed&page=3"
            )
        },
        PageFixture(template: "newsroom-releases", isFull: false) {
            ReleaseListPage(
                layout: Contexts.layout(full: false), csrf: "csrf-4", isEditor: false, reviewQueue: [], hasReviewQueue: false, releases: [], hasReleases: false, organizations: [], hasOrganizations: false,
                filterOrganizations: [], statuses: [], headlineQuery: "", isFiltered: false, page: 1, newerPath: nil, olderPath: nil
            )
        },
        PageFixture(template: "newsroom-edit", isFull: true) { Contexts.editPage(full: true) },
        PageFixture(template: "newsroom-edit", isFull: false) { Contexts.editPage(full: false) },
        PageFixture(template: "admin", isFull: true) {
            typealias Item = AdminHomePage.Item
            var page = AdminHomePage(
                layout: Contexts.layout(full: true), csrf: "csrf-5", organizations: [Item(label: "Amnesty", detail: "amnesty", path: "/newsroom/admin/organizations/amnesty")],
                topics: [Item(label: "Iran", detail: "iran", path: "/topics/iran")], users: [Item(label: "Eda <eda@example.org>", detail: "admin", path: "/users/eda")], roles: ["writer", "editor", "admin"]
            )
            page.bounced = [Item(label: "gone@example.org", detail: "2026-05-01 · 550 no such user", path: "/subscribers/gone")]
            page.hasBounced = true
            page.bouncedSummary = "1 address refused mail and gets none now:"
            return page
        },
        PageFixture(template: "admin", isFull: false) { AdminHomePage(layout: Contexts.layout(full: false), csrf: "csrf-5", organizations: [], topics: [], users: [], roles: []) },
        PageFixture(template: "admin-organization", isFull: true) {
            AdminOrganizationPage(
                layout: Contexts.layout(full: true), csrf: "csrf-6", name: "Amnesty International USA", slug: "amnesty", boilerplate: "Amnesty is a movement.", website: "https://www.amnestyusa.org",
                profiles: [.init(key: "x", label: "X", value: "@amnestyusa")], contacts: ["Lena Marsh, Press officer"], members: [.init(label: "Wes Writer <wes@example.org>", email: "wes@example.org")],
                action: "/newsroom/admin/organizations/amnesty", contactAction: "/newsroom/admin/organizations/amnesty/contacts", memberAction: "/newsroom/admin/organizations/amnesty/members",
                logoAction: "/newsroom/admin/organizations/amnesty/logo", logoURL: "/media/0123456789abcdef0123456789abcdef.jpg", logoAlt: "Amnesty International USA logo",
                error: "logo.svg is an SVG drawing."
            )
        },
        PageFixture(template: "admin-organization", isFull: false) {
            AdminOrganizationPage(
                layout: Contexts.layout(full: false), csrf: "csrf-6", name: "NASA", slug: "nasa", boilerplate: "", website: "", profiles: [], contacts: [], members: [],
                action: "/newsroom/admin/organizations/nasa", contactAction: "/newsroom/admin/organizations/nasa/contacts", memberAction: "/newsroom/admin/organizations/nasa/members",
                logoAction: "/newsroom/admin/organizations/nasa/logo"
            )
        },
        PageFixture(template: "admin-appeal", isFull: true) {
            AdminAppealPage(
                layout: Contexts.layout(full: true), csrf: "csrf-7", heading: "Free to all", text: "Readers keep it so.",
                methods: [SupportAppeal.DonationMethod(name: "Monthly gift", url: "https://example.org/give", note: "Cancel any time")], notice: "Saved.", error: "Method 2 has no name."
            )
        },
        PageFixture(template: "admin-appeal", isFull: false) { AdminAppealPage(layout: Contexts.layout(full: false), csrf: "csrf-7", heading: "", text: "", methods: [], notice: nil, error: nil) },
        PageFixture(template: "forgot-password", isFull: true) { PasswordRequestPage(layout: Contexts.layout(full: true), csrf: "csrf-8", sent: true) },
        PageFixture(template: "reset-password", isFull: true) { PasswordResetPage(layout: Contexts.layout(full: true), csrf: "csrf-9", action: "/newsroom/reset-password/token", error: "Too short.") },
        PageFixture(template: "reset-password", isFull: false) { PasswordResetPage(layout: Contexts.layout(full: false), csrf: "csrf-9", action: "/newsroom/reset-password/token", error: nil) },
    ]
}

/// Contexts with a different text in each field, so that a case answering the wrong property
/// changes the page or fails the value check.
enum Contexts {
    static let settings = testSettings(.sqlite(path: "/nonexistent/unused.sqlite"))

    static func layout(full: Bool) -> PageLayout {
        guard full else { return PageLayout(settings: settings, title: "Latest releases") }
        var layout = PageLayout(
            settings: settings, title: "Amnesty International USA", description: "Press releases from Amnesty International USA.",
            language: LanguageTag("fr")!, canonical: .organization(Slug(making: "amnesty")!, .page(2)), feeds: .organization(Slug(making: "amnesty")!), feedTitle: "Amnesty on Dateline"
        )
        layout.alternates = [AlternateLink(title: "ninjs", type: "application/json", href: "https://wire.example.org/api/ninjs/x.json")]
        layout.meta = [.openGraph("og:type", "article"), .card("twitter:card", "summary")]
        layout.jsonLD = #"{"@type":"NewsArticle","headline":"A \u003c headline"}"#
        layout.showSignUp = false
        return layout
    }

    /// Page 2 of a search for "water rights" in French releases, sorted by date: every part shown.
    static func searchPage() -> SearchPage {
        let parameters = SearchParameters(query: "q=water+rights&sort=newest&language=fr&page=2")
        let query = SearchQuery(parsing: parameters.q)
        let hit = SearchHit(slug: Slug(making: "river rights")!, headline: "River rights", subheadline: "A deck", organizationName: "Rivers Trust",
                            organizationSlug: Slug(making: "rivers trust")!, releasedAt: Date(timeIntervalSince1970: 1_700_000_000),
                            timeZone: TimeZone(identifier: "UTC")!, language: LanguageTag("fr")!,
                            snippet: SearchSnippet(text: "Water rights for every river, said the trust.", terms: query.groups.flatMap { $0 }))
        let facets = SearchFacets(organizations: [FacetCount(value: "rivers-trust", label: "Rivers Trust", count: 30)],
                                  topics: [FacetCount(value: "water", label: "Water", count: 12)], languages: [],
                                  years: [FacetCount(value: "2023", label: "2023", count: 30)])
        let results = SearchResults(query: query, hits: [hit], total: 30, isCapped: false, page: 2, pageCount: 3, facets: facets)
        // The key check needs every optional set and every list filled, each value distinct.
        var page = SearchPage(settings: settings, parameters: parameters, results: results)
        page.layout = layout(full: true)
        page.filters = [SearchPage.Filter(name: "language", value: "fr", label: "French", removePath: "/search?q=water+rights")]
        page.suggestions = [SearchPage.Link(label: "Search all languages", count: 41, path: "/search?q=water")]
        page.hasSuggestions = true
        page.isTooBroad = true
        page.previousPath = "/search?q=water+rights&sort=newest&language=fr&page=1"
        return page
    }

    static func pagination(full: Bool) -> Pagination {
        let shown = full ? [listed(number: 4), listed(number: 5)] : []
        return Pagination(ListingPage(releases: shown, hasNewer: full, hasOlder: full), at: full ? .before(Slug(making: "prisoner pardons 3")!) : .first) { .home($0) }
    }

    static let contacts = [
        ContactCard(MediaContact(name: "Lena Marsh", title: "Press officer", organization: "Amnesty International", email: "press@amnesty.example", phone: "+1 (202) 555-0147")),
        ContactCard(MediaContact(name: "Omar Haddad", title: "Spokesperson", organization: "Coalition for Rights", email: "omar@coalition.example", phone: "+44 20 7946 0018")),
    ]

    static let follow = [
        FollowLink(SocialProfile(network: .x, handleOrURL: "@amnestyusa")),
        FollowLink(SocialProfile(network: .mastodon, handleOrURL: "@amnesty@mastodon.social")),
    ]

    static func release(full: Bool, number: Int = 1) -> Release {
        let organization = full
            ? Organization(name: "Amnesty International USA", slug: Slug(making: "amnesty")!, boilerplate: "Amnesty is a *movement* of 10 million people.", website: URL(string: "https://www.amnestyusa.org"), socialProfiles: [SocialProfile(network: .x, handleOrURL: "@amnestyusa"), SocialProfile(network: .bluesky, handleOrURL: "amnestyusa.bsky.social")])
            : Organization(name: "NASA", slug: Slug(making: "nasa")!)
        return Release(
            id: ReleaseID(), slug: Slug(making: "prisoner pardons \(number)")!, headline: "Prisoner Pardons in Iran \(number) <Welcome>",
            subheadline: full ? "But hundreds more remain jailed \(number)" : nil,
            timing: full ? .embargoed(until: Date(timeIntervalSince1970: 1_780_003_600)) : .immediate,
            dateline: full ? Dateline(city: "Washington", region: "D.C.") : nil,
            releasedAt: Date(timeIntervalSince1970: 1_780_000_000 + Double(number) * 86400), timeZone: TimeZone(identifier: "America/New_York")!,
            body: "Amnesty International welcomes the release.\n\n> A quote & more.", language: full ? LanguageTag("fr")! : .english,
            statementURL: full ? URL(string: "https://www.amnestyusa.org/statement/\(number)") : nil, organization: organization,
            contacts: full ? [MediaContact(name: "Lena Marsh", title: "Press officer", organization: "Amnesty International", email: "press@amnesty.example", phone: "+1 202 555 0147")] : [],
            topics: full ? [Topic(name: "Human rights", slug: Slug(making: "human rights")!), Topic(name: "Iran", slug: Slug(making: "iran")!)] : [],
            status: full ? .retracted : .published, publishedAt: Date(timeIntervalSince1970: 1_780_000_000), updatedAt: Date(timeIntervalSince1970: 1_780_090_000),
            corrections: full ? [Correction(date: Date(timeIntervalSince1970: 1_780_050_000), note: "An earlier version misspelled a name.", version: 2)] : [],
            retractionNote: full ? "The issuer withdrew it on 30 May." : nil
        )
    }

    static func releasePage(full: Bool) -> ReleasePage {
        var page = ReleasePage(release: release(full: full), settings: settings)
        guard full else { return page }
        page.layout.jsonLD = #"{"@type":"NewsArticle"}"#
        page.setMedia(media, links: .public)
        page.embargoBanner = ReleasePage.EmbargoBanner(liftTime: "June 1, 2026 at 09:00 EDT", reader: "Jo Reporter, The Daily")
        page.appeal = AppealView(SupportAppeal(
            heading: "This newswire is free to all", text: "Readers keep it so.\n\nPlease give.",
            methods: [SupportAppeal.DonationMethod(name: "Monthly gift", url: "https://example.org/give", note: "Cancel any time")]
        ))
        return page
    }

    static func listed(number: Int) -> ListedRelease {
        let release = release(full: true, number: number)
        return ListedRelease(
            slug: release.slug, headline: release.headline, subheadline: release.subheadline, dateline: release.dateline, releasedAt: release.releasedAt,
            timeZone: release.timeZone, language: release.language, updatedAt: release.updatedAt, organizationName: release.organization.name, organizationSlug: release.organization.slug,
            leadImage: media[0]
        )
    }

    static func summary(number: Int) -> ReleaseSummary { ReleaseSummary(listed(number: number)) }

    static func editPage(full: Bool) -> ReleaseEditPage {
        var page = ReleaseEditPage(
            layout: layout(full: full), csrf: "csrf-10", action: "/newsroom/releases/abc", isNew: !full,
            organizations: full ? [.init(value: "amnesty", label: "Amnesty", selected: true)] : [],
            headline: "Prisoner Pardons", subheadline: "Hundreds remain", datelineCity: "Washington", language: "fr", isEmbargoed: full, embargoUntil: "2026-06-01T09:00",
            body: "The body.", statementURL: "https://example.org/statement", topics: "Human rights, Iran",
            contacts: full ? [.init(id: "c1", name: "Lena Marsh", checked: true)] : [], hasContacts: full,
            previewHTML: full ? "<p>The body.</p>" : nil, status: full ? "submitted" : nil, canEdit: true, canSubmit: full, canReview: full,
            submitAction: full ? "/newsroom/releases/abc/submit" : nil, approveAction: full ? "/newsroom/releases/abc/approve" : nil, returnAction: full ? "/newsroom/releases/abc/return" : nil,
            canCorrect: full, correctAction: full ? "/newsroom/releases/abc/correct" : nil, retractAction: full ? "/newsroom/releases/abc/retract" : nil,
            history: full ? [.init(at: "2026-05-01 09:00", change: "submitted", actor: "Wes Writer", note: "Please check the quote.")] : [], hasHistory: full,
            error: full ? "The headline is missing." : nil, notice: full ? "The lift time falls in a daylight-saving change." : nil,
            checkNotice: full ? "Check the headline: the importer was not sure of it." : nil,
            waiting: full ? .init(
                title: "Embargo", name: "lift time", local: "June 1, 2026 at 5:00 AM EDT (UTC\u{2212}04:00)", utc: "June 1, 2026 at 9:00 AM UTC", editorLocal: "June 1, 2026 at 11:00 AM GMT+2",
                value: "2026-06-01T05:00", moveAction: "/newsroom/releases/abc/waiting-time", publishNowAction: "/newsroom/releases/abc/publish-now", holdAction: "/newsroom/releases/abc/hold"
            ) : nil,
            languages: full ? [.init(value: "fr", label: "French (fr)", selected: true)] : [],
            zones: full ? [.init(value: "America/New_York", label: "America/New York", selected: true)] : [],
            previewHeadline: full ? "Prisoner Pardons (saved)" : nil, previewSubheadline: full ? "Hundreds remain (saved)" : nil,
            previewTiming: full ? "For Immediate Release" : nil,
            previewContacts: full ? [ContactCard(MediaContact(name: "Lena Marsh", title: "Press officer", organization: "Amnesty International", email: "press@amnesty.example", phone: "+1 202 555 0147"))] : [],
            hasPreviewContacts: full,
            issuerWarning: full ? "The pasted text names another issuer." : nil,
            offeredContacts: full ? [.init(id: "0", name: "Omar Haddad, Spokesperson", checked: false)] : [],
            hasOfferedContacts: full
        )
        // The attachments: an image without alt text that can move down; a sparse page has none.
        page.hasAttachmentSection = true
        page.attachAction = "/newsroom/releases/abc/attachments"
        if full {
            page.canAttach = true
            page.attachments = [AttachmentRow(
                id: "0123456789abcdef0123456789abcdef", fileName: "pardons.jpg", detail: "JPEG image, 1600 × 1067 px, 412 KB", isImage: true, isLead: true,
                thumbnail: "/newsroom/releases/abc/media/aaaa.jpg", thumbnailWidth: 480, thumbnailHeight: 320, fileURL: "/newsroom/releases/abc/media/bbbb.jpg",
                alt: "", caption: "Families wait outside the prison.", credit: "Reza Photographer", missingAlt: true,
                describeAction: "/newsroom/releases/abc/attachments/0123/describe", moveAction: "/newsroom/releases/abc/attachments/0123/move",
                leadAction: "/newsroom/releases/abc/attachments/0123/lead", removeAction: "/newsroom/releases/abc/attachments/0123/remove",
                canMoveUp: false, canMoveDown: true
            )]
            page.hasAttachments = true
            page.altNotice = "An image has no alt text."
            page.uploadAlt = "Typed alt"
            page.uploadCaption = "Typed caption"
            page.uploadCredit = "Typed credit"
            var preview = ReleasePage(release: release(full: false), settings: settings)
            preview.setMedia(media, links: MediaLinks { "/newsroom/releases/abc/media/\($0.fileName)" })
            page.previewMedia = ReleaseEditPage.PreviewMedia(preview)
        }
        return page
    }

    static func preferences(full: Bool) -> PreferencesPage {
        var page = PreferencesPage(
            layout: layout(full: full), email: "reader@example.org", token: "manage-token", unsubscribeAction: "/unsubscribe?token=unsubscribe-token",
            notice: full ? "Your choices are saved." : nil, error: full ? "Choose at least one." : nil,
            isDaily: full, isInstant: !full, isEverything: !full, isChosen: full,
            organizations: full ? [Choice(value: "amnesty", label: "Amnesty", checked: true), Choice(value: "nasa", label: "NASA", checked: false)] : [],
            topics: full ? [Choice(value: "iran", label: "Iran", checked: false)] : [],
            languages: full ? [Choice(value: "fr", label: "French", checked: true)] : []
        )
        page.hasOrganizations = !page.organizations.isEmpty
        page.hasTopics = !page.topics.isEmpty
        page.hasLanguages = !page.languages.isEmpty
        return page
    }
}

// MARK: - What Mirror sees

/// A context as swift-mustache's Mirror path reads it (`Mirror.getValue(forKey:)`: stored
/// properties by label, an Optional unwrapped one level, nil when empty), rebuilt as plain
/// dictionaries and arrays, which Mustache reads by key.
enum Reflection {
    /// `value` with every struct turned into `[label: value]` (nil optionals left out, so a
    /// lookup goes on up the context stack, as a nil from Mirror does) and every array into `[Any]`.
    static func value(_ value: Any) -> Any {
        if isLeaf(value) { return value }
        let mirror = Mirror(reflecting: value)
        switch mirror.displayStyle {
        case .struct?, .class?:
            var dictionary: [String: Any] = [:]
            for child in mirror.children {
                guard let label = child.label, let stored = unwrapped(child.value) else { continue }
                dictionary[label] = Self.value(stored)
            }
            return dictionary
        case .collection?:
            return mirror.children.map { Self.value($0.value) }
        default:
            return value
        }
    }

    /// Problems with `value`'s answers to `child(named:)`, for it and every struct inside it:
    /// a struct that is not a `MustacheParent`, a stored property answered nil or with another
    /// value; with `full`, also an optional left nil or an array left empty, and two text or
    /// number fields of one struct with the same value (a swapped case would then pass).
    static func unansweredProperties(of value: Any, path: String, full: Bool) -> [String] {
        if isLeaf(value) { return [] }
        let mirror = Mirror(reflecting: value)
        switch mirror.displayStyle {
        case .collection?:
            if full && mirror.children.isEmpty { return ["\(path) is empty in the full fixture"] }
            return mirror.children.enumerated().flatMap { index, element in unansweredProperties(of: element.value, path: "\(path)[\(index)]", full: full) }
        case .struct?, .class?:
            guard let parent = value as? any MustacheParent else { return ["\(path) (\(type(of: value))) is not a MustacheParent: Mustache would read it through Mirror"] }
            var problems: [String] = []
            var seen: [String: String] = [:]
            for child in mirror.children {
                guard let label = child.label else { continue }
                let answer = parent.child(named: label)
                guard let stored = unwrapped(child.value) else {
                    if full { problems.append("\(path).\(label) is nil in the full fixture") }
                    if answer != nil { problems.append("\(path).\(label) is nil but child(named:) answers \(String(describing: answer))") }
                    continue
                }
                guard let answer else {
                    problems.append("\(path).\(label) is not answered by child(named:)")
                    continue
                }
                if describe(Self.value(answer)) != describe(Self.value(stored)) {
                    problems.append("\(path).\(label): child(named:) answers \(describe(Self.value(answer))), the property holds \(describe(Self.value(stored)))")
                }
                if full, stored is String || stored is Int {
                    let text = describe(stored)
                    if let other = seen[text] { problems.append("\(path).\(label) and .\(other) hold the same value \(text) in the full fixture") }
                    seen[text] = label
                }
                problems += unansweredProperties(of: stored, path: "\(path).\(label)", full: full)
            }
            return problems
        default:
            return []
        }
    }

    private static func isLeaf(_ value: Any) -> Bool {
        value is String || value is Substring || value is Bool || value is Int || value is Double
    }

    /// Mirror's own unwrapping (swift-mustache's `unwrapOptional`): one level of Optional.
    private static func unwrapped(_ value: Any) -> Any? {
        let mirror = Mirror(reflecting: value)
        guard mirror.displayStyle == .optional else { return value }
        return mirror.children.first?.value
    }

    /// A description with dictionary keys in order, so equal contents compare equal.
    private static func describe(_ value: Any) -> String {
        switch value {
        case let dictionary as [String: Any]:
            "{" + dictionary.keys.sorted().map { "\($0): \(describe(dictionary[$0]!))" }.joined(separator: ", ") + "}"
        case let array as [Any]:
            "[" + array.map(describe).joined(separator: ", ") + "]"
        default:
            String(reflecting: value)
        }
    }
}
