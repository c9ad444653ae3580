import DatelineCore
import FluentKit
import Foundation
import Hummingbird
import ReleaseImport

/// The release form's page (``ReleaseEditPage``) made from a release and what the user may do
/// with it, or empty for a new release.
extension NewsroomReleasesController {
    /// The form for a new release: empty, or `form` as sent with `error` beside its field.
    func newFormPage(identity: NewsroomIdentity, form: ReleaseDraftForm?, error: ReleaseDraftError?) async throws -> Response {
        let database = try hub.database
        let access = NewsroomAccess(user: identity.user, database: database)
        let writesFor = try await access.organizations()
        let organizations = writesFor.map { FormOption(value: $0.slug, label: $0.name, selected: false) }
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
        var page = ReleaseEditPage(
            layout: pages.layout(error == nil ? "New release" : "Error: new release"), csrf: identity.csrfToken, action: NewsroomURL.releases.path, isNew: true,
            organizations: organizations.map { FormOption(value: $0.value, label: $0.label, selected: $0.value == form?.organization) },
            headline: form?.headline ?? "", subheadline: form?.subheadline ?? "", datelineCity: form?.datelineCity ?? "", language: form?.language ?? "en",
            isEmbargoed: form?.timing == "embargoed", embargoUntil: form?.embargoUntil ?? "", body: form?.body ?? "", statementURL: form?.statementURL ?? "", topics: form?.topics ?? "",
            contacts: contacts.map { contact in
                ReleaseEditPage.ContactOption(id: contact.id!.uuidString, name: [contact.name, contact.email, writesFor.count > 1 ? contact.organization.name : nil].compactMap { $0 }.joined(separator: ", "), checked: ticked?.contains(contact.id!.uuidString) ?? true)
            },
            hasContacts: !contacts.isEmpty,
            previewHTML: nil, status: nil, canEdit: true, canSubmit: false, canReview: false,
            submitAction: nil, approveAction: nil, returnAction: nil, canCorrect: false, correctAction: nil, retractAction: nil,
            history: [], hasHistory: false, error: error?.description
        )
        page.languages = NewsroomFormChoices.languages(selected: form?.language ?? "en")
        page.zones = NewsroomFormChoices.zones(selected: form?.embargoZone.flatMap { NewsroomFormChoices.zone(named: $0) != nil ? $0 : nil } ?? zone)
        if let error { page.mark(error) }
        return try pages.page("newsroom-edit", page, status: error == nil ? .ok : .badRequest)
    }

