import DatelineCore
import FluentKit
import Foundation
import Hummingbird
import ReleaseImport

/// The review: members submit; editors approve (publish now, schedule, or embargo until a lift
/// time), return with a note, correct or retract a published release.
extension NewsroomReleasesController {
    func addReviewRoutes(to group: RouterGroup<DatelineRequestContext>) {
        group.post(NewsroomURL.Pattern.submit, use: submit)
        group.post(NewsroomURL.Pattern.approve, use: approve)
        group.post(NewsroomURL.Pattern.giveBack, use: giveBack)
        group.post(NewsroomURL.Pattern.correct, use: correct)
        group.post(NewsroomURL.Pattern.retract, use: retract)
    }

    /// A form with nothing but its CSRF token (which the group's middleware checks).
    struct EmptyForm: Decodable, Sendable {}

    @Sendable func submit(request: Request, context: DatelineRequestContext) async throws -> Response {
        try await change(request, context, form: EmptyForm.self) { release, identity, _, database in
            try await ReleaseTransitions.move(release, to: .submitted, actor: identity.user.email, at: clock(), on: database)
            return nil
        }
    }

    /// The approval form: the decision, its time on the wall clock of `zone`, and a note.
    struct ReviewForm: Decodable, Sendable {
        /// `now`, `schedule` or `embargo`.
        var decision: String?
        var at: String?
        /// The IANA zone `at` is written in; empty or absent: UTC.
        var zone: String?
        var note: String?
    }

    @Sendable func approve(request: Request, context: DatelineRequestContext) async throws -> Response {
        try await change(request, context, editorsOnly: true, form: ReviewForm.self) { release, identity, form, database in
            let now = clock()
            let actor = identity.user.email
            switch form.decision ?? "now" {
            case "schedule", "embargo":
                let resolved: LocalTime.Resolution?
                do {
                    resolved = try NewsroomFormChoices.readWallClock(form.at, zone: form.zone)
                } catch let error as ReleaseDraftError {
                    return error.description
                }
                guard let at = resolved?.instant, at > now else {
                    return "Give a time in the future for the release to be \(form.decision == "embargo" ? "embargoed until" : "published at")."
                }
                if form.decision == "embargo" {
                    release.setTiming(.embargoed(until: at))
                    release.scheduledAt = nil
                    try await ReleaseTransitions.move(release, to: .embargoed, actor: actor, note: form.note, at: now, on: database)
                } else {
                    if let lift = release.embargoUntil, at < lift {
                        return "The release is embargoed until \(NewsroomFormChoices.formatLocal(lift)) UTC: schedule it for that time or later, or change its timing first."
                    }
                    release.scheduledAt = at
                    try await ReleaseTransitions.move(release, to: .scheduled, actor: actor, note: form.note, at: now, on: database)
                }
            default:
                let lifted = release.releaseTiming.isLifted(at: now)
                try await ReleaseTransitions.move(release, to: lifted ? .published : .embargoed, actor: actor, note: form.note, at: now, on: database)
            }
            return nil
        }
    }

    @Sendable func giveBack(request: Request, context: DatelineRequestContext) async throws -> Response {
        try await change(request, context, editorsOnly: true, form: ReviewForm.self) { release, identity, form, database in
            guard let note = form.note?.trimmingCharacters(in: .whitespacesAndNewlines), !note.isEmpty else {
                return "Say what the organization should change: the note goes back with the release."
            }
            try await ReleaseTransitions.move(release, to: .returned, actor: identity.user.email, note: note, at: clock(), on: database)
            return nil
        }
    }

    /// A correction's new headline and body, or a retraction's note.
    struct CorrectionForm: Decodable, Sendable {
        var headline: String?
        var body: String?
        var note: String?
    }

    /// Corrects a published release: the earlier version is kept and the dated note shown.
    @Sendable func correct(request: Request, context: DatelineRequestContext) async throws -> Response {
        try await change(request, context, editorsOnly: true, form: CorrectionForm.self, transactional: false) { release, identity, form, _ in
            guard let body = form.body?.trimmingCharacters(in: .whitespacesAndNewlines), !body.isEmpty else { return "A correction needs the corrected body." }
            do {
                try await ReleaseCorrections(hub: hub, clock: clock).correct(release.id!, headline: form.headline.flatMap { $0.isEmpty ? nil : $0 }, body: body, note: form.note ?? "", actor: identity.user.email)
            } catch let error as ReleaseChangeError {
                return error.sentence
            }
            return nil
        }
    }

    /// Retracts a published release: a notice to disregard, with the note.
    @Sendable func retract(request: Request, context: DatelineRequestContext) async throws -> Response {
        try await change(request, context, editorsOnly: true, form: CorrectionForm.self, transactional: false) { release, identity, form, _ in
            do {
                try await ReleaseCorrections(hub: hub, clock: clock).retract(release.id!, note: form.note ?? "", actor: identity.user.email)
            } catch let error as ReleaseChangeError {
                return error.sentence
            }
            return nil
        }
    }

    /// Runs a change on the route's release: `body` returns a message to show on the release's
    /// page (400) instead, or nil on success (303 back to the page). A refused status change
    /// answers 409 with the state machine's reason, a ``MediaError`` (images without alt text)
    /// 400 with its message; editors-only changes answer members 403.
    func change<Form: Decodable & Sendable>(
        _ request: Request, _ context: DatelineRequestContext, editorsOnly: Bool = false, form formType: Form.Type,
        transactional: Bool = true,
        _ body: @escaping @Sendable (ReleaseModel, NewsroomIdentity, Form, any Database) async throws -> String?
    ) async throws -> Response {
        let identity = try context.signedIn()
        let access = NewsroomAccess(user: identity.user, database: try hub.database)
        let release = try await release(context, access: access)
        let form = try await request.decode(as: formType, context: context)
        guard !editorsOnly || access.isEditor else {
            return try pages.message("Editors only", "Only the newswire's editors approve or return releases.", status: .forbidden)
        }
        do {
            // A status change, its history entry and its publish event are written together or not at all.
            let message: String? = transactional
                ? try await hub.write { database in try await body(release, identity, form, database) }
                : try await body(release, identity, form, try hub.database)
            if let message {
                return try await editPage(release, access: access, identity: identity, error: message, status: .badRequest)
            }
        } catch let error as ReleaseStatusError {
            return try await editPage(release, access: access, identity: identity, error: error.description, status: .conflict)
        } catch let error as MediaError {
            // Images without alt text hold a release back from review and publication.
            let fresh = try await access.release(release.id!) ?? release
            return try await editPage(fresh, access: access, identity: identity, error: error.description, status: .badRequest)
        } catch ReleaseChangeError.changedMeanwhile {
            let fresh = try await access.release(release.id!) ?? release
            return try await editPage(fresh, access: access, identity: identity, error: "Someone changed this release meanwhile; check it and try again.", status: .conflict)
        }
        return NewsroomPages.redirect(to: .release(id: try release.requireID()))
    }
}
