import DatelineCore
import FluentKit
import Foundation
import Hummingbird
import ReleaseImport

/// Writing releases: members create and edit drafts (Markdown with a server-rendered preview)
/// and paste a release for the importer to fill in; the review, the waiting time and the
/// attachments are in this controller's extensions. Every route sits in the signed-in group (``NewsroomRoutes``),
/// and every change of status goes through ``ReleaseTransitions`` and shows in the history.
struct NewsroomReleasesController {
    let hub: DatabaseHub
    let settings: Settings
    let renderer: PageRenderer
    let clock: @Sendable () -> Date

    func addRoutes(to group: RouterGroup<DatelineRequestContext>) {
        group.get(NewsroomURL.Pattern.releases, use: list)
        group.get(NewsroomURL.Pattern.newRelease, use: newForm)
        group.post(NewsroomURL.Pattern.releases, use: create)
        group.post(NewsroomURL.Pattern.pasteRelease, use: paste)
        group.get(NewsroomURL.Pattern.release, use: show)
        group.post(NewsroomURL.Pattern.release, use: save)
        addReviewRoutes(to: group)
        addWaitingRoutes(to: group)
        addMediaRoutes(to: group)
    }

    var pages: NewsroomPages { NewsroomPages(settings: settings, renderer: renderer) }

    /// The release of the route's `:id` that the signed-in user may touch.
    /// - Throws: `HTTPError(.notFound)` when there is none, or the user may not touch it.
    func release(_ context: DatelineRequestContext, access: NewsroomAccess) async throws -> ReleaseModel {
        guard let id = context.parameters.get("id"), let release = try await access.release(id) else { throw HTTPError(.notFound) }
        return release
    }

    // MARK: List and create

    @Sendable func list(request: Request, context: DatelineRequestContext) async throws -> Response {
        let identity = try context.signedIn()
        let access = NewsroomAccess(user: identity.user, database: try hub.database)
        let filter = NewsroomReleaseFilter(request.uri.queryParameters)
        let (rows, hasOlder) = try await access.releases(filter)
        let queue = try await access.reviewQueue()
        let organizations = try await access.organizations()
        let statuses = ReleaseStatus.allCases.map { FormOption(value: $0.rawValue, label: $0.rawValue.capitalized, selected: $0 == filter.status) }
        return try pages.page("newsroom-releases", ReleaseListPage(
            layout: pages.layout("Releases"), csrf: identity.csrfToken, isEditor: access.isEditor,
            reviewQueue: queue, hasReviewQueue: !queue.isEmpty, releases: rows, hasReleases: !rows.isEmpty,
            organizations: organizations.map { FormOption(value: $0.slug, label: $0.name, selected: false) },
            hasOrganizations: !organizations.isEmpty,
            filterOrganizations: organizations.map { FormOption(value: $0.slug, label: $0.name, selected: $0.slug == filter.organization?.rawValue) },
            statuses: statuses, headlineQuery: filter.headline, isFiltered: filter.isFiltered,
            page: filter.page,
            newerPath: filter.page > 1 ? filter.path(page: filter.page - 1) : nil,
            olderPath: hasOlder ? filter.path(page: filter.page + 1) : nil
        ))
    }

    @Sendable func newForm(request: Request, context: DatelineRequestContext) async throws -> Response {
        try await newFormPage(identity: try context.signedIn(), form: nil, error: nil)
    }

    @Sendable func create(request: Request, context: DatelineRequestContext) async throws -> Response {
        let identity = try context.signedIn()
        let form = try await request.decode(as: ReleaseDraftForm.self, context: context)
        let access = NewsroomAccess(user: identity.user, database: try hub.database)
        guard let organization = try await access.organizations().first(where: { $0.slug == form.organization }) else {
            return try pages.message("Choose an organization", "Pick one of your organizations for the release, then save again.", status: .badRequest)
        }
        let now = clock()
        let release = ReleaseModel()
        do {
            try await hub.write { database in
                release.$organization.id = try organization.requireID()
                release.releasedAt = now
                release.timeZone = "UTC"
                try form.apply(to: release)
                try await ReleaseTransitions.create(release, start: .draft, actor: identity.user.email, at: now, on: database) { release, database in
                    try await form.link(release, on: database)
                }
            }
        } catch let error as ReleaseDraftError {
            // The form again, as sent, with the error beside its field: nothing typed is lost.
            return try await newFormPage(identity: identity, form: form, error: error)
        }
        if let lift = try? form.lift(), let note = lift.note, let fresh = try await access.release(release.id!) {
            return try await editPage(fresh, access: access, identity: identity, error: nil, notice: note, status: .ok)
        }
        return NewsroomPages.redirect(to: .release(id: release.id!))
    }

    /// The paste form's fields: the organization chosen and the text as found on the web.
    struct PasteForm: Decodable {
        var organization: String
        var text: String
    }

