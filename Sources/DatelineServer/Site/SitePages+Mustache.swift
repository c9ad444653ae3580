import Mustache

// Keys of the share page and the 500 page for the templates, without reflection
// (see Presenters/PageLayout+Mustache.swift).

extension MastodonSharePage: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "layout": layout
        case "text": text
        case "instance": instance
        case "error": error
        case "action": action
        case "continueURL": continueURL
        case "continueHost": continueHost
        default: nil
        }
    }
}

extension ServerErrorPage: MustacheParent {
    func child(named name: String) -> Any? {
        name == "layout" ? layout : nil
    }
}
