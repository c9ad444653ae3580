import Mustache

// Keys of the subscriber's pages for the templates, without reflection
// (see Presenters/PageLayout+Mustache.swift).

extension SignUpPage: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "layout": layout
        case "email": email
        case "error": error
        default: nil
        }
    }
}

extension TokenPage: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "layout": layout
        case "token": token
        case "action": action
        default: nil
        }
    }
}

extension Choice: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "value": value
        case "label": label
        case "checked": checked
        default: nil
        }
    }
}

extension PreferencesPage: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "layout": layout
        case "email": email
        case "token": token
        case "unsubscribeAction": unsubscribeAction
        case "notice": notice
        case "error": error
        case "isDaily": isDaily
        case "isInstant": isInstant
        case "isEverything": isEverything
        case "isChosen": isChosen
        case "organizations": organizations
        case "topics": topics
        case "languages": languages
        case "hasOrganizations": hasOrganizations
        case "hasTopics": hasTopics
        case "hasLanguages": hasLanguages
        default: nil
        }
    }
}
