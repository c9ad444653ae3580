import Foundation
import Logging
import ReleaseImport

/// Loads the real releases in `Samples/` through the importer, so a new site shows something
/// real at once. `Samples/samples.json` adds what the texts cannot say: topics, websites, profiles.
struct SampleData {
    let hub: DatabaseHub
    let settings: Settings
    let logger: Logger
    let clock: @Sendable () -> Date

    /// One entry of `samples.json`.
    struct Entry: Decodable {
        var file: String
        var organization: String?
        var topics: [String]?
        var website: String?
        var profiles: [String: String]?
    }

    /// Imports and publishes every sample, but only into a database that has no release yet:
    /// an operator's own releases are never mixed with samples.
    func loadIfEmpty() async throws {
        guard try await ReleaseModel.query(on: hub.database).count() == 0 else {
            logger.info("The database already has releases; sample data not loaded.")
            return
        }
        let manifest = settings.samplesDirectory.appendingPathComponent("samples.json")
        let entries: [Entry]
        do {
            entries = try JSONDecoder().decode([Entry].self, from: Data(contentsOf: manifest))
        } catch {
            throw SampleDataError(message: "Cannot read \(manifest.path): \(error). Run from the repository's folder or set DATELINE_SAMPLES_DIR.")
        }
        let store = ReleaseStore(hub: hub, clock: clock)
        for entry in entries {
            let file = settings.samplesDirectory.appendingPathComponent(entry.file)
            let text = try ReleaseImporter.decodeText(Data(contentsOf: file))
            let extraction = ReleaseImporter.extract(text: text)
            let options = ImportOptions(
                publish: true,
                organizationName: entry.organization,
                topics: entry.topics ?? [],
                organizationWebsite: entry.website,
                organizationProfiles: entry.profiles ?? [:]
            )
            let outcome = try await store.store(extraction, options: options)
            logger.info("Sample \(entry.file): \(outcome)")
        }
        try await loadAppeal()
    }

    /// The sample support appeal (`appeal.json`), unless an admin has written one.
    private func loadAppeal() async throws {
        let file = settings.samplesDirectory.appendingPathComponent("appeal.json")
        guard FileManager.default.fileExists(atPath: file.path), try await SupportAppeal.load(on: hub.database).isEmpty else { return }
        do {
            let appeal = try JSONDecoder().decode(SupportAppeal.self, from: Data(contentsOf: file)).validated()
            try await hub.write { try await appeal.save(on: $0) }
        } catch {
            throw SampleDataError(message: "Cannot use \(file.path): \(error)")
        }
    }
}

/// The sample releases could not be loaded; the message names the file.
struct SampleDataError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
