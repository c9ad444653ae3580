import Mustache

/// The audience pages' context: a list of rows, a filter and pages, delivery failures.
struct AudiencePage {
    var layout: PageLayout
    var csrf: String
    var title: String
    var detail: String? = nil
    var rows: [Row] { didSet { hasRows = !rows.isEmpty } }
    var hasRows: Bool
    var query = ""
    var statuses: [FormOption] = []
    var failures: [OutboxFailure] = []
    var hasFailures = false
    var removeAction: String? = nil
    var newerPath: String? = nil
    var olderPath: String? = nil

    init(layout: PageLayout, csrf: String, title: String, detail: String? = nil, rows: [Row]) {
        self.layout = layout
        self.csrf = csrf
        self.title = title
        self.detail = detail
        self.rows = rows
        hasRows = !rows.isEmpty
    }

    struct Row {
        var label: String
        var path: String?
        var detail: String
        var date: String
    }
}

extension AudiencePage: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "layout": layout
        case "csrf": csrf
        case "title": title
        case "detail": detail
        case "rows": rows
        case "hasRows": hasRows
        case "query": query
        case "statuses": statuses
        case "failures": failures
        case "hasFailures": hasFailures
        case "removeAction": removeAction
        case "newerPath": newerPath
        case "olderPath": olderPath
        default: nil
        }
    }
}

extension AudiencePage.Row: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "label": label
        case "path": path
        case "detail": detail
        case "date": date
        default: nil
        }
    }
}