    /// `sent`: the form as sent, when it was refused; its values are shown instead of the stored ones.
    /// `upload`: a refused upload's text fields, shown again in the upload form.
    func editPage(_ release: ReleaseModel, access: NewsroomAccess, identity: NewsroomIdentity, error: String?, invalid: ReleaseDraftError? = nil, sent: ReleaseDraftForm? = nil, upload: AttachmentForm? = nil, notice: String? = nil, issuerWarning: String? = nil, doubts: ImportDoubts = ImportDoubts(keys: []), status: HTTPResponse.Status) async throws -> Response {
        let database = try hub.database
        let id = release.id!
        let organizations = try await access.organizations().map { FormOption(value: $0.slug, label: $0.name, selected: $0.id == release.$organization.id) }
        let chosen = Set(release.contacts.compactMap(\.id))
        let contacts = try await MediaContactModel.query(on: database).filter(\.$organization.$id == release.$organization.id).sort(\.$name).all()
        let history = try await ReleaseEventModel.query(on: database).filter(\.$release.$id == id).sort(\.$at).all().map {
            ReleaseEditPage.HistoryRow(at: $0.at.formatted(.iso8601), change: [$0.fromStatus, $0.toStatus].compactMap { $0 }.joined(separator: " → "), actor: $0.actor, note: $0.note)
        }
        let releaseStatus = release.releaseStatus
        let editable: Set<ReleaseStatus> = [.draft, .returned, .submitted]
        let media = try await MediaStore.media(ofRelease: id, on: database)
        var domain = release.releaseAsItWillRead
        domain.media = media
        // The preview reads the release's files through the newsroom's own route, never the public one.
        let preview = ReleasePage(release: domain, settings: settings, links: MediaLinks { NewsroomURL.releaseMedia(id: id, file: $0.fileName).path })
        var edit = ReleaseEditPage(
            layout: pages.layout(error == nil ? release.headline : "Error: \(release.headline)"), csrf: identity.csrfToken, action: NewsroomURL.release(id: id).path, isNew: false,
            organizations: organizations, headline: release.headline, subheadline: release.subheadline ?? "",
            datelineCity: release.datelineCity ?? "", language: release.language,
            isEmbargoed: release.timing == "embargoed", embargoUntil: release.embargoUntil.map { NewsroomFormChoices.wallClock($0, zone: release.timeZone) } ?? "",
            body: release.body, statementURL: release.statementURL ?? "", topics: release.topics.map(\.name).joined(separator: ", "),
            contacts: contacts.map { ReleaseEditPage.ContactOption(id: $0.id!.uuidString, name: [$0.name, $0.email].compactMap { $0 }.joined(separator: ", "), checked: chosen.contains($0.id!)) },
            hasContacts: !contacts.isEmpty,
            previewHTML: preview.bodyHTML,
            status: releaseStatus.rawValue,
            canEdit: editable.contains(releaseStatus) && (access.isEditor || releaseStatus != .submitted),
            canSubmit: releaseStatus == .draft || releaseStatus == .returned,
            canReview: access.isEditor && (releaseStatus == .submitted || releaseStatus == .draft),
            submitAction: NewsroomURL.submit(id: id).path, approveAction: NewsroomURL.approve(id: id).path, returnAction: NewsroomURL.giveBack(id: id).path,
            canCorrect: access.isEditor && (releaseStatus == .published || releaseStatus == .corrected),
            correctAction: NewsroomURL.correct(id: id).path, retractAction: NewsroomURL.retract(id: id).path,
            history: history, hasHistory: !history.isEmpty, error: error, notice: notice
        )
        if editable.contains(releaseStatus) { edit.mark(doubts) }
        if access.isEditor { edit.waiting = WaitingPanel(release, editorZone: identity.user.timeZone) }
        edit.languages = NewsroomFormChoices.languages(selected: release.language)
        edit.zones = NewsroomFormChoices.zones(selected: release.timeZone)
        edit.previewHeadline = domain.headline
        edit.previewSubheadline = domain.subheadline
        edit.previewTiming = preview.timingLine
        edit.previewContacts = preview.contacts
        edit.hasPreviewContacts = !preview.contacts.isEmpty
        edit.show(media, releaseID: id, canAttach: edit.canEdit)
        edit.previewMedia = ReleaseEditPage.PreviewMedia(preview)
        if let upload {
            edit.uploadAlt = upload.alt ?? ""
            edit.uploadCaption = upload.caption ?? ""
            edit.uploadCredit = upload.credit ?? ""
        }
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
            edit.contacts = edit.contacts.map { ReleaseEditPage.ContactOption(id: $0.id, name: $0.name, checked: ticked.contains($0.id)) }
            let offered = Set(sent.offered ?? [])
            edit.offeredContacts = edit.offeredContacts.map { ReleaseEditPage.ContactOption(id: $0.id, name: $0.name, checked: offered.contains($0.id)) }
        }
        if editable.contains(releaseStatus), let offered = LearnedProfile(stored: release.learnedProfile)?.offered {
            edit.offeredContacts = offered.enumerated().map { ReleaseEditPage.ContactOption(id: String($0.offset), name: $0.element.line, checked: false) }
            edit.hasOfferedContacts = !offered.isEmpty
        }
        return try pages.page("newsroom-edit", edit, status: status)
    }
}
