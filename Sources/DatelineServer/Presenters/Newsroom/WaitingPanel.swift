import DatelineCore
import Foundation
import Mustache

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

extension WaitingPanel {
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
        moveAction = NewsroomURL.moveWaitingTime(id: id).path
        publishNowAction = NewsroomURL.publishNow(id: id).path
        holdAction = NewsroomURL.hold(id: id).path
    }
}

extension WaitingPanel: MustacheParent {
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
