import Mustache

/// A short page with a title and a sentence: refusals and confirmations.
struct MessagePage {
    var layout: PageLayout
    var title: String
    var text: String
}

extension MessagePage: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "layout": layout
        case "title": title
        case "text": text
        default: nil
        }
    }
}
