import DatelineCore
import FluentKit
import Foundation
import Hummingbird
import ReleaseImport

/// Writing and reviewing releases: members create and edit drafts (Markdown with a server-rendered
/// preview), paste a release for the importer to fill in, and submit; editors approve (publish
/// now, schedule, or embargo until a lift time) or return with a note. Every change of status goes
/// through ``ReleaseTransitions`` and shows in the release's history.
struct NewsroomReleasesController {
    let hub: DatabaseHub
    let settings: Settings
    let renderer: PageRenderer
    let clock: @Sendable () -> Date
    let front: NewsroomController

    enum Path {
        static let list: RouterPath = "/newsroom/releases"
        static let new: RouterPath = "/newsroom/releases/new"
        static let paste: RouterPath = "/newsroom/releases/paste"
        static let release: RouterPath = "/newsroom/releases/:id"
        static let submit: RouterPath = "/newsroom/releases/:id/submit"
        static let approve: RouterPath = "/newsroom/releases/:id/approve"
        static let giveBack: RouterPath = "/newsroom/releases/:id/return"
        static let correct: RouterPath = "/newsroom/releases/:id/correct"
        static let retract: RouterPath = "/newsroom/releases/:id/retract"

        static func release(_ id: String) -> String { "/newsroom/releases/\(id)" }
    }

    func addRoutes(to router: Router<DatelineRequestContext>) {
        router.get(Path.list, use: list)
        router.get(Path.new, use: newForm)
        router.post(Path.list, use: create)
        router.post(Path.paste, use: paste)
        router.get(Path.release, use: show)
        router.post(Path.release, use: save)
        router.post(Path.submit, use: submit)
        router.post(Path.approve, use: approve)
        router.post(Path.giveBack, use: giveBack)
        router.post(Path.correct, use: correct)
        router.post(Path.retract, use: retract)
        addWaitingRoutes(to: router)
    }

    // MARK: Signed-in requests

    /// The signed-in (both factors) user's session, or the response that sends them to sign in.
    private func signedIn(_ request: Request) async throws -> Result<SessionModel, NewsroomRedirect> {
        guard let session = try await front.currentSession(request) else { return .failure(.init(location: "/newsroom/sign-in")) }
        guard session.secondFactorPassed else { return .failure(.init(location: "/newsroom/two-factor")) }
        return .success(session)
    }

    struct NewsroomRedirect: Error {
        var location: String
        var response: Response { Response(status: .seeOther, headers: [.location: location]) }
    }

    private func form<T: Decodable & CSRFProtected>(_ type: T.Type, _ request: Request, session: SessionModel) async throws -> T? {
        try await NewsroomPages.form(type, request, session: session)
    }

    private var pages: NewsroomPages { NewsroomPages(settings: settings, renderer: renderer) }
    private func layout(_ title: String) -> PageLayout { pages.layout(title) }

    private func page(_ template: String, _ context: Any, status: HTTPResponse.Status = .ok) throws -> Response {
        var response = try renderer.page(template, context, status: status)
        response.headers[.cacheControl] = "no-store"
        return response
    }

    private func refused() throws -> Response { try pages.expiredForm() }

    // MARK: List and create

    struct ListPage {
        var layout: PageLayout
        var csrf: String
        var isEditor: Bool
        var reviewQueue: [NewsroomReleaseRow]
        var hasReviewQueue: Bool
        var releases: [NewsroomReleaseRow]
        var hasReleases: Bool
        /// The organizations this user writes for (the paste form).
        var organizations: [Option]
        var hasOrganizations: Bool
        /// The filter form: organizations, statuses and the headline words, as chosen.
        var filterOrganizations: [Option]
        var statuses: [Option]
        var headlineQuery: String
        var isFiltered: Bool
        var page: Int
        var newerPath: String?
        var olderPath: String?
    }

    struct Option {
        var value: String
        var label: String
        var selected: Bool
    }

    @Sendable func list(request: Request, context: DatelineRequestContext) async throws -> Response {
        let session: SessionModel
        switch try await signedIn(request) { case .success(let s): session = s; case .failure(let r): return r.response }
        let access = NewsroomAccess(user: session.user, database: try hub.database)
        let filter = NewsroomReleaseFilter(request.uri.queryParameters)
        let (rows, hasOlder) = try await access.releases(filter)
        let queue = try await access.reviewQueue()
        let organizations = try await access.organizations()
        let statuses = ReleaseStatus.allCases.map { Option(value: $0.rawValue, label: $0.rawValue.capitalized, selected: $0 == filter.status) }
        return try page("newsroom-releases", ListPage(
            layout: layout("Releases"), csrf: session.csrfToken, isEditor: access.isEditor,
            reviewQueue: queue, hasReviewQueue: !queue.isEmpty, releases: rows, hasReleases: !rows.isEmpty,
            organizations: organizations.map { Option(value: $0.slug, label: $0.name, selected: false) },
            hasOrganizations: !organizations.isEmpty,
            filterOrganizations: organizations.map { Option(value: $0.slug, label: $0.name, selected: $0.slug == filter.organization?.rawValue) },
            statuses: statuses, headlineQuery: filter.headline, isFiltered: filter.isFiltered,
            page: filter.page,
            newerPath: filter.page > 1 ? filter.path(page: filter.page - 1) : nil,
            olderPath: hasOlder ? filter.path(page: filter.page + 1) : nil
        ))
    }

