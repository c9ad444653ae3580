import Mustache

// Keys of the newsroom's pages for the templates, without reflection
// (see Presenters/PageLayout+Mustache.swift). MessagePage also answers subscribers.

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

extension NewsroomController.SignInPage: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "layout": layout
        case "csrf": csrf
        case "email": email
        case "error": error
        case "action": action
        default: nil
        }
    }
}

extension NewsroomController.TwoFactorPage: MustacheParent {
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

extension NewsroomController.RecoveryCodesPage: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "layout": layout
        case "codes": codes
        case "isEnrolment": isEnrolment
        default: nil
        }
    }
}

extension NewsroomController.HomePage: MustacheParent {
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

extension NewsroomReleasesController.ListPage: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "layout": layout
        case "csrf": csrf
        case "isEditor": isEditor
        case "reviewQueue": reviewQueue
        case "hasReviewQueue": hasReviewQueue
        case "releases": releases
        case "hasReleases": hasReleases
        case "organizations": organizations
        case "hasOrganizations": hasOrganizations
        case "filterOrganizations": filterOrganizations
        case "statuses": statuses
        case "headlineQuery": headlineQuery
        case "isFiltered": isFiltered
        case "page": page
        case "newerPath": newerPath
        case "olderPath": olderPath
        default: nil
        }
    }
}

extension NewsroomReleaseRow: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "headline": headline
        case "organization": organization
        case "status": status
        case "path": path
        case "created": created
        case "submitted": submitted
        case "timeLabel": timeLabel
        case "time": time
        case "changed": changed
        default: nil
        }
    }
}

extension NewsroomReleasesController.Option: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "value": value
        case "label": label
        case "selected": selected
        default: nil
        }
    }
}

extension NewsroomReleasesController.EditPage: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "layout": layout
        case "csrf": csrf
        case "action": action
        case "isNew": isNew
        case "organizations": organizations
        case "headline": headline
        case "subheadline": subheadline
        case "datelineCity": datelineCity
        case "language": language
        case "isEmbargoed": isEmbargoed
        case "embargoUntil": embargoUntil
        case "body": body
        case "statementURL": statementURL
        case "topics": topics
        case "contacts": contacts
        case "hasContacts": hasContacts
        case "previewHTML": previewHTML
        case "status": status
        case "canEdit": canEdit
        case "canSubmit": canSubmit
        case "canReview": canReview
        case "submitAction": submitAction
        case "approveAction": approveAction
        case "returnAction": returnAction
        case "canCorrect": canCorrect
        case "correctAction": correctAction
        case "retractAction": retractAction
        case "history": history
        case "hasHistory": hasHistory
        case "error": error
        case "notice": notice
        case "checkNotice": checkNotice
        case "checkHeadline": checkHeadline
        case "checkSubheadline": checkSubheadline
        case "checkDatelineCity": checkDatelineCity
        case "checkLanguage": checkLanguage
        case "checkTiming": checkTiming
        case "checkBody": checkBody
        case "checkStatementURL": checkStatementURL
        case "checkContacts": checkContacts
        case "waiting": waiting
        case "languages": languages
        case "zones": zones
        case "previewHeadline": previewHeadline
        case "previewSubheadline": previewSubheadline
        case "previewTiming": previewTiming
        case "previewContacts": previewContacts
        case "hasPreviewContacts": hasPreviewContacts
        case "issuerWarning": issuerWarning
        case "offeredContacts": offeredContacts
        case "hasOfferedContacts": hasOfferedContacts
        case "invalidHeadline": invalidHeadline
        case "invalidBody": invalidBody
        case "invalidLift": invalidLift
        case "invalidStatementURL": invalidStatementURL
        default: nil
        }
    }
}

extension NewsroomReleasesController.EditPage.ContactOption: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "id": id
        case "name": self.name
        case "checked": checked
        default: nil
        }
    }
}

extension NewsroomReleasesController.EditPage.HistoryRow: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "at": at
        case "change": change
        case "actor": actor
        case "note": note
        default: nil
        }
    }
}

extension AdminController.HomePage: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "layout": layout
        case "csrf": csrf
        case "organizations": organizations
        case "topics": topics
        case "users": users
        case "roles": roles
        case "bounced": bounced
        case "hasBounced": hasBounced
        case "bouncedSummary": bouncedSummary
        default: nil
        }
    }
}

extension AdminController.HomePage.Item: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "label": label
        case "detail": detail
        case "path": path
        default: nil
        }
    }
}

extension AdminController.OrganizationPage: MustacheParent {
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
        default: nil
        }
    }
}

extension AdminController.OrganizationPage.Member: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "label": label
        case "email": email
        default: nil
        }
    }
}

extension AdminController.OrganizationPage.Profile: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "key": key
        case "label": label
        case "value": value
        default: nil
        }
    }
}

extension AppealController.AppealPage: MustacheParent {
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

extension PasswordResetController.RequestPage: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "layout": layout
        case "csrf": csrf
        case "sent": sent
        case "action": action
        default: nil
        }
    }
}

extension PasswordResetController.ResetPage: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "layout": layout
        case "csrf": csrf
        case "action": action
        case "error": error
        default: nil
        }
    }
}
