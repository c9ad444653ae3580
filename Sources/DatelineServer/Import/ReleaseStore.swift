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

        return try await hub.database.transaction { database in
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
                organization = try await findOrCreateOrganization(name: issuer, slug: organizationSlug, extraction: extraction, options: options, on: database)
            }
            let organizationID = try organization.requireID()

            let release = ReleaseModel()
            release.id = ReleaseID().rawValue
            release.version = 1
            release.slug = try await Self.uniqueSlug(for: headline, on: database).rawValue
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
            release.status = try Self.initialStatus(publish: options.publish, timing: release.releaseTiming, now: now).rawValue
            if release.status == ReleaseStatus.published.rawValue { release.publishedAt = now }
            try await release.create(on: database)
            try await ReleaseTransitions.recordCreation(of: release, actor: options.actor, at: now, on: database)

            for contact in extraction.contacts where !(contact.name ?? "").trimmingCharacters(in: .whitespaces).isEmpty {
                let model = try await findOrCreateContact(contact, organizationID: organizationID, on: database)
                try await release.$contacts.attach(model, on: database)
            }
            for name in Self.uniqueNames(options.topics) {
                let topic = try await findOrCreateTopic(name: name, on: database)
                try await release.$topics.attach(topic, on: database)
            }
            return .imported(id: release.id!, slug: release.slug, status: release.status)
        }
    }

    /// Publishing now, holding for an embargo, or keeping a draft — each through the state machine.
    static func initialStatus(publish: Bool, timing: ReleaseTiming, now: Date) throws -> ReleaseStatus {
        guard publish else { return .draft }
        if !timing.isLifted(at: now) { return try ReleaseStatus.draft.transition(to: .embargoed) }
        return try ReleaseStatus.draft.transition(to: .published)
    }

    private func findOrCreateOrganization(name: String, slug: Slug, extraction: ImportedRelease, options: ImportOptions, on database: any Database) async throws -> OrganizationModel {
        let organization = try await OrganizationModel.query(on: database).filter(\.$slug == slug.rawValue).first()
            ?? OrganizationModel(name: name, slug: slug)
        // Only blanks are filled: an import never overwrites what the organization's pages already show.
        if organization.boilerplate == nil, let boilerplate = extraction.boilerplate {
            organization.boilerplate = ImportedBody.markdown([boilerplate])
        }
        if organization.website == nil, let website = options.organizationWebsite.flatMap(Self.webURL) { organization.website = website }
        for profile in extraction.socialProfiles {
            if let network = SocialNetwork(name: profile.network), organization[network] == nil {
                organization[network] = profile.handleOrURL
            }
        }
        for (name, value) in options.organizationProfiles {
            if let network = SocialNetwork(name: name), organization[network] == nil { organization[network] = value }
        }
        try await organization.save(on: database)
        return organization
    }

    private func findOrCreateContact(_ contact: ImportedContact, organizationID: UUID, on database: any Database) async throws -> MediaContactModel {
        let name = (contact.name ?? "").trimmingCharacters(in: .whitespaces)
        let existing = try await MediaContactModel.query(on: database)
            .filter(\.$organization.$id == organizationID)
            .filter(\.$name == name)
            .first()
        let model = existing ?? MediaContactModel(organizationID: organizationID, contact: MediaContact(name: name))
        model.title = model.title ?? contact.title
        model.affiliation = model.affiliation ?? contact.organization
        model.email = model.email ?? contact.email
        model.phone = model.phone ?? contact.phone
        try await model.save(on: database)
        return model
    }

    private func findOrCreateTopic(name: String, on database: any Database) async throws -> TopicModel {
        guard let slug = Slug(making: name) else { throw ReleaseStoreError.missingField("topic name") }
        if let topic = try await TopicModel.query(on: database).filter(\.$slug == slug.rawValue).first() { return topic }
        let topic = TopicModel(name: name, slug: slug)
        try await topic.create(on: database)
        return topic
    }

    /// The headline's slug, numbered when another release already has it; slugs never change
    /// once given, so a release's URL stays stable.
    static func uniqueSlug(for headline: String, on database: any Database) async throws -> Slug {
        let base = Slug(making: headline) ?? Slug(making: "release")!
        var candidate = base
        var number = 2
        while try await ReleaseModel.query(on: database).filter(\.$slug == candidate.rawValue).count() > 0 {
            candidate = base.numbered(number)
            number += 1
        }
        return candidate
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