    struct EditPage {
        var layout: PageLayout
        var csrf: String
        var action: String
        var isNew: Bool
        var organizations: [Option]
        var headline: String
        var subheadline: String
        var datelineCity: String
        var language: String
        var isEmbargoed: Bool
        var embargoUntil: String
        var body: String
        var statementURL: String
        var topics: String
        var contacts: [ContactOption]
        var hasContacts: Bool
        var previewHTML: String?
        var status: String?
        var canEdit: Bool
        var canSubmit: Bool
        var canReview: Bool
        var submitAction: String?
        var approveAction: String?
        var returnAction: String?
        /// Editors correct or retract published releases.
        var canCorrect: Bool
        var correctAction: String?
        var retractAction: String?
        var history: [HistoryRow]
        var hasHistory: Bool
        var error: String?
        /// What was decided about a lift time that fell in a daylight-saving change.
        var notice: String? = nil
        /// After a paste: which fields the importer was not sure of, for the communicator to check.
        var checkNotice: String? = nil
        var checkHeadline = false
        var checkSubheadline = false
        var checkDatelineCity = false
        var checkLanguage = false
        var checkTiming = false
        var checkBody = false
        var checkStatementURL = false
        var checkContacts = false
        /// For an editor, on an embargoed or scheduled release: its time and the controls on it.
        var waiting: WaitingPanel? = nil
        /// The language list by name, and the IANA zones, each with the release's chosen.
        var languages: [Option] = []
        var zones: [Option] = []
        /// The preview as the public page will show it: headline, subheadline, timing line and
        /// media contacts around ``previewHTML``.
        var previewHeadline: String? = nil
        var previewSubheadline: String? = nil
        var previewTiming: String? = nil
        var previewContacts: [ContactCard] = []
        var hasPreviewContacts = false
        /// After a paste whose text names another issuer than the organization chosen.
        var issuerWarning: String? = nil
        /// Contacts the pasted text named who are not the organization's yet: offered, unsaved.
        var offeredContacts: [ContactOption] = []
        var hasOfferedContacts = false
        /// The field the error is about, for `aria-invalid` and `aria-describedby`.
        var invalidHeadline = false
        var invalidBody = false
        var invalidLift = false
        var invalidStatementURL = false

        /// Marks the field `error` is about.
        mutating func mark(_ error: DraftError) {
            switch error {
            case .headline: invalidHeadline = true
            case .body: invalidBody = true
            case .liftTime, .zone: invalidLift = true
            case .statementURL: invalidStatementURL = true
            case .language: break
            }
        }

        /// Marks the form's fields the importer doubted.
        mutating func mark(_ doubts: ImportDoubts) {
            checkNotice = doubts.sentence
            checkHeadline = doubts.contains("headline")
            checkSubheadline = doubts.contains("subheadline")
            checkDatelineCity = doubts.contains("dateline_city")
            checkLanguage = doubts.contains("language")
            checkTiming = doubts.contains("release_timing") || doubts.contains("embargo_until")
            checkBody = doubts.contains("body") || doubts.contains("quotes") || doubts.contains("boilerplate")
            checkStatementURL = doubts.contains("statement_url")
            checkContacts = doubts.contains("contacts")
        }

        struct ContactOption {
            var id: String
            var name: String
            var checked: Bool
        }

        struct HistoryRow {
            var at: String
            var change: String
            var actor: String
            var note: String?
        }
    }

    @Sendable func newForm(request: Request, context: DatelineRequestContext) async throws -> Response {
        let session: SessionModel
        switch try await signedIn(request) { case .success(let s): session = s; case .failure(let r): return r.response }
        return try await newFormPage(session: session, form: nil, error: nil)
    }

