import DatelineCore
import FluentKit
import Foundation
import ReleaseImport

/// The release form as sent (`POST /newsroom/releases`, `POST /newsroom/releases/{id}`), and
/// how its fields become a release: cleaned, checked, linked to contacts and topics.
struct ReleaseDraftForm: Decodable, Sendable {
    var organization: String?
    var headline: String
    var subheadline: String?
    var datelineCity: String?
    var language: String?
    /// `immediate` or `embargoed`.
    var timing: String?
    var embargoUntil: String?
    /// The IANA zone the lift time is written in (`America/New_York`); empty or absent: UTC.
    var embargoZone: String?
    var body: String
    var statementURL: String?
    /// Topic names, comma-separated.
    var topics: String?
    /// Ids of the organization's media contacts ticked.
    var contacts: [String]?
    /// Indexes of the offered contacts (``LearnedProfile/offered``) the writer confirms.
    var offered: [String]?

    /// Writes the fields onto `release`.
    /// - Throws: ``ReleaseDraftError`` for the first field that is missing or does not read;
    ///   `release` may then be half-written and must not be saved.
    func apply(to release: ReleaseModel) throws {
        let headline = PlainText.clean(headline).trimmingCharacters(in: .whitespacesAndNewlines)
        guard !headline.isEmpty else { throw ReleaseDraftError.headline }
        let body = PlainText.clean(body).trimmingCharacters(in: .whitespacesAndNewlines)
        guard !body.isEmpty else { throw ReleaseDraftError.body }
        let languageText = (language ?? "en").trimmingCharacters(in: .whitespaces)
        guard let tag = LanguageTag(languageText) else { throw ReleaseDraftError.language(languageText) }
        release.headline = headline
        release.subheadline = subheadline.map(PlainText.clean).flatMap { $0.isEmpty ? nil : $0 }
        release.datelineCity = datelineCity.map(PlainText.clean).flatMap { $0.isEmpty ? nil : $0 }
        release.language = tag.rawValue
        release.body = body
        if let statement = statementURL, !statement.trimmingCharacters(in: .whitespaces).isEmpty {
            guard let url = ReleaseStore.webURL(statement) else { throw ReleaseDraftError.statementURL }
            release.statementURL = url
        } else {
            release.statementURL = nil
        }
        // The zone the writer chose: the lift time is read on its wall clock, and the release's
        // times are shown in it.
        let zoneName = (embargoZone ?? "").trimmingCharacters(in: .whitespaces)
        if !zoneName.isEmpty {
            guard NewsroomFormChoices.zone(named: zoneName) != nil else { throw ReleaseDraftError.zone(String(zoneName.prefix(64))) }
            release.timeZone = zoneName
        }
        if timing == "embargoed" {
            guard let lift = try lift() else { throw ReleaseDraftError.liftTime }
            release.setTiming(.embargoed(until: lift.instant))
        } else {
            release.setTiming(.immediate)
        }
    }

    /// The lift time of an embargoed draft: `embargoUntil` on the wall clock of `embargoZone`
    /// (``NewsroomFormChoices/readWallClock(_:zone:)``). Nil when the form is not embargoed or
    /// gives no readable time.
    /// - Throws: ``ReleaseDraftError/zone(_:)`` for a zone name that is not an IANA time zone.
    func lift() throws -> LocalTime.Resolution? {
        guard timing == "embargoed" else { return nil }
        return try NewsroomFormChoices.readWallClock(embargoUntil, zone: embargoZone)
    }

    /// Attaches the ticked contacts (the release's organization's only) and the topics, creating
    /// topics not seen before.
    func link(_ release: ReleaseModel, on database: any Database) async throws {
        let organizationID = release.$organization.id
        for id in (contacts ?? []).compactMap(UUID.init(uuidString:)) {
            if let contact = try await MediaContactModel.query(on: database).filter(\.$id == id).filter(\.$organization.$id == organizationID).first() {
                try await release.$contacts.attach(contact, on: database)
            }
        }
        for name in (topics ?? "").split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !name.isEmpty {
            guard let slug = Slug(making: name) else { continue }
            let topic = try await TopicModel.query(on: database).filter(\.$slug == slug.rawValue).first() ?? TopicModel(name: name, slug: slug)
            if topic.id == nil { try await topic.create(on: database) }
            try await release.$topics.attach(topic, method: .ifNotExists, on: database)
        }
    }

    /// Saves the offered contacts the writer ticked as the organization's media contacts and
    /// puts them on the release (their details wait with it until it is public, as an import's
    /// do); the others are dropped. Every offer is answered by one save of the form.
    func confirmOffered(_ release: ReleaseModel, on database: any Database) async throws {
        guard var learned = LearnedProfile(stored: release.learnedProfile), let offers = learned.offered, !offers.isEmpty else { return }
        let chosen = Set((offered ?? []).compactMap(Int.init))
        for (index, contact) in offers.enumerated() where chosen.contains(index) {
            let model = try await MediaContactModel.findOrCreate(named: contact.name, organizationID: release.$organization.id, on: database)
            try await release.$contacts.attach(model, method: .ifNotExists, on: database)
            learned.contacts.append(.init(contactID: try model.requireID(), title: contact.title, affiliation: contact.affiliation, email: contact.email, phone: contact.phone))
        }
        learned.offered = nil
        release.learnedProfile = learned.stored
        try await release.save(on: database)
    }
}

/// What is wrong with a release form, said so the writer knows what to change.
enum ReleaseDraftError: Error, CustomStringConvertible {
    case headline, body, language(String), liftTime, statementURL, zone(String)

    var description: String {
        switch self {
        case .headline: "A release needs a headline."
        case .body: "A release needs a body."
        case .language(let text): "'\(text)' is not a language tag; write one like en, fr or pt-BR."
        case .liftTime: "An embargoed release needs its lift time: a date and a time, read in the time zone chosen."
        case .statementURL: "The statement link must be a full http or https address."
        case .zone(let text): "'\(text)' is not a time zone; write one like America/New_York or Europe/Berlin, or leave it empty for UTC."
        }
    }
}
