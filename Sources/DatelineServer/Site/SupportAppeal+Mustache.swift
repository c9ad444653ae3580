import Mustache

// Keys of the support appeal for the templates, without reflection (see PageLayout+Mustache.swift).

extension AppealView: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "heading": heading
        case "paragraphs": paragraphs
        case "methods": methods
        case "hasMethods": hasMethods
        default: nil
        }
    }
}

extension SupportAppeal.DonationMethod: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "name": self.name
        case "url": url
        case "note": note
        default: nil
        }
    }
}