    /// The form for a new release: empty, or `form` as sent with `error` beside its field.
    private func newFormPage(session: SessionModel, form: DraftForm?, error: DraftError?) async throws -> Response {
        let database = try hub.database
        let access = NewsroomAccess(user: session.user, database: database)
        let writesFor = try await access.organizations()
        let organizations = writesFor.map { Option(value: $0.slug, label: $0.name, selected: false) }
        // A member's organizations' media contacts, ticked: a release goes out with a contact
        // unless the writer unticks it. (Editors write for every organization: none are listed.)
        let contacts = access.isEditor ? [] : try await MediaContactModel.query(on: database)
            .filter(\.$organization.$id ~~ writesFor.compactMap(\.id)).sort(\.$name).limit(50).with(\.$organization).all()
        // The zone the organization's latest release was written in, else UTC.
        var zone = "UTC"
        if let id = writesFor.first?.id, let latest = try await ReleaseModel.query(on: database).filter(\.$organization.$id == id).sort(\.$createdAt, .descending).first() {
            zone = latest.timeZone
        }
        let ticked = form.map { Set($0.contacts ?? []) }
        var page = EditPage(
            layout: layout(error == nil ? "New release" : "Error: new release"), csrf: session.csrfToken, action: "/newsroom/releases", isNew: true,
            organizations: organizations.map { Option(value: $0.value, label: $0.label, selected: $0.value == form?.organization) },
            headline: form?.headline ?? "", subheadline: form?.subheadline ?? "", datelineCity: form?.datelineCity ?? "", language: form?.language ?? "en",
            isEmbargoed: form?.timing == "embargoed", embargoUntil: form?.embargoUntil ?? "", body: form?.body ?? "", statementURL: form?.statementURL ?? "", topics: form?.topics ?? "",
            contacts: contacts.map { contact in
                EditPage.ContactOption(id: contact.id!.uuidString, name: [contact.name, contact.email, writesFor.count > 1 ? contact.organization.name : nil].compactMap { $0 }.joined(separator: ", "), checked: ticked?.contains(contact.id!.uuidString) ?? true)
            },
            hasContacts: !contacts.isEmpty,
            previewHTML: nil, status: nil, canEdit: true, canSubmit: false, canReview: false,
            submitAction: nil, approveAction: nil, returnAction: nil, canCorrect: false, correctAction: nil, retractAction: nil,
            history: [], hasHistory: false, error: error?.description
        )
        page.languages = NewsroomFormChoices.languages(selected: form?.language ?? "en")
        page.zones = NewsroomFormChoices.zones(selected: form?.embargoZone.flatMap { NewsroomFormChoices.zone(named: $0) != nil ? $0 : nil } ?? zone)
        if let error { page.mark(error) }
        return try self.page("newsroom-edit", page, status: error == nil ? .ok : .badRequest)
    }

    struct DraftForm: Decodable, CSRFProtected {
        var _csrf: String
        var organization: String?
        var headline: String
        var subheadline: String?
        var datelineCity: String?
        var language: String?
        var timing: String?
        var embargoUntil: String?
        /// The IANA zone the lift time is written in (`America/New_York`); empty or absent: UTC.
        var embargoZone: String?
        var body: String
        var statementURL: String?
        var topics: String?
        var contacts: [String]?
        /// Indexes of the offered contacts (``LearnedProfile/offered``) the writer confirms.
        var offered: [String]?
    }

    @Sendable func create(request: Request, context: DatelineRequestContext) async throws -> Response {
        let session: SessionModel
        switch try await signedIn(request) { case .success(let s): session = s; case .failure(let r): return r.response }
        guard let form = try await form(DraftForm.self, request, session: session) else { return try refused() }
        let database = try hub.database
        let access = NewsroomAccess(user: session.user, database: database)
        guard let organization = try await access.organizations().first(where: { $0.slug == form.organization }) else {
            return try page("message", MessagePage(layout: layout("Choose an organization"), title: "Choose an organization", text: "Pick one of your organizations for the release, then save again."), status: .badRequest)
        }
        let now = clock()
        let release = ReleaseModel()
        do {
            try await hub.write { database in
                release.$organization.id = try organization.requireID()
                release.releasedAt = now
                release.timeZone = "UTC"
                try apply(form, to: release)
                try await ReleaseTransitions.create(release, start: .draft, actor: session.user.email, at: now, on: database) { release, database in
                    try await link(release, form: form, on: database)
                }
            }
        } catch let error as DraftError {
            // The form again, as sent, with the error beside its field: nothing typed is lost.
            return try await newFormPage(session: session, form: form, error: error)
        }
        if let lift = try? Self.parseLift(form), let note = lift.note, let fresh = try await access.release(release.id!) {
            return try await editPage(fresh, access: access, session: session, error: nil, notice: note, status: .ok)
        }
        return Response(status: .seeOther, headers: [.location: Path.release(release.id!)])
    }

    struct PasteForm: Decodable, CSRFProtected {
        var _csrf: String
        var organization: String
        var text: String
    }

