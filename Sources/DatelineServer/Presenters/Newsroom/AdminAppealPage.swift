import Mustache

/// The admin's form for the support appeal and its ways to give (`admin-appeal.mustache`).
struct AdminAppealPage {
    var layout: PageLayout
    var csrf: String
    var heading: String
    var text: String
    var methods: [SupportAppeal.DonationMethod]
    var notice: String?
    var error: String?
}

extension AdminAppealPage: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "layout": layout
        case "csrf": csrf
        case "heading": heading
        case "text": text
        case "methods": methods
        case "notice": notice
        case "error": error
        default: nil
        }
    }
}
