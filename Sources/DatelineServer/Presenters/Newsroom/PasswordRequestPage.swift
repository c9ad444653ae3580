import Mustache

/// "Forgot your password?": the address form, or the "check your email" answer (`forgot-password.mustache`).
struct PasswordRequestPage {
    var layout: PageLayout
    var csrf: String
    var sent: Bool
    var action = NewsroomURL.forgotPassword.path
}

extension PasswordRequestPage: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "layout": layout
        case "csrf": csrf
        case "sent": sent
        case "action": action
        default: nil
        }
    }
}