    /// "Paste a release as found on the web": the importer fills in the fields of a new draft.
    @Sendable func paste(request: Request, context: DatelineRequestContext) async throws -> Response {
        let session: SessionModel
        switch try await signedIn(request) { case .success(let s): session = s; case .failure(let r): return r.response }
        guard let form = try await form(PasteForm.self, request, session: session) else { return try refused() }
        let access = NewsroomAccess(user: session.user, database: try hub.database)
        guard let organization = try await access.organizations().first(where: { $0.slug == form.organization }) else {
            return try page("message", MessagePage(layout: layout("Choose an organization"), title: "Choose an organization", text: "Pick one of your organizations, then paste again."), status: .badRequest)
        }
        let extraction: ImportedRelease
        do {
            extraction = try ReleaseImporter.extract(data: Data(form.text.utf8))
        } catch {
            return try page("message", MessagePage(layout: layout("Nothing to import"), title: "Nothing to import", text: "The pasted text could not be read: \(error). Paste the release's text or page source and try again."), status: .badRequest)
        }
        let outcome: ImportOutcome
        do {
            outcome = try await ReleaseStore(hub: hub, clock: clock).store(extraction, options: { var options = ImportOptions(publish: false, organizationName: organization.name, organizationID: try organization.requireID(), actor: session.user.email); options.offerContacts = true; return options }())
        } catch let error as ReleaseStoreError {
            return try page("message", MessagePage(layout: layout("Nothing to import"), title: "The release needs more", text: "The text was read, but \(error). Add it to the text, or write the release with the form."), status: .badRequest)
        }
        switch outcome {
        case .imported(let id, _, _):
            let doubts = ImportDoubts(extraction.confidence)
            // The text names another issuer than the organization chosen: say so on the draft.
            let otherIssuer = extraction.issuer.flatMap { Self.namesAnother($0, than: organization.name) ? $0 : nil }
            if extraction.embargoNote != nil || otherIssuer != nil, let fresh = try await access.release(id) {
                let warning = otherIssuer.map { "The pasted text names \u{201C}\($0)\u{201D} as its issuer, not \(organization.name). Check that the release is \(organization.name)'s, or choose its organization." }
                return try await editPage(fresh, access: access, session: session, error: nil, notice: extraction.embargoNote, issuerWarning: warning, doubts: doubts, status: .ok)
            }
            // The fields to check travel with the redirect, so the edit page marks them.
            let location = doubts.query.map { Path.release(id) + "?check=" + $0 } ?? Path.release(id)
            return Response(status: .seeOther, headers: [.location: location])
        case .skipped(let reason): return try page("message", MessagePage(layout: layout("Already imported"), title: "Already in the newsroom", text: "This release is \(reason)."), status: .conflict)
        }
    }

    // MARK: One release

    @Sendable func show(request: Request, context: DatelineRequestContext) async throws -> Response {
        let session: SessionModel
        switch try await signedIn(request) { case .success(let s): session = s; case .failure(let r): return r.response }
        let access = NewsroomAccess(user: session.user, database: try hub.database)
        guard let id = context.parameters.get("id"), let release = try await access.release(id) else { throw HTTPError(.notFound) }
        let doubts = ImportDoubts(query: request.uri.queryParameters.get("check").map { String($0) })
        return try await editPage(release, access: access, session: session, error: nil, doubts: doubts, status: .ok)
    }

    /// Whether an issuer named in a pasted text is another organization than `chosen`: their
    /// names' letters and digits, case aside, neither holding the other.
    static func namesAnother(_ named: String, than chosen: String) -> Bool {
        func key(_ text: String) -> String { String(text.lowercased().filter { $0.isLetter || $0.isNumber }) }
        let (a, b) = (key(named), key(chosen))
        guard !a.isEmpty, !b.isEmpty else { return false }
        return !a.contains(b) && !b.contains(a)
    }

