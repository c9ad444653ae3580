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
    enum WaitingPath {
        static let move: RouterPath = "/newsroom/releases/:id/waiting-time"
        static let publishNow: RouterPath = "/newsroom/releases/:id/publish-now"
        static let hold: RouterPath = "/newsroom/releases/:id/hold"

        static func move(_ id: String) -> String { "/newsroom/releases/\(id)/waiting-time" }
        static func publishNow(_ id: String) -> String { "/newsroom/releases/\(id)/publish-now" }
        static func hold(_ id: String) -> String { "/newsroom/releases/\(id)/hold" }
    }

    func addWaitingRoutes(to router: Router<DatelineRequestContext>) {
        router.post(WaitingPath.move, use: moveWaitingTime)
        router.post(WaitingPath.publishNow, use: publishNow)
        router.post(WaitingPath.hold, use: hold)
    }

    /// The three forms' fields: a new time (`YYYY-MM-DDTHH:MM`) on the wall clock of `zone`
    /// (an IANA name; UTC when empty), and a note for the history.
    struct WaitingForm: Decodable, CSRFProtected {
        var _csrf: String
        var at: String?
        var zone: String?
        var note: String?

        var trimmedNote: String? {
            note.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.flatMap { $0.isEmpty ? nil : String($0.prefix(500)) }
        }
    }

    @Sendable func moveWaitingTime(request: Request, context: DatelineRequestContext) async throws -> Response {
        try await change(request, context, editorsOnly: true, form: WaitingForm.self) { release, _, session, form, database in
            let resolution: LocalTime.Resolution?
            do {
                resolution = try Self.wallClock(form.at, zone: form.zone)
            } catch let error as DraftError {
                return error.description
            }
            guard let resolution else { return "Give the new time as a date and time, YYYY-MM-DDTHH:MM." }
            let note = [resolution.note, form.trimmedNote].compactMap { $0 }.joined(separator: " ")
            do {
                try await ReleaseTransitions.moveWaitingTime(release, to: resolution.instant, actor: session.user.email, note: note.isEmpty ? nil : note, at: clock(), on: database)
            } catch let error as LiftTimeError {
                return error.description
            }
            return nil
        }
    }

    @Sendable func publishNow(request: Request, context: DatelineRequestContext) async throws -> Response {
        try await change(request, context, editorsOnly: true, form: WaitingForm.self) { release, _, session, form, database in
            do {
                try await ReleaseTransitions.publishNow(release, actor: session.user.email, note: form.trimmedNote, at: clock(), on: database)
            } catch let error as LiftTimeError {
                return error.description
            }
            return nil
        }
    }

    /// Takes an embargoed or scheduled release back to draft: nothing is published, its time is
    /// kept for when it is approved again.
    @Sendable func hold(request: Request, context: DatelineRequestContext) async throws -> Response {
        try await change(request, context, editorsOnly: true, form: WaitingForm.self) { release, _, session, form, database in
            do {
                try await ReleaseTransitions.holdBack(release, actor: session.user.email, note: form.trimmedNote ?? "Held back", at: clock(), on: database)
            } catch let error as LiftTimeError {
                return error.description
            }
            return nil
        }
    }

    /// What the edit page shows an editor about a waiting release's time, and the forms to change it.
    struct WaitingPanel {
        /// "Embargo" or "Schedule".
        var title: String
        /// "lift time" or "publication time".
        var name: String
        /// The time in the release's zone, with its UTC offset.
        var local: String
        /// The same instant in UTC, when the release's zone is another.
        var utc: String?
        /// The same instant in the editor's own zone, when they chose one and it is another.
        var editorLocal: String? = nil
        /// The time as the form's `datetime-local` value, on the release zone's wall clock.
        var value: String
        var moveAction: String
        var publishNowAction: String
        var holdAction: String
    }
}

extension NewsroomReleasesController.WaitingPanel {
    /// Nil for a release that does not wait for a time. `editorZone`: the editor's own zone.
    init?(_ release: ReleaseModel, editorZone: String? = nil) {
        let status = release.releaseStatus
        guard let id = release.id, let waiting = ReleaseTransitions.waitingTime(of: status),
              let time = status == .embargoed ? release.embargoUntil : release.scheduledAt
        else { return nil }
        let zone = TimeZone(identifier: release.timeZone) ?? TimeZone(identifier: "UTC")!
        title = status == .embargoed ? "Embargo" : "Schedule"
        name = waiting.name
        local = ReleaseTiming.liftTimeText(time, in: zone)
        // Beside a time in another zone, the same instant in UTC; nothing for a UTC release.
        let inUTC = ReleaseTiming.liftTimeText(time, in: TimeZone(identifier: "UTC")!)
        utc = inUTC == local ? nil : inUTC
        if let editorZone, editorZone != release.timeZone, let own = TimeZone(identifier: editorZone) {
            let text = ReleaseTiming.liftTimeText(time, in: own)
            editorLocal = text == local || text == inUTC ? nil : text
        }
        value = NewsroomFormChoices.wallClock(time, zone: release.timeZone)
        moveAction = NewsroomReleasesController.WaitingPath.move(id)
        publishNowAction = NewsroomReleasesController.WaitingPath.publishNow(id)
        holdAction = NewsroomReleasesController.WaitingPath.hold(id)
    }
}

extension NewsroomReleasesController.WaitingPanel: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "title": title
        case "name": self.name
        case "local": local
        case "utc": utc
        case "editorLocal": editorLocal
        case "value": value
        case "moveAction": moveAction
        case "publishNowAction": publishNowAction
        case "holdAction": holdAction
        default: nil
        }
    }
}
