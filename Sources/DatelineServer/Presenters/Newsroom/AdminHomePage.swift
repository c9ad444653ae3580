import Mustache

/// The administration's home: organizations, topics, users and bounced addresses (`admin.mustache`).
struct AdminHomePage {
    var layout: PageLayout
    var csrf: String
    var organizations: [Item]
    var topics: [Item]
    var users: [Item]
    var roles: [String]
    /// Addresses the outbox stopped mailing (status `bounced`), newest first, at most ``bouncedShown``.
    var bounced: [Item] = []
    var hasBounced = false
    var bouncedSummary = ""

    struct Item {
        var label: String
        var detail: String
        var path: String?
    }
}

extension AdminHomePage: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "layout": layout
        case "csrf": csrf
        case "organizations": organizations
        case "topics": topics
        case "users": users
        case "roles": roles
        case "bounced": bounced
        case "hasBounced": hasBounced
        case "bouncedSummary": bouncedSummary
        default: nil
        }
    }
}

extension AdminHomePage.Item: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "label": label
        case "detail": detail
        case "path": path
        default: nil
        }
    }
}