    /// `sent`: the form as sent, when it was refused; its values are shown instead of the stored ones.
    func editPage(_ release: ReleaseModel, access: NewsroomAccess, session: SessionModel, error: String?, invalid: DraftError? = nil, sent: DraftForm? = nil, notice: String? = nil, issuerWarning: String? = nil, doubts: ImportDoubts = ImportDoubts(keys: []), status: HTTPResponse.Status) async throws -> Response {
        let database = try hub.database
        let id = release.id!
        let organizations = try await access.organizations().map { Option(value: $0.slug, label: $0.name, selected: $0.id == release.$organization.id) }
        let chosen = Set(release.contacts.compactMap(\.id))
        let contacts = try await MediaContactModel.query(on: database).filter(\.$organization.$id == release.$organization.id).sort(\.$name).all()
        let history = try await ReleaseEventModel.query(on: database).filter(\.$release.$id == id).sort(\.$at).all().map {
            EditPage.HistoryRow(at: $0.at.formatted(.iso8601), change: [$0.fromStatus, $0.toStatus].compactMap { $0 }.joined(separator: " → "), actor: $0.actor, note: $0.note)
        }
        let releaseStatus = release.releaseStatus
        let editable: Set<ReleaseStatus> = [.draft, .returned, .submitted]
        let domain = release.releaseAsItWillRead
        var edit = EditPage(
            layout: layout(error == nil ? release.headline : "Error: \(release.headline)"), csrf: session.csrfToken, action: Path.release(id), isNew: false,
            organizations: organizations, headline: release.headline, subheadline: release.subheadline ?? "",
            datelineCity: release.datelineCity ?? "", language: release.language,
            isEmbargoed: release.timing == "embargoed", embargoUntil: release.embargoUntil.map { NewsroomFormChoices.wallClock($0, zone: release.timeZone) } ?? "",
            body: release.body, statementURL: release.statementURL ?? "", topics: release.topics.map(\.name).joined(separator: ", "),
            contacts: contacts.map { EditPage.ContactOption(id: $0.id!.uuidString, name: [$0.name, $0.email].compactMap { $0 }.joined(separator: ", "), checked: chosen.contains($0.id!)) },
            hasContacts: !contacts.isEmpty,
            previewHTML: ReleasePage(release: domain, settings: settings).bodyHTML,
            status: releaseStatus.rawValue,
            canEdit: editable.contains(releaseStatus) && (access.isEditor || releaseStatus != .submitted),
            canSubmit: releaseStatus == .draft || releaseStatus == .returned,
            canReview: access.isEditor && (releaseStatus == .submitted || releaseStatus == .draft),
            submitAction: "/newsroom/releases/\(id)/submit", approveAction: "/newsroom/releases/\(id)/approve", returnAction: "/newsroom/releases/\(id)/return",
            canCorrect: access.isEditor && (releaseStatus == .published || releaseStatus == .corrected),
            correctAction: "/newsroom/releases/\(id)/correct", retractAction: "/newsroom/releases/\(id)/retract",
            history: history, hasHistory: !history.isEmpty, error: error, notice: notice
        )
        if editable.contains(releaseStatus) { edit.mark(doubts) }
        if access.isEditor { edit.waiting = WaitingPanel(release, editorZone: session.user.timeZone) }
        edit.languages = NewsroomFormChoices.languages(selected: release.language)
        edit.zones = NewsroomFormChoices.zones(selected: release.timeZone)
        let preview = ReleasePage(release: domain, settings: settings)
        edit.previewHeadline = domain.headline
        edit.previewSubheadline = domain.subheadline
        edit.previewTiming = preview.timingLine
        edit.previewContacts = preview.contacts
        edit.hasPreviewContacts = !preview.contacts.isEmpty
        if let invalid { edit.mark(invalid) }
        edit.issuerWarning = issuerWarning
        if let sent {
            // Nothing typed is lost: the refused form's values, not the stored ones.
            edit.headline = sent.headline
            edit.subheadline = sent.subheadline ?? ""
            edit.datelineCity = sent.datelineCity ?? ""
            edit.body = sent.body
            edit.statementURL = sent.statementURL ?? ""
            edit.topics = sent.topics ?? ""
            edit.isEmbargoed = sent.timing == "embargoed"
            edit.embargoUntil = sent.embargoUntil ?? ""
            edit.languages = NewsroomFormChoices.languages(selected: sent.language ?? release.language)
            if let zone = sent.embargoZone, NewsroomFormChoices.zone(named: zone) != nil { edit.zones = NewsroomFormChoices.zones(selected: zone) }
            let ticked = Set(sent.contacts ?? [])
            edit.contacts = edit.contacts.map { EditPage.ContactOption(id: $0.id, name: $0.name, checked: ticked.contains($0.id)) }
            let offered = Set(sent.offered ?? [])
            edit.offeredContacts = edit.offeredContacts.map { EditPage.ContactOption(id: $0.id, name: $0.name, checked: offered.contains($0.id)) }
        }
        if editable.contains(releaseStatus), let offered = LearnedProfile(stored: release.learnedProfile)?.offered {
            edit.offeredContacts = offered.enumerated().map { EditPage.ContactOption(id: String($0.offset), name: $0.element.line, checked: false) }
            edit.hasOfferedContacts = !offered.isEmpty
        }
        return try page("newsroom-edit", edit, status: status)
    }

