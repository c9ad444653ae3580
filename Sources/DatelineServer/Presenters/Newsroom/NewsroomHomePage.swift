import Mustache

/// The newsroom's dashboard: the user, their organizations, two-factor and time zone settings (`newsroom.mustache`).
struct NewsroomHomePage {
    var layout: PageLayout
    var csrf: String
    var name: String
    var email: String
    var role: String
    var organizations: [String]
    var hasOrganizations: Bool
    var isAdmin: Bool
    var twoFactorOn: Bool
    /// Unused recovery codes, when two-factor sign-in is on.
    var recoveryCodesLeft: Int? = nil
    var recoveryCodesAction = NewsroomURL.recoveryCodes.path
    /// The zones, the user's own chosen (UTC until they choose).
    var zones: [FormOption] = []
    var timeZoneAction = NewsroomURL.timeZone.path
    var signOutAction = NewsroomURL.signOut.path
}

extension NewsroomHomePage: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "layout": layout
        case "csrf": csrf
        case "name": self.name
        case "email": email
        case "role": role
        case "organizations": organizations
        case "hasOrganizations": hasOrganizations
        case "isAdmin": isAdmin
        case "twoFactorOn": twoFactorOn
        case "recoveryCodesLeft": recoveryCodesLeft
        case "recoveryCodesAction": recoveryCodesAction
        case "zones": zones
        case "timeZoneAction": timeZoneAction
        case "signOutAction": signOutAction
        default: nil
        }
    }
}
