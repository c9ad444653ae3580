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
        guard let dot = file.firstIndex(of: "."), let id = MediaID(String(file[..<dot])) else { return nil }
        let sql = database as! any SQLDatabase
        var query = SQLQueryString("""
            SELECT r.id, r.media_type, b.bytes, m.file_name, m.kind FROM media_renditions r \
            JOIN media m ON m.id = r.media_id JOIN media_blobs b ON b.id = r.id \
            LEFT JOIN releases rel ON rel.id = m.release_id WHERE r.id = \(bind: id.rawValue) \
            AND (m.release_id IS NULL AND m.organization_id IS NOT NULL OR rel.id IS NOT NULL
            """)
        appendListedAndLifted(alias: "rel", to: &query)
        query.appendInterpolation(unsafeRaw: ")")
        guard let row = try await sql.raw(query).first() else { return nil }
        let found = try MediaFile(row: row)
        return found.matches(file) ? found : nil
    }

    /// `releases` with their media (one query for all of them), for pages and formats.
    func withMedia(_ releases: [Release]) async throws -> [Release] {
        guard !releases.isEmpty else { return releases }
        let media = try await MediaModel.query(on: database)
            .filter(\.$release.$id ~~ releases.map(\.id.rawValue))
            .sort(\.$position).with(\.$renditions).all()
        let byRelease = Dictionary(grouping: media) { $0.$release.id ?? "" }
        return releases.map { release in
            var release = release
            release.media = (byRelease[release.id.rawValue] ?? []).map(\.media)
            return release
        }
    }
}

/// One stored rendition as served: its bytes and what the response says about them.
struct MediaFile: Sendable {
    var id: String
    var mediaType: String
    var bytes: Data
    /// The name the file was uploaded under (documents are offered under it).
    var fileName: String
    var kind: ReleaseMedia.Kind

    init(row: any SQLRow) throws {
        id = try row.decode(column: "id", as: String.self)
        mediaType = try row.decode(column: "media_type", as: String.self)
        bytes = try row.decode(column: "bytes", as: Data.self)
        fileName = try row.decode(column: "file_name", as: String.self)
        kind = ReleaseMedia.Kind(rawValue: try row.decode(column: "kind", as: String.self)) ?? .document
    }

    /// Whether `file` is this rendition's public name, extension included.
    func matches(_ file: String) -> Bool {
        file == MediaRendition(name: "", id: MediaID(id) ?? MediaID(), mediaType: mediaType, byteSize: 0).fileName
    }

    /// The rendition `file` names among a release's (for the newsroom's preview and embargo
    /// links, which read outside the public path after their own checks).
    static func find(_ file: String, ofRelease releaseID: String, on database: any Database) async throws -> MediaFile? {
        guard let dot = file.firstIndex(of: "."), let id = MediaID(String(file[..<dot])) else { return nil }
        let sql = database as! any SQLDatabase
        guard let row = try await sql.raw("""
            SELECT r.id, r.media_type, b.bytes, m.file_name, m.kind FROM media_renditions r \
            JOIN media m ON m.id = r.media_id JOIN media_blobs b ON b.id = r.id \
            WHERE r.id = \(bind: id.rawValue) AND m.release_id = \(bind: releaseID)
            """).first() else { return nil }
        let found = try MediaFile(row: row)
        return found.matches(file) ? found : nil
    }
}