    /// "Paste a release as found on the web": the importer fills in the fields of a new draft.
    @Sendable func paste(request: Request, context: DatelineRequestContext) async throws -> Response {
        let identity = try context.signedIn()
        let form = try await request.decode(as: PasteForm.self, context: context)
        let access = NewsroomAccess(user: identity.user, database: try hub.database)
        guard let organization = try await access.organizations().first(where: { $0.slug == form.organization }) else {
            return try pages.message("Choose an organization", "Pick one of your organizations, then paste again.", status: .badRequest)
        }
        let extraction: ImportedRelease
        do {
            extraction = try ReleaseImporter.extract(data: Data(form.text.utf8))
        } catch {
            return try pages.message("Nothing to import", "The pasted text could not be read: \(error). Paste the release's text or page source and try again.", status: .badRequest)
        }
        let outcome: ImportOutcome
        do {
            var options = ImportOptions(publish: false, organizationName: organization.name, organizationID: try organization.requireID(), actor: identity.user.email)
            options.offerContacts = true
            outcome = try await ReleaseStore(hub: hub, clock: clock).store(extraction, options: options)
        } catch let error as ReleaseStoreError {
            return try pages.message("The release needs more", "The text was read, but \(error). Add it to the text, or write the release with the form.", status: .badRequest)
        }
        switch outcome {
        case .imported(let id, _, _):
            let doubts = ImportDoubts(extraction.confidence)
            // The text names another issuer than the organization chosen: say so on the draft.
            let otherIssuer = extraction.issuer.flatMap { Self.namesAnother($0, than: organization.name) ? $0 : nil }
            if extraction.embargoNote != nil || otherIssuer != nil, let fresh = try await access.release(id) {
                let warning = otherIssuer.map { "The pasted text names \u{201C}\($0)\u{201D} as its issuer, not \(organization.name). Check that the release is \(organization.name)'s, or choose its organization." }
                return try await editPage(fresh, access: access, identity: identity, error: nil, notice: extraction.embargoNote, issuerWarning: warning, doubts: doubts, status: .ok)
            }
            // The fields to check travel with the redirect, so the edit page marks them.
            return NewsroomPages.redirect(to: .release(id: id), query: doubts.query.map { "check=" + $0 })
        case .skipped(let reason):
            return try pages.message("Already in the newsroom", "This release is \(reason).", status: .conflict)
        }
    }

    /// Whether an issuer named in a pasted text is another organization than `chosen`: their
    /// names' letters and digits, case aside, neither holding the other.
    static func namesAnother(_ named: String, than chosen: String) -> Bool {
        func key(_ text: String) -> String { String(text.lowercased().filter { $0.isLetter || $0.isNumber }) }
        let (a, b) = (key(named), key(chosen))
        guard !a.isEmpty, !b.isEmpty else { return false }
        return !a.contains(b) && !b.contains(a)
    }

    // MARK: One release

    @Sendable func show(request: Request, context: DatelineRequestContext) async throws -> Response {
        let identity = try context.signedIn()
        let access = NewsroomAccess(user: identity.user, database: try hub.database)
        let release = try await release(context, access: access)
        let doubts = ImportDoubts(query: request.uri.queryParameters.get("check").map { String($0) })
        return try await editPage(release, access: access, identity: identity, error: nil, doubts: doubts, status: .ok)
    }

    @Sendable func save(request: Request, context: DatelineRequestContext) async throws -> Response {
        let identity = try context.signedIn()
        let access = NewsroomAccess(user: identity.user, database: try hub.database)
        let release = try await release(context, access: access)
        let id = try release.requireID()
        let form = try await request.decode(as: ReleaseDraftForm.self, context: context)
        let status = release.releaseStatus
        guard [.draft, .returned].contains(status) || (access.isEditor && status == .submitted) else {
            return try await editPage(release, access: access, identity: identity, error: "A \(status.rawValue) release cannot be edited here; corrections to published releases keep the earlier version.", status: .conflict)
        }
        let editable: [ReleaseStatus] = access.isEditor ? [.draft, .returned, .submitted] : [.draft, .returned]
        do {
            try form.apply(to: release)
            try await hub.write { database in
                // The status is checked again under lock: an editor may have approved it meanwhile.
                guard try await ReleaseTransitions.claimForEdit(id, statuses: editable, at: clock(), on: database) else {
                    throw ReleaseChangeError.changedMeanwhile
                }
                try await release.save(on: database)
                try await release.$contacts.detachAll(on: database)
                try await release.$topics.detachAll(on: database)
                try await form.link(release, on: database)
                try await form.confirmOffered(release, on: database)
            }
        } catch let error as ReleaseDraftError {
            let stored = try await access.release(id) ?? release
            return try await editPage(stored, access: access, identity: identity, error: error.description, invalid: error, sent: form, status: .badRequest)
        } catch ReleaseChangeError.changedMeanwhile {
            let fresh = try await access.release(id) ?? release
            return try await editPage(fresh, access: access, identity: identity, error: ReleaseChangeError.changedMeanwhile.sentence, status: .conflict)
        }
        if let lift = try? form.lift(), let note = lift.note {
            return try await editPage(release, access: access, identity: identity, error: nil, notice: note, status: .ok)
        }
        return NewsroomPages.redirect(to: .release(id: id))
    }
}

extension ReleaseChangeError {
    /// The description as a sentence for a page: capitalized, with a full stop.
    var sentence: String { description.prefix(1).uppercased() + description.dropFirst() + "." }
}
