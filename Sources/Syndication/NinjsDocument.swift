import DatelineCore
import Foundation

/// A release as an IPTC ninjs news item: version 2.1 (lowercase property names) or 3.1
/// (the same document with camelCase names and `embargoedUntil`), as IPTC's schemas in
/// `shared/standards/ninjs` define them.
public struct NinjsDocument: Sendable {
    public enum Version: String, Sendable, CaseIterable {
        case v2 = "2.1"
        case v3 = "3.1"

        /// The schema's `$id`, carried in the document's `standard.schema`.
        var schemaURI: String { "http://www.iptc.org/std/ninjs/ninjs-schema_\(rawValue).json#" }
    }

    public var entry: FeedEntry
    /// The organization's "About" paragraph as HTML, carried as an associated text object.
    public var boilerplateHTML: String?
    /// The topic pages, by topic slug, for `subjects[].uri`.
    public var topicURLs: [String: URL]

    public init(entry: FeedEntry, boilerplateHTML: String?, topicURLs: [String: URL]) {
        self.entry = entry
        self.boilerplateHTML = boilerplateHTML
        self.topicURLs = topicURLs
    }

    /// The news item as a JSON object (`[String: Any]` of JSON values) in the given version's names.
    public func jsonObject(version: Version) throws -> Any {
        let data = try JSONEncoder().encode(item(version: version))
        let object = try JSONSerialization.jsonObject(with: data)
        return version == .v3 ? Self.renamedForVersion3(object) : object
    }

    /// The news item as UTF-8 JSON.
    /// - Throws: `EncodingError` from `JSONEncoder`, or an error from `JSONSerialization`.
    public func jsonData(version: Version) throws -> Data {
        try JSONSerialization.data(withJSONObject: jsonObject(version: version), options: [.sortedKeys, .withoutEscapingSlashes])
    }

    /// ninjs 2.x property names that 3.x writes in camelCase; nothing else differs in what Dateline emits.
    static let version3Names: [String: String] = [
        "representationtype": "representationType", "firstcreated": "firstCreated", "versioncreated": "versionCreated",
        "contentcreated": "contentCreated", "embargoed": "embargoedUntil", "pubstatus": "pubStatus",
        "copyrightholder": "copyrightHolder", "copyrightnotice": "copyrightNotice", "usageterms": "usageTerms",
        "ednote": "edNote", "contenttype": "contentType", "charcount": "charCount", "wordcount": "wordCount",
        "contactinfo": "contactInfo", "infosources": "infoSources", "altids": "altIds",
        "trustindicators": "trustIndicators", "rightsinfo": "rightsInfo", "sizeinbytes": "sizeInBytes",
    ]

    static func renamedForVersion3(_ value: Any) -> Any {
        if let object = value as? [String: Any] {
            var renamed: [String: Any] = [:]
            for (key, child) in object { renamed[version3Names[key] ?? key] = renamedForVersion3(child) }
            return renamed
        }
        if let array = value as? [Any] { return array.map(renamedForVersion3) }
        return value
    }

    // MARK: - The 2.x shape

    struct Item: Encodable {
        var uri: String
        var type = "text"
        var representationtype = "full"
        var version: String
        var firstcreated: String
        var versioncreated: String
        var contentcreated: String
        var embargoed: String?
        var pubstatus: String
        var language: String
        var headlines: [Text]
        var descriptions: [Text]?
        var bodies: [Text]
        var by: String
        var located: String?
        var organisations: [Entity]
        var people: [Entity]?
        var subjects: [Subject]?
        var infosources: [InfoSource]?
        var associations: [Association]?
        var altids: [AltID]
        var standard: Standard
    }

    struct Text: Encodable {
        var role: String
        var contenttype: String
        var value: String
        var charcount: Int?
        var wordcount: Int?
    }

    struct ContactInfo: Encodable {
        var type: String
        var role: String?
        var name: String?
        var value: String
    }

    struct Entity: Encodable {
        var name: String
        var rel: String
        var uri: String?
        var contactinfo: [ContactInfo]?
    }

    struct Subject: Encodable {
        var name: String
        var rel: String
        var uri: String?
        var literal: String
    }

    struct InfoSource: Encodable {
        var name: String
        var role: String
        var uri: String
    }

    /// An associated object: the boilerplate (text), or an attached photo (`picture`) or
    /// document (`text`) with its renditions.
    struct Association: Encodable {
        var name: String
        var uri: String
        var type: String
        var headlines: [Text]?
        var descriptions: [Text]?
        var bodies: [Text]?
        var by: String?
        var copyrightnotice: String?
        var renditions: [Rendition]?
    }

    /// A file of an associated object (ninjs `renditions`; 3.x writes `contentType`, `sizeInBytes`).
    struct Rendition: Encodable {
        var name: String
        var href: String
        var contenttype: String
        var width: Int?
        var height: Int?
        var sizeinbytes: Int
    }

    struct AltID: Encodable {
        var role: String
        var value: String
    }

    struct Standard: Encodable {
        var name = "ninjs"
        var version: String
        var schema: String
    }