    @Sendable func save(request: Request, context: DatelineRequestContext) async throws -> Response {
        let session: SessionModel
        switch try await signedIn(request) { case .success(let s): session = s; case .failure(let r): return r.response }
        let database = try hub.database
        let access = NewsroomAccess(user: session.user, database: database)
        guard let id = context.parameters.get("id"), let release = try await access.release(id) else { throw HTTPError(.notFound) }
        guard let form = try await form(DraftForm.self, request, session: session) else { return try refused() }
        let status = release.releaseStatus
        guard [.draft, .returned].contains(status) || (access.isEditor && status == .submitted) else {
            return try await editPage(release, access: access, session: session, error: "A \(status.rawValue) release cannot be edited here; corrections to published releases keep the earlier version.", status: .conflict)
        }
        let editable: [ReleaseStatus] = access.isEditor ? [.draft, .returned, .submitted] : [.draft, .returned]
        do {
            try apply(form, to: release)
            try await hub.write { database in
                // The status is checked again under lock: an editor may have approved it meanwhile.
                guard try await ReleaseTransitions.claimForEdit(id, statuses: editable, at: clock(), on: database) else {
                    throw ReleaseChangeError.changedMeanwhile
                }
                try await release.save(on: database)
                try await release.$contacts.detachAll(on: database)
                try await release.$topics.detachAll(on: database)
                try await link(release, form: form, on: database)
                try await confirmOffered(release, form: form, on: database)
            }
        } catch let error as DraftError {
            let stored = try await access.release(id) ?? release
            return try await editPage(stored, access: access, session: session, error: error.description, invalid: error, sent: form, status: .badRequest)
        } catch ReleaseChangeError.changedMeanwhile {
            let fresh = try await access.release(id) ?? release
            return try await editPage(fresh, access: access, session: session, error: ReleaseChangeError.changedMeanwhile.description.prefix(1).uppercased() + ReleaseChangeError.changedMeanwhile.description.dropFirst() + ".", status: .conflict)
        }
        if let lift = try? Self.parseLift(form), let note = lift.note {
            return try await editPage(release, access: access, session: session, error: nil, notice: note, status: .ok)
        }
        return Response(status: .seeOther, headers: [.location: Path.release(id)])
    }

    @Sendable func submit(request: Request, context: DatelineRequestContext) async throws -> Response {
        try await change(request, context, form: TokenForm.self) { release, _, session, _, database in
            try await ReleaseTransitions.move(release, to: .submitted, actor: session.user.email, at: clock(), on: database)
            return nil
        }
    }

    struct ReviewForm: Decodable, CSRFProtected {
        var _csrf: String
        /// `now`, `schedule` or `embargo`.
        var decision: String?
        var at: String?
        /// The IANA zone `at` is written in; empty or absent: UTC.
        var zone: String?
        var note: String?
    }

    @Sendable func approve(request: Request, context: DatelineRequestContext) async throws -> Response {
        try await change(request, context, editorsOnly: true, form: ReviewForm.self) { release, _, session, form, database in
            let now = clock()
            switch form.decision ?? "now" {
            case "schedule", "embargo":
                let resolved: LocalTime.Resolution?
                do {
                    resolved = try Self.wallClock(form.at, zone: form.zone)
                } catch let error as DraftError {
                    return error.description
                }
                guard let at = resolved?.instant, at > now else {
                    return "Give a time in the future for the release to be \(form.decision == "embargo" ? "embargoed until" : "published at")."
                }
                if form.decision == "embargo" {
                    release.setTiming(.embargoed(until: at))
                    release.scheduledAt = nil
                    try await ReleaseTransitions.move(release, to: .embargoed, actor: session.user.email, note: form.note, at: now, on: database)
                } else {
                    if let lift = release.embargoUntil, at < lift {
                        return "The release is embargoed until \(Self.formatLocal(lift)) UTC: schedule it for that time or later, or change its timing first."
                    }
                    release.scheduledAt = at
                    try await ReleaseTransitions.move(release, to: .scheduled, actor: session.user.email, note: form.note, at: now, on: database)
                }
            default:
                if !release.releaseTiming.isLifted(at: now) {
                    try await ReleaseTransitions.move(release, to: .embargoed, actor: session.user.email, note: form.note, at: now, on: database)
                } else {
                    try await ReleaseTransitions.move(release, to: .published, actor: session.user.email, note: form.note, at: now, on: database)
                }
            }
            return nil
        }
    }

    @Sendable func giveBack(request: Request, context: DatelineRequestContext) async throws -> Response {
        try await change(request, context, editorsOnly: true, form: ReviewForm.self) { release, _, session, form, database in
            guard let note = form.note?.trimmingCharacters(in: .whitespacesAndNewlines), !note.isEmpty else {
                return "Say what the organization should change: the note goes back with the release."
            }
            try await ReleaseTransitions.move(release, to: .returned, actor: session.user.email, note: note, at: clock(), on: database)
            return nil
        }
    }

    struct CorrectionForm: Decodable, CSRFProtected {
        var _csrf: String
        var headline: String?
        var body: String?
        var note: String?
    }

    /// Corrects a published release: the earlier version is kept and the dated note shown.
    @Sendable func correct(request: Request, context: DatelineRequestContext) async throws -> Response {
        try await change(request, context, editorsOnly: true, form: CorrectionForm.self, transactional: false) { release, _, session, form, _ in
            guard let body = form.body?.trimmingCharacters(in: .whitespacesAndNewlines), !body.isEmpty else { return "A correction needs the corrected body." }
            do {
                try await ReleaseCorrections(hub: hub, clock: clock).correct(release.id!, headline: form.headline.flatMap { $0.isEmpty ? nil : $0 }, body: body, note: form.note ?? "", actor: session.user.email)
            } catch let error as ReleaseChangeError {
                return error.description.prefix(1).uppercased() + error.description.dropFirst() + "."
            }
            return nil
        }
    }

