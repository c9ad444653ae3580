import Mustache

/// One organization in the administration: profile, logo, media contacts, members (`admin-organization.mustache`).
struct AdminOrganizationPage {
    var layout: PageLayout
    var csrf: String
    var name: String
    var slug: String
    var boilerplate: String
    var website: String
    var profiles: [Profile]
    var contacts: [String]
    var members: [Member]
    var action: String
    var contactAction: String
    var memberAction: String
    /// The logo form's address, and the logo now (a public media address) with its alt text.
    var logoAction = ""
    var logoURL: String? = nil
    var logoAlt: String? = nil
    /// A refused logo's reason.
    var error: String? = nil

    struct Member {
        var label: String
        var email: String
    }

    struct Profile {
        var key: String
        var label: String
        var value: String
    }
}

extension AdminOrganizationPage: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "layout": layout
        case "csrf": csrf
        case "name": self.name
        case "slug": slug
        case "boilerplate": boilerplate
        case "website": website
        case "profiles": profiles
        case "contacts": contacts
        case "members": members
        case "action": action
        case "contactAction": contactAction
        case "memberAction": memberAction
        case "logoAction": logoAction
        case "logoURL": logoURL
        case "logoAlt": logoAlt
        case "error": error
        default: nil
        }
    }
}

extension AdminOrganizationPage.Member: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "label": label
        case "email": email
        default: nil
        }
    }
}

extension AdminOrganizationPage.Profile: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "key": key
        case "label": label
        case "value": value
        default: nil
        }
    }
}
