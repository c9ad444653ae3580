import DatelineCore
import FluentKit
import Foundation
import ReleaseImport

/// Stores an importer's extraction as a release: finds or creates its organization, contacts
/// and topics, and writes everything in one transaction, so a failure leaves nothing behind.
public struct ReleaseStore: Sendable {
    let hub: DatabaseHub
    let clock: @Sendable () -> Date

    public init(hub: DatabaseHub, clock: @escaping @Sendable () -> Date = { Date() }) {
        self.hub = hub
        self.clock = clock
    }

    /// Stores one extraction.
    /// - Returns: ``ImportOutcome/imported(id:slug:status:)``, or ``ImportOutcome/skipped(reason:)``
    ///   when the same organization already has a release with this headline and date.
    /// - Throws: ``ReleaseStoreError`` when a required field is missing; database errors as they come.
    public func store(_ raw: ImportedRelease, options: ImportOptions) async throws -> ImportOutcome {
        let extraction = raw.cleaned
        guard let headline = extraction.headline?.trimmingCharacters(in: .whitespacesAndNewlines), !headline.isEmpty else {
            throw ReleaseStoreError.missingField("headline")
        }
        guard !extraction.body.isEmpty else { throw ReleaseStoreError.missingField("body") }
        guard let issuer = (options.organizationName ?? extraction.issuer)?.trimmingCharacters(in: .whitespacesAndNewlines),
              !issuer.isEmpty, let organizationSlug = Slug(making: issuer)
        else { throw ReleaseStoreError.noIssuer }
        let now = clock()
        let releasedAt = extraction.date.flatMap(Self.day(from:)) ?? now

        return try await hub.write { database in
            // The newsroom names its organization by id; the command line and samples by name.
            let known: OrganizationModel?
            if let id = options.organizationID {
                guard let organization = try await OrganizationModel.find(id, on: database) else { throw ReleaseStoreError.noIssuer }
                known = organization
            } else {
                known = try await OrganizationModel.query(on: database).filter(\.$slug == organizationSlug.rawValue).first()
            }
            // Before any write: the same headline from the same issuer is the same release,
            // unless the texts give two different dates.
            if let existing = known {
                let existingID = try existing.requireID()
                let sameHeadline = ReleaseModel.query(on: database)
                    .filter(\.$organization.$id == existingID)
                    .filter(\.$headline == headline)
                if extraction.date != nil { sameHeadline.filter(\.$releasedAt == releasedAt) }
                if let duplicate = try await sameHeadline.first() {
                    return .skipped(reason: "already in the newsroom (\(duplicate.status)) as \(duplicate.slug)")
                }
            }
            let organization: OrganizationModel
            if options.organizationID != nil, let known {
                organization = known
            } else {
                organization = try await findOrCreateOrganization(name: issuer, slug: organizationSlug, on: database)
            }
            let organizationID = try organization.requireID()

            let release = ReleaseModel()
            release.headline = headline
            release.subheadline = extraction.subheadline
            if extraction.releaseTiming == .embargoed, let until = extraction.embargoUntil {
                release.setTiming(.embargoed(until: until))
            } else {
                release.setTiming(.immediate)
            }
            release.datelineCity = extraction.datelineCity
            release.releasedAt = releasedAt
            release.timeZone = "UTC"
            release.body = ImportedBody.markdown(extraction.body)
            release.language = (LanguageTag(extraction.language) ?? .english).rawValue
            release.statementURL = extraction.statementURL.flatMap(Self.webURL)
            release.$organization.id = organizationID
            // What the text says about its organization and contacts waits with the release
            // until it is public (LearnedProfile); ReleaseTransitions applies it then.
            var learned = learnedProfile(from: extraction, options: options)
            var contacts: [MediaContactModel] = []
            for contact in extraction.contacts where !(contact.name ?? "").trimmingCharacters(in: .whitespaces).isEmpty {
                let name = (contact.name ?? "").trimmingCharacters(in: .whitespaces)
                // Found by name within the organization, or created with its name only; the
                // details the release gives wait in its LearnedProfile.
                let existing = try await MediaContactModel.named(name, organizationID: organizationID, on: database)
                if options.offerContacts, existing == nil {
                    learned.offered = (learned.offered ?? []) + [.init(name: name, title: contact.title, affiliation: contact.organization, email: contact.email, phone: contact.phone)]
                    continue
                }
                let model: MediaContactModel
                if let existing {
                    model = existing
                } else {
                    model = MediaContactModel(organizationID: organizationID, contact: MediaContact(name: name))
                    try await model.create(on: database)
                }
                contacts.append(model)
                learned.contacts.append(.init(contactID: try model.requireID(), title: contact.title, affiliation: contact.organization, email: contact.email, phone: contact.phone))
            }
            release.learnedProfile = learned.stored
            // A lift time read with a guess (no zone named, a day without its date) is never
            // published on its own: the release waits as a draft for a person to check it.
            let start: ReleaseTransitions.Start = options.publish && !(release.timing == "embargoed" && extraction.embargoUncertain) ? .publish : .draft
            try await ReleaseTransitions.create(release, start: start, actor: options.actor, at: now, on: database) { release, database in
                for model in contacts { try await release.$contacts.attach(model, on: database) }
                for name in Self.uniqueNames(options.topics) {
                    let topic = try await findOrCreateTopic(name: name, on: database)
                    try await release.$topics.attach(topic, on: database)
                }
            }
            return .imported(id: release.id!, slug: release.slug, status: release.status)
        }
    }