    /// The boilerplate, then the attachments in the writer's order: the lead image is named
    /// `featuremedia` (as newsroom systems that read ninjs name it), the others `picture2`,
    /// `document1`…; each image carries its JPEG and WebP renditions and the 1200×630 crop.
    private func associations() -> [Association]? {
        var associations: [Association] = boilerplateHTML.map {
            [Association(name: "boilerplate", uri: entry.id + "#about", type: "text", bodies: [Text(role: "main", contenttype: "text/html", value: $0)])]
        } ?? []
        var pictures = 0
        var documents = 0
        for (media, _, _) in entry.attachments {
            let renditions = media.renditions.compactMap { rendition in
                entry.url(of: rendition).map {
                    Rendition(name: rendition.name, href: $0.absoluteString, contenttype: rendition.mediaType, width: rendition.width, height: rendition.height, sizeinbytes: rendition.byteSize)
                }
            }
            let name: String
            if media.kind == .image {
                pictures += 1
                name = media.isLead ? "featuremedia" : "picture\(pictures)"
            } else {
                documents += 1
                name = "document\(documents)"
            }
            var descriptions: [Text] = []
            if !media.alt.isEmpty { descriptions.append(Text(role: media.kind == .image ? "alt" : "summary", contenttype: "text/plain", value: media.alt)) }
            if let caption = media.caption, !caption.isEmpty { descriptions.append(Text(role: "caption", contenttype: "text/plain", value: caption)) }
            associations.append(Association(
                name: name, uri: entry.id + "#media-" + media.id.rawValue, type: media.kind == .image ? "picture" : "text",
                headlines: media.kind == .document ? [Text(role: "main", contenttype: "text/plain", value: media.alt.isEmpty ? media.fileName : media.alt)] : nil,
                descriptions: descriptions.isEmpty ? nil : descriptions, bodies: nil,
                by: media.credit.flatMap { $0.isEmpty ? nil : $0 }, copyrightnotice: media.copyright.flatMap { $0.isEmpty ? nil : $0 },
                renditions: renditions
            ))
        }
        return associations.isEmpty ? nil : associations
    }

    private func item(version: Version) -> Item {
        let release = entry.release
        let timestamp = XMLBuilder.timestamp
        var headlines = [Text(role: "main", contenttype: "text/plain", value: entry.title)]
        if let subheadline = release.subheadline, !release.isRetracted {
            headlines.append(Text(role: "sub", contenttype: "text/plain", value: subheadline))
        }
        let html = entry.feedHTML
        let words = release.isRetracted ? FeedEntry.retractionNotice : release.body
        var organisationContacts: [ContactInfo] = []
        if let website = release.organization.website {
            organisationContacts.append(ContactInfo(type: "web", role: "office", name: "Website", value: website.absoluteString))
        }
        for profile in release.organization.socialProfiles {
            organisationContacts.append(ContactInfo(type: "social", role: "office", name: profile.network.displayName, value: profile.url?.absoluteString ?? profile.handleOrURL))
        }
        let people = release.contacts.map { contact in
            var details: [ContactInfo] = []
            if let email = contact.email { details.append(ContactInfo(type: "email", role: "office", name: nil, value: email)) }
            if let phone = contact.phone { details.append(ContactInfo(type: "phone", role: "office", name: nil, value: phone)) }
            let name = [contact.name, contact.title].compactMap { $0 }.joined(separator: ", ")
            return Entity(name: name, rel: "mediacontact", uri: nil, contactinfo: details.isEmpty ? nil : details)
        }
        return Item(
            uri: entry.id,
            version: String(release.version),
            firstcreated: timestamp(release.publishedAt ?? release.updatedAt),
            versioncreated: timestamp(release.updatedAt),
            contentcreated: timestamp(release.releasedAt),
            embargoed: release.timing.liftTime.map(timestamp),
            pubstatus: release.isRetracted ? "canceled" : "usable",
            language: release.language.rawValue,
            headlines: headlines,
            descriptions: release.isRetracted ? [Text(role: "summary", contenttype: "text/plain", value: FeedEntry.retractionNotice)] : nil,
            bodies: [Text(role: "main", contenttype: "text/html", value: html, charcount: words.count, wordcount: words.split(whereSeparator: \.isWhitespace).count)],
            by: release.organization.name,
            located: release.dateline?.printed,
            organisations: [Entity(name: release.organization.name, rel: "issuer", uri: release.organization.website?.absoluteString, contactinfo: organisationContacts.isEmpty ? nil : organisationContacts)],
            people: people.isEmpty ? nil : people,
            subjects: release.topics.isEmpty ? nil : release.topics.map {
                Subject(name: $0.name, rel: "about", uri: topicURLs[$0.slug.rawValue]?.absoluteString, literal: $0.slug.rawValue)
            },
            infosources: release.statementURL.map { [InfoSource(name: release.organization.name, role: "originfo", uri: $0.absoluteString)] },
            associations: associations(),
            altids: [AltID(role: "dateline:release-id", value: release.id.rawValue), AltID(role: "url", value: entry.url.absoluteString)],
            standard: Standard(version: version.rawValue, schema: version.schemaURI)
        )
    }
}
