import Mustache

/// The second factor: enrolment with the key and its QR code, or the code form (`two-factor.mustache`).
struct TwoFactorPage {
    var layout: PageLayout
    var csrf: String
    var enrolling: Bool
    var secret: String?
    var authenticatorURL: String?
    /// The authenticator URL as a QR code (inline SVG, ``QRCode``).
    var qrSVG: String? = nil
    var error: String?
    var action = NewsroomURL.twoFactor.path
}

extension TwoFactorPage: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "layout": layout
        case "csrf": csrf
        case "enrolling": enrolling
        case "secret": secret
        case "authenticatorURL": authenticatorURL
        case "qrSVG": qrSVG
        case "error": error
        case "action": action
        default: nil
        }
    }
}
