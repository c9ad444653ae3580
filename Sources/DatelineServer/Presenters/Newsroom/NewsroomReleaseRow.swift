import Mustache

/// One release as the newsroom lists it. Times are `YYYY-MM-DD HH:MM` in UTC.
struct NewsroomReleaseRow: Sendable {
    var headline: String
    var organization: String
    var status: String
    var path: String
    var created: String
    /// When it was last submitted for review, if ever.
    var submitted: String?
    /// "Lifts", "Publishes" or "Published", with ``time``.
    var timeLabel: String?
    var time: String?
    var changed: String
}

extension NewsroomReleaseRow: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "headline": headline
        case "organization": organization
        case "status": status
        case "path": path
        case "created": created
        case "submitted": submitted
        case "timeLabel": timeLabel
        case "time": time
        case "changed": changed
        default: nil
        }
    }
}