    /// Finds the organization by slug or creates it with its name only: its profile comes from
    /// releases once they are public (``LearnedProfile``) or from an admin.
    private func findOrCreateOrganization(name: String, slug: Slug, on database: any Database) async throws -> OrganizationModel {
        if let organization = try await OrganizationModel.query(on: database).filter(\.$slug == slug.rawValue).first() {
            return organization
        }
        let organization = OrganizationModel(name: name, slug: slug)
        try await organization.create(on: database)
        return organization
    }

    /// The profile details this release gives (and the operator's `--website` and profile
    /// options), to be applied when the release is public.
    private func learnedProfile(from extraction: ImportedRelease, options: ImportOptions) -> LearnedProfile {
        var learned = LearnedProfile()
        learned.boilerplate = extraction.boilerplate.map { ImportedBody.markdown([$0]) }
        learned.website = options.organizationWebsite.flatMap(Self.webURL)
        for profile in extraction.socialProfiles {
            if let network = SocialNetwork(name: profile.network), learned.socialProfiles[network.rawValue] == nil {
                learned.socialProfiles[network.rawValue] = profile.handleOrURL
            }
        }
        for (name, value) in options.organizationProfiles.sorted(by: { $0.key < $1.key }) {
            if let network = SocialNetwork(name: name), learned.socialProfiles[network.rawValue] == nil {
                learned.socialProfiles[network.rawValue] = value
            }
        }
        return learned
    }

    private func findOrCreateTopic(name: String, on database: any Database) async throws -> TopicModel {
        guard let slug = Slug(making: name) else { throw ReleaseStoreError.missingField("topic name") }
        if let topic = try await TopicModel.query(on: database).filter(\.$slug == slug.rawValue).first() { return topic }
        let topic = TopicModel(name: name, slug: slug)
        try await topic.create(on: database)
        return topic
    }

    private static func uniqueNames(_ names: [String]) -> [String] {
        var seen = Set<String>()
        return names.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty && seen.insert($0.lowercased()).inserted }
    }

    /// Only http and https links are kept: a `javascript:` statement link must never reach a page.
    static func webURL(_ text: String) -> String? {
        guard let url = URL(string: text.trimmingCharacters(in: .whitespaces)), let scheme = url.scheme?.lowercased(),
              scheme == "http" || scheme == "https", url.host != nil
        else { return nil }
        return url.absoluteString
    }

    /// A `YYYY-MM-DD` release date as noon UTC, so it reads as the same day in every zone from UTC-11 to UTC+11.
    static func day(from text: String) -> Date? {
        let parts = text.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3 else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar.date(from: DateComponents(year: parts[0], month: parts[1], day: parts[2], hour: 12))
    }
}

/// Turns extracted body paragraphs into Markdown.
enum ImportedBody {
    /// Paragraphs become Markdown paragraphs. Characters that would turn plain text into markup
    /// (`#`, `>`, `|`, `<`, `&`, `![`…) are escaped, because the text is prose, not Markdown;
    /// paragraphs that are wholly a quotation become block quotes so the page can set them apart.
    static func markdown(_ paragraphs: [String]) -> String {
        paragraphs.map { paragraph in
            let text = escape(paragraph.trimmingCharacters(in: .whitespacesAndNewlines))
            let isQuotation = text.first.map { "“\"«„".contains($0) } ?? false
            return isQuotation ? "> " + text : text
        }
        .filter { !$0.isEmpty }
        .joined(separator: "\n\n")
    }

    private static func escape(_ text: String) -> String {
        var escaped = ""
        for character in text {
            switch character {
            case "\\", "`", "*", "_", "[", "]", "<", ">", "#", "|", "~", "&", "!":
                escaped.append("\\")
                escaped.append(character)
            default:
                escaped.append(character)
            }
        }
        // A line that starts "1." or "-" would become a list item: prose keeps its own markers.
        if let range = escaped.range(of: #"^(\d+)\."#, options: .regularExpression) {
            escaped.replaceSubrange(range, with: escaped[range].dropLast() + "\\.")
        } else if escaped.hasPrefix("- ") || escaped.hasPrefix("+ ") {
            escaped.insert("\\", at: escaped.startIndex)
        }
        return escaped
    }
}
