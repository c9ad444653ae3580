import DatelineCore
import FluentKit
import Foundation
import Hummingbird
import Mustache
import ReleaseImport

/// The editor's controls on a release waiting for its time (embargoed or scheduled): move the
/// lift or publication time, publish now, or take it back to draft. Each goes through
/// ``ReleaseTransitions`` and shows in the release's history.
extension NewsroomReleasesController {
    func addWaitingRoutes(to group: RouterGroup<DatelineRequestContext>) {
        group.post(NewsroomURL.Pattern.moveWaitingTime, use: moveWaitingTime)
        group.post(NewsroomURL.Pattern.publishNow, use: publishNow)
        group.post(NewsroomURL.Pattern.hold, use: hold)
    }

    /// The three forms' fields: a new time (`YYYY-MM-DDTHH:MM`) on the wall clock of `zone`
    /// (an IANA name; UTC when empty), and a note for the history.
    struct WaitingForm: Decodable, Sendable {
        var at: String?
        var zone: String?
        var note: String?

        var trimmedNote: String? {
            note.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.flatMap { $0.isEmpty ? nil : String($0.prefix(500)) }
        }
    }

    @Sendable func moveWaitingTime(request: Request, context: DatelineRequestContext) async throws -> Response {
        try await change(request, context, editorsOnly: true, form: WaitingForm.self) { release, identity, form, database in
            let resolution: LocalTime.Resolution?
            do {
                resolution = try NewsroomFormChoices.readWallClock(form.at, zone: form.zone)
            } catch let error as ReleaseDraftError {
                return error.description
            }
            guard let resolution else { return "Give the new time as a date and time, YYYY-MM-DDTHH:MM." }
            let note = [resolution.note, form.trimmedNote].compactMap { $0 }.joined(separator: " ")
            do {
                try await ReleaseTransitions.moveWaitingTime(release, to: resolution.instant, actor: identity.user.email, note: note.isEmpty ? nil : note, at: clock(), on: database)
            } catch let error as LiftTimeError {
                return error.description
            }
            return nil
        }
    }

    @Sendable func publishNow(request: Request, context: DatelineRequestContext) async throws -> Response {
        try await change(request, context, editorsOnly: true, form: WaitingForm.self) { release, identity, form, database in
            do {
                try await ReleaseTransitions.publishNow(release, actor: identity.user.email, note: form.trimmedNote, at: clock(), on: database)
            } catch let error as LiftTimeError {
                return error.description
            }
            return nil
        }
    }

    /// Takes an embargoed or scheduled release back to draft: nothing is published, its time is
    /// kept for when it is approved again.
    @Sendable func hold(request: Request, context: DatelineRequestContext) async throws -> Response {
        try await change(request, context, editorsOnly: true, form: WaitingForm.self) { release, identity, form, database in
            do {
                try await ReleaseTransitions.holdBack(release, actor: identity.user.email, note: form.trimmedNote ?? "Held back", at: clock(), on: database)
            } catch let error as LiftTimeError {
                return error.description
            }
            return nil
        }
    }
}
