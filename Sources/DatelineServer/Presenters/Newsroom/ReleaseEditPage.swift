import DatelineCore
import Mustache
import ReleaseImport

/// The release form and, for a saved release, its attachments, preview, status, actions and
/// history (`newsroom-edit.mustache`).
struct ReleaseEditPage {
    var layout: PageLayout
    var csrf: String
    var action: String
    var isNew: Bool
    var organizations: [FormOption]
    var headline: String
    var subheadline: String
    var datelineCity: String
    var language: String
    var isEmbargoed: Bool
    var embargoUntil: String
    var body: String
    var statementURL: String
    var topics: String
    var contacts: [ContactOption]
    var hasContacts: Bool
    var previewHTML: String?
    var status: String?
    var canEdit: Bool
    var canSubmit: Bool
    var canReview: Bool
    var submitAction: String?
    var approveAction: String?
    var returnAction: String?
    /// Editors correct or retract published releases.
    var canCorrect: Bool
    var correctAction: String?
    var retractAction: String?
    var history: [HistoryRow]
    var hasHistory: Bool
    var error: String?
    /// What was decided about a lift time that fell in a daylight-saving change.
    var notice: String? = nil
    /// After a paste: which fields the importer was not sure of, for the communicator to check.
    var checkNotice: String? = nil
    var checkHeadline = false
    var checkSubheadline = false
    var checkDatelineCity = false
    var checkLanguage = false
    var checkTiming = false
    var checkBody = false
    var checkStatementURL = false
    var checkContacts = false
    /// For an editor, on an embargoed or scheduled release: its time and the controls on it.
    var waiting: WaitingPanel? = nil
    /// The language list by name, and the IANA zones, each with the release's chosen.
    var languages: [FormOption] = []
    var zones: [FormOption] = []
    /// The preview as the public page will show it: headline, subheadline, timing line and
    /// media contacts around ``previewHTML``.
    var previewHeadline: String? = nil
    var previewSubheadline: String? = nil
    var previewTiming: String? = nil
    var previewContacts: [ContactCard] = []
    var hasPreviewContacts = false
    /// After a paste whose text names another issuer than the organization chosen.
    var issuerWarning: String? = nil
    /// Contacts the pasted text named who are not the organization's yet: offered, unsaved.
    var offeredContacts: [ContactOption] = []
    var hasOfferedContacts = false
    /// The field the error is about, for `aria-invalid` and `aria-describedby`.
    var invalidHeadline = false
    var invalidBody = false
    var invalidLift = false
    var invalidStatementURL = false
    /// The attachments section, on a saved release: the list in the writer's order, and the
    /// upload form (multipart) while the release may be edited (``canAttach``).
    var hasAttachmentSection = false
    var attachments: [AttachmentRow] = []
    var hasAttachments = false
    var canAttach = false
    var attachAction: String? = nil
    /// The file input's `accept` list (a hint to the browser; the server sniffs every file).
    var acceptedTypes = "image/jpeg,image/png,image/webp,image/heic,image/avif,application/pdf"
    /// While images lack alt text: how many, said so the writer knows submitting waits for it.
    var altNotice: String? = nil
    /// A refused upload's text fields, as sent (the file must be chosen again).
    var uploadAlt = ""
    var uploadCaption = ""
    var uploadCredit = ""
    /// The preview's lead image, gallery and documents as the release page shows them, through
    /// the newsroom's preview route; nil for a new release.
    var previewMedia: PreviewMedia? = nil

    /// Shows a saved release's attachments (in the writer's order) in the list; `canAttach` adds
    /// the upload form and the forms that change each one.
    mutating func show(_ media: [ReleaseMedia], releaseID: String, canAttach: Bool) {
        hasAttachmentSection = true
        self.canAttach = canAttach
        attachAction = NewsroomURL.attachments(id: releaseID).path
        attachments = media.enumerated().map { AttachmentRow($0.element, releaseID: releaseID, index: $0.offset, count: media.count) }
        hasAttachments = !attachments.isEmpty
        let missing = attachments.filter(\.missingAlt).count
        if missing > 0 {
            altNotice = "\(missing == 1 ? "An image has" : "\(missing) images have") no alt text: say what each shows, for readers who cannot see it, before the release is sent for review."
        }
    }

    /// The release page's media parts (`release-picture` and `release-media` partials) for the
    /// preview, taken from a ``ReleasePage`` made with the newsroom's ``MediaLinks``.
    struct PreviewMedia {
        var leadImage: PictureView?
        var gallery: [PictureView]
        var hasGallery: Bool
        var documents: [DocumentLink]
        var hasDocuments: Bool

        init(_ page: ReleasePage) {
            leadImage = page.leadImage
            gallery = page.gallery
            hasGallery = page.hasGallery
            documents = page.documents
            hasDocuments = page.hasDocuments
        }
    }

    /// Marks the field `error` is about.
    mutating func mark(_ error: ReleaseDraftError) {
        switch error {
        case .headline: invalidHeadline = true
        case .body: invalidBody = true
        case .liftTime, .zone: invalidLift = true
        case .statementURL: invalidStatementURL = true
        case .language: break
        }
    }

    /// Marks the form's fields the importer doubted.
    mutating func mark(_ doubts: ImportDoubts) {
        checkNotice = doubts.sentence
        checkHeadline = doubts.contains("headline")
        checkSubheadline = doubts.contains("subheadline")
        checkDatelineCity = doubts.contains("dateline_city")
        checkLanguage = doubts.contains("language")
        checkTiming = doubts.contains("release_timing") || doubts.contains("embargo_until")
        checkBody = doubts.contains("body") || doubts.contains("quotes") || doubts.contains("boilerplate")
        checkStatementURL = doubts.contains("statement_url")
        checkContacts = doubts.contains("contacts")
    }

    struct ContactOption {
        var id: String
        var name: String
        var checked: Bool
    }

    struct HistoryRow {
        var at: String
        var change: String
        var actor: String
        var note: String?
    }
}

extension ReleaseEditPage: MustacheParent {
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
        case "hasAttachmentSection": hasAttachmentSection
        case "attachments": attachments
        case "hasAttachments": hasAttachments
        case "canAttach": canAttach
        case "attachAction": attachAction
        case "acceptedTypes": acceptedTypes
        case "altNotice": altNotice
        case "uploadAlt": uploadAlt
        case "uploadCaption": uploadCaption
        case "uploadCredit": uploadCredit
        case "previewMedia": previewMedia
        default: nil
        }
    }
}

extension ReleaseEditPage.ContactOption: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "id": id
        case "name": self.name
        case "checked": checked
        default: nil
        }
    }
}

extension ReleaseEditPage.HistoryRow: MustacheParent {
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

extension ReleaseEditPage.PreviewMedia: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "leadImage": leadImage
        case "gallery": gallery
        case "hasGallery": hasGallery
        case "documents": documents
        case "hasDocuments": hasDocuments
        default: nil
        }
    }
}