    /// Retracts a published release: a notice to disregard, with the note.
    @Sendable func retract(request: Request, context: DatelineRequestContext) async throws -> Response {
        try await change(request, context, editorsOnly: true, form: CorrectionForm.self, transactional: false) { release, _, session, form, _ in
            do {
                try await ReleaseCorrections(hub: hub, clock: clock).retract(release.id!, note: form.note ?? "", actor: session.user.email)
            } catch let error as ReleaseChangeError {
                return error.description.prefix(1).uppercased() + error.description.dropFirst() + "."
            }
            return nil
        }
    }

    struct TokenForm: Decodable, CSRFProtected { var _csrf: String }

    /// Runs a status change on a release the user may touch; `body` returns a message to show instead, or `nil` on success.
    func change<Form: Decodable & CSRFProtected & Sendable>(
        _ request: Request, _ context: DatelineRequestContext, editorsOnly: Bool = false, form formType: Form.Type,
        transactional: Bool = true,
        _ body: @escaping @Sendable (ReleaseModel, NewsroomAccess, SessionModel, Form, any Database) async throws -> String?
    ) async throws -> Response {
        let session: SessionModel
        switch try await signedIn(request) { case .success(let s): session = s; case .failure(let r): return r.response }
        let access = NewsroomAccess(user: session.user, database: try hub.database)
        guard let id = context.parameters.get("id"), let release = try await access.release(id) else { throw HTTPError(.notFound) }
        guard let form = try await form(formType, request, session: session) else { return try refused() }
        guard !editorsOnly || access.isEditor else {
            return try page("message", MessagePage(layout: layout("Editors only"), title: "Editors only", text: "Only the newswire's editors approve or return releases."), status: .forbidden)
        }
        do {
            // A status change, its history entry and its publish event are written together or not at all.
            let message: String? = transactional
                ? try await hub.write { database in try await body(release, access, session, form, database) }
                : try await body(release, access, session, form, try hub.database)
            if let message {
                return try await editPage(release, access: access, session: session, error: message, status: .badRequest)
            }
        } catch let error as ReleaseStatusError {
            return try await editPage(release, access: access, session: session, error: error.description, status: .conflict)
        } catch ReleaseChangeError.changedMeanwhile {
            let fresh = try await access.release(release.id!) ?? release
            return try await editPage(fresh, access: access, session: session, error: "Someone changed this release meanwhile; check it and try again.", status: .conflict)
        }
        return Response(status: .seeOther, headers: [.location: Path.release(id)])
    }

    // MARK: Form → release

    enum DraftError: Error, CustomStringConvertible {
        case headline, body, language(String), liftTime, statementURL, zone(String)
        var description: String {
            switch self {
            case .headline: "A release needs a headline."
            case .body: "A release needs a body."
            case .language(let text): "'\(text)' is not a language tag; write one like en, fr or pt-BR."
            case .liftTime: "An embargoed release needs its lift time: a date and a time, read in the time zone chosen."
            case .statementURL: "The statement link must be a full http or https address."
            case .zone(let text): "'\(text)' is not a time zone; write one like America/New_York or Europe/Berlin, or leave it empty for UTC."
            }
        }
    }

    private func apply(_ form: DraftForm, to release: ReleaseModel) throws {
        let headline = PlainText.clean(form.headline).trimmingCharacters(in: .whitespacesAndNewlines)
        guard !headline.isEmpty else { throw DraftError.headline }
        let body = PlainText.clean(form.body).trimmingCharacters(in: .whitespacesAndNewlines)
        guard !body.isEmpty else { throw DraftError.body }
        let languageText = (form.language ?? "en").trimmingCharacters(in: .whitespaces)
        guard let language = LanguageTag(languageText) else { throw DraftError.language(languageText) }
        release.headline = headline
        release.subheadline = form.subheadline.map(PlainText.clean).flatMap { $0.isEmpty ? nil : $0 }
        release.datelineCity = form.datelineCity.map(PlainText.clean).flatMap { $0.isEmpty ? nil : $0 }
        release.language = language.rawValue
        release.body = body
        if let statement = form.statementURL, !statement.trimmingCharacters(in: .whitespaces).isEmpty {
            guard let url = ReleaseStore.webURL(statement) else { throw DraftError.statementURL }
            release.statementURL = url
        } else {
            release.statementURL = nil
        }
        // The zone the writer chose: the lift time is read on its wall clock, and the release's
        // times are shown in it.
        let zoneName = (form.embargoZone ?? "").trimmingCharacters(in: .whitespaces)
        if !zoneName.isEmpty {
            guard NewsroomFormChoices.zone(named: zoneName) != nil else { throw DraftError.zone(String(zoneName.prefix(64))) }
            release.timeZone = zoneName
        }
        if form.timing == "embargoed" {
            guard let lift = try Self.parseLift(form) else { throw DraftError.liftTime }
            release.setTiming(.embargoed(until: lift.instant))
        } else {
            release.setTiming(.immediate)
        }
    }

