import Mustache

/// The new-password form a reset link opens (`reset-password.mustache`).
struct PasswordResetPage {
    var layout: PageLayout
    var csrf: String
    var action: String
    var error: String?
}

extension PasswordResetPage: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "layout": layout
        case "csrf": csrf
        case "action": action
        case "error": error
        default: nil
        }
    }
}
