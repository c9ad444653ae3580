import Mustache

/// The sign-in form (`sign-in.mustache`).
struct SignInPage {
    var layout: PageLayout
    var csrf: String
    var email: String
    var error: String?
    var action = NewsroomURL.signIn.path
}

extension SignInPage: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "layout": layout
        case "csrf": csrf
        case "email": email
        case "error": error
        case "action": action
        default: nil
        }
    }
}
