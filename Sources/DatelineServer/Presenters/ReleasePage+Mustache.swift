import Mustache

// Keys of the release page and its parts for the templates, without reflection
// (see PageLayout+Mustache.swift).

extension ReleasePage: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "layout": layout
        case "lang": lang
        case "dir": dir
        case "timingLine": timingLine
        case "isEmbargoed": isEmbargoed
        case "organizationName": organizationName
        case "organizationPath": organizationPath
        case "contacts": contacts
        case "hasContacts": hasContacts
        case "headline": headline
        case "subheadline": subheadline
        case "date": date
        case "isoDate": isoDate
        case "topics": topics
        case "hasTopics": hasTopics
        case "bodyHTML": bodyHTML
        case "boilerplateHTML": boilerplateHTML
        case "statementURL": statementURL
        case "follow": follow
        case "hasFollow": hasFollow
        case "share": share
        case "isRetracted": isRetracted
        case "retractionNote": retractionNote
        case "corrections": corrections
        case "hasCorrections": hasCorrections
        case "embargoBanner": embargoBanner
        case "appeal": appeal
        case "leadImage": leadImage
        case "gallery": gallery
        case "hasGallery": hasGallery
        case "documents": documents
        case "hasDocuments": hasDocuments
        default: nil
        }
    }
}

extension ReleasePage.CorrectionNote: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "date": date
        case "isoDate": isoDate
        case "note": note
        default: nil
        }
    }
}

extension ReleasePage.EmbargoBanner: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "liftTime": liftTime
        case "reader": reader
        default: nil
        }
    }
}

extension ReleasePage.TopicLink: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "name": self.name
        case "path": path
        default: nil
        }
    }
}

extension ContactCard: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "name": self.name
        case "title": title
        case "organization": organization
        case "email": email
        case "phone": phone
        case "phoneURI": phoneURI
        default: nil
        }
    }
}

extension FollowLink: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "network": network
        case "label": label
        case "url": url
        default: nil
        }
    }
}

extension ShareLink: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "network": network
        case "url": url
        default: nil
        }
    }
}