    /// Saves the offered contacts the writer ticked as the organization's media contacts and
    /// puts them on the release (their details wait with it until it is public, as an import's
    /// do); the others are dropped. Every offer is answered by one save of the form.
    private func confirmOffered(_ release: ReleaseModel, form: DraftForm, on database: any Database) async throws {
        guard var learned = LearnedProfile(stored: release.learnedProfile), let offered = learned.offered, !offered.isEmpty else { return }
        let chosen = Set((form.offered ?? []).compactMap(Int.init))
        for (index, contact) in offered.enumerated() where chosen.contains(index) {
            let model = try await MediaContactModel.findOrCreate(named: contact.name, organizationID: release.$organization.id, on: database)
            try await release.$contacts.attach(model, method: .ifNotExists, on: database)
            learned.contacts.append(.init(contactID: try model.requireID(), title: contact.title, affiliation: contact.affiliation, email: contact.email, phone: contact.phone))
        }
        learned.offered = nil
        release.learnedProfile = learned.stored
        try await release.save(on: database)
    }

    private func link(_ release: ReleaseModel, form: DraftForm, on database: any Database) async throws {
        let organizationID = release.$organization.id
        for id in (form.contacts ?? []).compactMap(UUID.init(uuidString:)) {
            if let contact = try await MediaContactModel.query(on: database).filter(\.$id == id).filter(\.$organization.$id == organizationID).first() {
                try await release.$contacts.attach(contact, on: database)
            }
        }
        for name in (form.topics ?? "").split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !name.isEmpty {
            guard let slug = Slug(making: name) else { continue }
            let topic = try await TopicModel.query(on: database).filter(\.$slug == slug.rawValue).first() ?? TopicModel(name: name, slug: slug)
            if topic.id == nil { try await topic.create(on: database) }
            try await release.$topics.attach(topic, method: .ifNotExists, on: database)
        }
    }

    /// The lift time of an embargoed draft: `embargoUntil` (as ``parseLocal(_:)`` reads it) on the
    /// wall clock of `embargoZone` (UTC when empty). A time that happens twice in that zone lifts
    /// at the later instant, a skipped one at the first instant after it; the resolution's note
    /// says so, for the page. Nil when the form is not embargoed or gives no readable time.
    /// - Throws: ``DraftError/zone(_:)`` for a zone name that is not an IANA time zone.
    static func parseLift(_ form: DraftForm) throws -> LocalTime.Resolution? {
        guard form.timing == "embargoed" else { return nil }
        return try wallClock(form.embargoUntil, zone: form.embargoZone)
    }

    /// `text` (as ``parseLocal(_:)`` reads it) on the wall clock of the zone named `zoneName`
    /// (UTC when empty), resolved as ``parseLift(_:)`` resolves a lift time. Nil when `text` is
    /// not a readable time.
    /// - Throws: ``DraftError/zone(_:)`` for a zone name that is not an IANA time zone.
    static func wallClock(_ text: String?, zone zoneName: String?) throws -> LocalTime.Resolution? {
        guard let reading = text.flatMap(parseLocal) else { return nil }
        let name = (zoneName ?? "").trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty, name.uppercased() != "UTC" else { return LocalTime.Resolution(instant: reading, adjustment: nil, note: nil) }
        guard let zone = NewsroomFormChoices.zone(named: name) else { throw DraftError.zone(String(name.prefix(64))) }
        var utc = Calendar(identifier: .gregorian)
        utc.timeZone = TimeZone(identifier: "UTC")!
        let wall = utc.dateComponents([.year, .month, .day, .hour, .minute], from: reading)
        guard let year = wall.year, let month = wall.month, let day = wall.day, let hour = wall.hour, let minute = wall.minute else { return nil }
        return LocalTime.resolve(year: year, month: month, day: day, hour: hour, minute: minute, in: zone)
    }

    /// `YYYY-MM-DDTHH:MM` (an HTML `datetime-local` value), read as UTC.
    static func parseLocal(_ text: String) -> Date? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        for format in ["yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd HH:mm"] {
            formatter.dateFormat = format
            if let date = formatter.date(from: text.trimmingCharacters(in: .whitespaces)) { return date }
        }
        return nil
    }

    static func formatLocal(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd'T'HH:mm"
        return formatter.string(from: date)
    }
}
