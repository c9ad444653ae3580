import DatelineCore
import FluentKit
import Foundation

/// Profile and contact details that a release brought with it (its "About" paragraph, social
/// profiles, website, its media contacts' title, affiliation, email and phone), held with that
/// release until it is public.
///
/// An organization's profile and its media contacts are shown on every public release of the
/// organization, so details read from a draft or an embargoed release must not reach them before
/// that release is public. ``ReleaseTransitions`` applies them, filling blanks only, in the
/// transaction that makes the release public; until then the newsroom and embargo links show them
/// over the stored profile (``overlay(on:)``). Stored as JSON in `releases.learned_profile`.
struct LearnedProfile: Codable, Equatable, Sendable {
    /// One contact's details as the release gives them.
    struct ContactDetails: Codable, Equatable, Sendable {
        var contactID: UUID
        var title: String?
        var affiliation: String?
        var email: String?
        var phone: String?
    }

    /// A contact a pasted text named who is not among the organization's media contacts:
    /// offered to the communicator on the draft, saved only if they confirm it.
    struct OfferedContact: Codable, Equatable, Sendable {
        var name: String
        var title: String?
        var affiliation: String?
        var email: String?
        var phone: String?

        /// "Jane Doe, Press Officer, jane@example.org, +1 202 555 0100".
        var line: String { ([name] + [title, affiliation, email, phone].compactMap { $0 }.filter { !$0.isEmpty }).joined(separator: ", ") }
    }

    /// Markdown.
    var boilerplate: String?
    /// An http or https URL.
    var website: String?
    /// By ``SocialNetwork`` raw value: a URL or a handle.
    var socialProfiles: [String: String] = [:]
    var contacts: [ContactDetails] = []
    /// Optional, so that a profile stored before offers existed still reads.
    var offered: [OfferedContact]? = nil

    var isEmpty: Bool {
        boilerplate == nil && website == nil && socialProfiles.isEmpty && (offered ?? []).isEmpty
            && contacts.allSatisfy { $0.title == nil && $0.affiliation == nil && $0.email == nil && $0.phone == nil }
    }

    /// The JSON column's value; `nil` when there is nothing to hold.
    var stored: String? {
        guard !isEmpty, let data = try? JSONEncoder.sortedKeys.encode(self) else { return nil }
        return String(decoding: data, as: UTF8.self)
    }

    /// Reads the column; `nil` for no value or a value this version cannot read.
    init?(stored: String?) {
        guard let stored, let value = try? JSONDecoder().decode(Self.self, from: Data(stored.utf8)) else { return nil }
        self = value
    }

    init(boilerplate: String? = nil, website: String? = nil, socialProfiles: [String: String] = [:], contacts: [ContactDetails] = []) {
        self.boilerplate = boilerplate
        self.website = website
        self.socialProfiles = socialProfiles
        self.contacts = contacts
    }

    /// Fills the organization's and the contacts' blanks, on the caller's transaction; never
    /// overwrites what the organization's pages already show. Contact details apply only to the
    /// contacts in `attached` (those still on the release: an editor may have taken one off).
    func apply(toOrganization organizationID: UUID, attached: Set<UUID>, on database: any Database) async throws {
        if let organization = try await OrganizationModel.find(organizationID, on: database) {
            var changed = false
            if organization.boilerplate == nil, let boilerplate { organization.boilerplate = boilerplate; changed = true }
            if organization.website == nil, let website { organization.website = website; changed = true }
            for (name, value) in socialProfiles.sorted(by: { $0.key < $1.key }) {
                if let network = SocialNetwork(rawValue: name), organization[network] == nil {
                    organization[network] = value
                    changed = true
                }
            }
            if changed {
                try await organization.save(on: database)
                // The profile shows on every page of its releases and its listings.
                try await PageCacheInvalidation.record([.everything], on: database)
            }
        }
        for details in contacts where attached.contains(details.contactID) {
            guard let contact = try await MediaContactModel.find(details.contactID, on: database) else { continue }
            let before = contact.contact
            contact.title = contact.title ?? details.title
            contact.affiliation = contact.affiliation ?? details.affiliation
            contact.email = contact.email ?? details.email
            contact.phone = contact.phone ?? details.phone
            if contact.contact != before {
                try await contact.save(on: database)
                try await PageCacheInvalidation.record([.everything], on: database)
            }
        }
    }

    /// The release as it will read once public: the stored profile and contacts with these
    /// details in their blanks. For the newsroom's preview and journalists' embargo links only.
    func overlay(on release: Release, contactIDs: [UUID?]) -> Release {
        var release = release
        if release.organization.boilerplate == nil { release.organization.boilerplate = boilerplate }
        if release.organization.website == nil { release.organization.website = website.flatMap(URL.init(string:)) }
        for network in SocialNetwork.allCases where !release.organization.socialProfiles.contains(where: { $0.network == network }) {
            if let value = socialProfiles[network.rawValue] {
                release.organization.socialProfiles.append(SocialProfile(network: network, handleOrURL: value))
            }
        }
        for (index, id) in contactIDs.enumerated() where index < release.contacts.count {
            guard let id, let details = contacts.first(where: { $0.contactID == id }) else { continue }
            release.contacts[index].title = release.contacts[index].title ?? details.title
            release.contacts[index].organization = release.contacts[index].organization ?? details.affiliation
            release.contacts[index].email = release.contacts[index].email ?? details.email
            release.contacts[index].phone = release.contacts[index].phone ?? details.phone
        }
        return release
    }
}

extension ReleaseModel {
    /// The domain value as it will read once public (see ``LearnedProfile/overlay(on:contactIDs:)``).
    /// Needs the same eager loads as ``release``.
    var releaseAsItWillRead: Release {
        guard let learned = LearnedProfile(stored: learnedProfile) else { return release }
        return learned.overlay(on: release, contactIDs: ($contacts.value ?? []).map(\.id))
    }
}

private extension JSONEncoder {
    static var sortedKeys: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }
}
