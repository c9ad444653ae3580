import Mustache

/// Recovery codes, shown once: at the end of enrolment, or when the user asks for new ones.
struct RecoveryCodesPage {
    var layout: PageLayout
    var codes: [String]
    var isEnrolment: Bool
}

extension RecoveryCodesPage: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "layout": layout
        case "codes": codes
        case "isEnrolment": isEnrolment
        default: nil
        }
    }
}
