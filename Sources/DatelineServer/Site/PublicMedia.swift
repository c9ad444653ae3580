import DatelineCore
import FluentKit
import Foundation
import SQLKit

/// Media on the one public read path: a file is served only while its release is listed and
/// lifted (or when it is an organization's logo), and releases carry their media's descriptions.
extension PublicReleases {
    /// The rendition `file` names (`{id}.{extension}`) when the public may read it; nil otherwise,
    /// whatever the reason (no such file, a release not public, an extension that does not match).
    func mediaFile(_ file: String) async throws -> MediaFile? {
        guard let id = MediaFile.id(in: file) else { return nil }
        var query = MediaFile.select(id)
        query.appendInterpolation(unsafeRaw: " AND (m.release_id IS NULL AND m.organization_id IS NOT NULL OR EXISTS (SELECT 1 FROM releases rel WHERE rel.id = m.release_id")
        appendPublic(.listed, alias: "rel", to: &query)
        query.appendInterpolation(unsafeRaw: "))")
        return try await MediaFile.first(query, named: file, on: database)
    }

    /// A listing page with each row's lead image (description and renditions, no bytes), for
    /// thumbnails: one query for the whole page, joined through the releases' slugs under the
    /// public conditions.
    func withLeadImages(_ page: ListingPage) async throws -> ListingPage {
        guard !page.releases.isEmpty else { return page }
        let sql = database as! any SQLDatabase
        var query = SQLQueryString("""
            SELECT rel.slug, m.id AS media_id, m.alt, m.file_name, m.media_type AS media_media_type, m.byte_size AS media_byte_size, \
            m.width AS media_width, m.height AS media_height, r.id, r.name, r.media_type, r.width, r.height, r.byte_size \
            FROM releases rel JOIN media m ON m.release_id = rel.id JOIN media_renditions r ON r.media_id = m.id \
            WHERE rel.slug IN (\(binds: page.releases.map(\.slug.rawValue))) AND m.is_lead = \(bind: true) AND m.kind = \(bind: ReleaseMedia.Kind.image.rawValue)
            """)
        appendPublic(.listed, alias: "rel", to: &query)
        var bySlug: [String: ReleaseMedia] = [:]
        for row in try await sql.raw(query).all() {
            let slug = try row.decode(column: "slug", as: String.self)
            let rendition = MediaRendition(
                name: try row.decode(column: "name", as: String.self), id: MediaID(try row.decode(column: "id", as: String.self)) ?? MediaID(),
                mediaType: try row.decode(column: "media_type", as: String.self), width: try row.decode(column: "width", as: Int?.self),
                height: try row.decode(column: "height", as: Int?.self), byteSize: try row.decode(column: "byte_size", as: Int.self)
            )
            if bySlug[slug] == nil {
                bySlug[slug] = ReleaseMedia(
                    id: MediaID(try row.decode(column: "media_id", as: String.self)) ?? MediaID(), kind: .image,
                    alt: try row.decode(column: "alt", as: String.self), isLead: true,
                    fileName: try row.decode(column: "file_name", as: String.self), mediaType: try row.decode(column: "media_media_type", as: String.self),
                    byteSize: try row.decode(column: "media_byte_size", as: Int.self), width: try row.decode(column: "media_width", as: Int?.self),
                    height: try row.decode(column: "media_height", as: Int?.self), renditions: []
                )
            }
            bySlug[slug]?.renditions.append(rendition)
        }
        var page = page
        for index in page.releases.indices {
            page.releases[index].leadImage = bySlug[page.releases[index].slug.rawValue].map { media in
                var media = media
                media.renditions.sort { ($0.width ?? 0) > ($1.width ?? 0) }
                return media
            }
        }
        return page
    }
}

/// One stored rendition as served: what the response says about it; its bytes are read only
/// when they are sent (``bytes(on:)``).
struct MediaFile: Sendable {
    var id: String
    var mediaType: String
    var byteSize: Int
    /// The name the file was uploaded under (documents are offered under it).
    var fileName: String
    var kind: ReleaseMedia.Kind

    init(row: any SQLRow) throws {
        id = try row.decode(column: "id", as: String.self)
        mediaType = try row.decode(column: "media_type", as: String.self)
        byteSize = try row.decode(column: "byte_size", as: Int.self)
        fileName = try row.decode(column: "file_name", as: String.self)
        kind = ReleaseMedia.Kind(rawValue: try row.decode(column: "kind", as: String.self)) ?? .document
    }

    /// The rendition's bytes.
    func bytes(on database: any Database) async throws -> Data {
        let sql = database as! any SQLDatabase
        guard let row = try await sql.raw("SELECT bytes FROM media_blobs WHERE id = \(bind: id)").first() else { return Data() }
        return try row.decode(column: "bytes", as: Data.self)
    }

    /// The rendition `file` names among a release's (for the newsroom's preview and embargo
    /// links, which read outside the public path after their own checks).
    static func find(_ file: String, ofRelease releaseID: String, on database: any Database) async throws -> MediaFile? {
        guard let id = id(in: file) else { return nil }
        var query = select(id)
        query.appendInterpolation(unsafeRaw: " AND m.release_id = ")
        query.appendInterpolation(bind: releaseID)
        return try await first(query, named: file, on: database)
    }

    /// The id part of a public file name (`{id}.{extension}`).
    static func id(in file: String) -> MediaID? {
        guard let dot = file.firstIndex(of: ".") else { return nil }
        return MediaID(String(file[..<dot]))
    }

    /// The columns a served file needs, for the rendition `id`; callers add their conditions.
    static func select(_ id: MediaID) -> SQLQueryString {
        "SELECT r.id, r.media_type, r.byte_size, m.file_name, m.kind FROM media_renditions r JOIN media m ON m.id = r.media_id WHERE r.id = \(bind: id.rawValue)"
    }

    /// The file `query` finds, when `file` is its public name, extension included.
    static func first(_ query: SQLQueryString, named file: String, on database: any Database) async throws -> MediaFile? {
        guard let row = try await (database as! any SQLDatabase).raw(query).first() else { return nil }
        let found = try MediaFile(row: row)
        return file == "\(found.id).\(MediaRendition.fileExtension(of: found.mediaType))" ? found : nil
    }
}
