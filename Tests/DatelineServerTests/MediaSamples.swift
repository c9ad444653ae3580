@testable import DatelineServer
import DatelineCore
import FluentKit
import Foundation
import ReleaseImport
import SQLKit
import Testing

/// Real files for the media tests, made by Pillow (Tests/Tools/media_samples.py) in a
/// subprocess, and Pillow's reading of what Dateline made of them.
enum MediaSample {
    static let script = repositoryRoot.appendingPathComponent("Tests/Tools/media_samples.py").path

    /// The sample `kind` (see the script's list), as bytes.
    static func make(_ kind: String) async throws -> Data {
        let result = try await offThePool { try run(["python3", script, "make", kind]) }
        guard result.status == 0, !result.output.isEmpty else {
            throw SampleError(message: "media_samples.py make \(kind) failed: \(result.errors)")
        }
        return result.output
    }

    /// What Pillow reads in an image: its format, size, EXIF tags, GPS fields, camera model, XMP
    /// packet, and the colour of a pixel in the middle of its left and right eighths.
    struct Reading: Decodable {
        var format: String
        var width: Int
        var height: Int
        var exifTags: [Int]
        var exifIFDTags: [Int]
        var gps: [String: String]
        var model: String
        var orientation: Int
        var xmp: String
        var left: [Int]
        var right: [Int]
    }

    static func read(_ image: Data) async throws -> Reading {
        let result = try await offThePool { try run(["python3", script, "read"], input: image) }
        guard result.status == 0 else { throw SampleError(message: "Pillow could not read the image: \(result.errors)") }
        return try JSONDecoder().decode(Reading.self, from: result.output)
    }

    /// Runs a blocking subprocess on a thread of its own, so that waiting for Python does not
    /// hold one of Swift's few cooperative threads (on two cores, two such waits would stall
    /// every other test's server).
    static func offThePool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread { continuation.resume(with: Result { try work() }) }
        }
    }

    struct SampleError: Error, CustomStringConvertible { var message: String; var description: String { message } }
}

/// How many rows the three media tables hold: media, media_renditions, media_blobs.
func mediaRowCounts(_ database: any Database) async throws -> [Int] {
    let sql = database as! any SQLDatabase
    var counts: [Int] = []
    for table in ["media", "media_renditions", "media_blobs"] {
        counts.append(try await sql.raw("SELECT COUNT(*) AS n FROM \(unsafeRaw: table)").first()?.decode(column: "n", as: Int.self) ?? -1)
    }
    return counts
}

/// A fresh, migrated database with one draft release, for tests of attaching.
func withDraftRelease(_ body: (_ settings: Settings, _ hub: DatabaseHub, _ releaseID: String, _ slug: String) async throws -> Void) async throws {
    try await TestDatabase.withFresh { location in
        let settings = testSettings(location)
        let hub = try DatabaseHub(location: location, logger: quietLogger)
        do {
            try await hub.migrate()
            var release = ImportedRelease(headline: "Wetlands restored", language: "en")
            release.issuer = "Rivers Trust"
            release.body = ["The meadow was flooded again this spring."]
            guard case .imported(let id, let slug, _) = try await ReleaseStore(hub: hub).store(release, options: ImportOptions(publish: false)) else {
                throw MediaSample.SampleError(message: "the release was not imported")
            }
            try await body(settings, hub, id, slug)
            await hub.shutdown()
        } catch {
            await hub.shutdown()
            throw error
        }
    }
}
