import DatelineServer
import FluentKit
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import ReleaseImport
import SQLKit

/// The repository's root, found from this file, so tests use the real templates and samples.
let repositoryRoot = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// Which engine the suite runs on: PostgreSQL when the test command started a cluster and
/// set `DATELINE_TEST_DATABASE_URL`, the embedded SQLite otherwise.
enum TestDatabase {
    static var postgresServerURL: String? {
        ProcessInfo.processInfo.environment["DATELINE_TEST_DATABASE_URL"].flatMap { $0.isEmpty ? nil : $0 }
    }

    static var engineName: String { postgresServerURL == nil ? "SQLite" : "PostgreSQL" }

    /// Runs `body` with a fresh, empty database of its own, removed afterwards: a temporary
    /// SQLite file, or a new database on the test cluster. Tests can then run in parallel.
    static func withFresh<T>(_ body: (DatabaseLocation) async throws -> T) async throws -> T {
        if let server = postgresServerURL {
            let name = "dateline_test_\(UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased())"
            let admin = try DatabaseHub(location: .postgres(url: server), logger: quietLogger)
            try await admin.database.withSQL { try await $0.raw("CREATE DATABASE \(unsafeRaw: name)").run() }
            var components = URLComponents(string: server)!
            components.path = "/" + name
            do {
                let result = try await body(.postgres(url: components.string!))
                try await admin.database.withSQL { try await $0.raw("DROP DATABASE \(unsafeRaw: name) WITH (FORCE)").run() }
                await admin.shutdown()
                return result
            } catch {
                try? await admin.database.withSQL { try await $0.raw("DROP DATABASE \(unsafeRaw: name) WITH (FORCE)").run() }
                await admin.shutdown()
                throw error
            }
        } else {
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("dateline-test-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: folder) }
            return try await body(.sqlite(path: folder.appendingPathComponent("dateline.sqlite").path))
        }
    }
}

let quietLogger: Logger = {
    var logger = Logger(label: "dateline-test")
    logger.logLevel = .warning
    return logger
}()

/// Settings for a test: the real templates, styles and samples of the repository, and the page
/// cache on, so that every test of a public route also runs through it.
func testSettings(_ database: DatabaseLocation) -> Settings {
    var settings = Settings(
        database: database,
        baseURL: URL(string: "https://wire.example.org")!,
        siteName: "Dateline",
        resourcesDirectory: repositoryRoot.appendingPathComponent("Resources"),
        publicDirectory: repositoryRoot.appendingPathComponent("Public"),
        samplesDirectory: repositoryRoot.appendingPathComponent("Samples"),
        pageSize: 3,
        mailDirectory: FileManager.default.temporaryDirectory.appendingPathComponent("dateline-mail-\(UUID().uuidString)"),
        bcryptCost: 4
    )
    settings.pageCacheMegabytes = 64
    return settings
}

/// A clock a test can move.
final class TestClock: @unchecked Sendable {
    private let lock = NSLock()
    private var current: Date

    init(_ start: Date = Date(timeIntervalSince1970: 1_780_000_000)) { current = start }

    var now: Date { lock.withLock { current } }
    func advance(by seconds: TimeInterval) { lock.withLock { current += seconds } }
}

/// Builds the application exactly as `serve` does, on a fresh database, and hands the test a
/// client of its router and a store for putting releases in first.
func withApp(
    sampleData: Bool = false,
    clock: TestClock = TestClock(),
    _ test: @escaping @Sendable (any TestClientProtocol, ReleaseStore) async throws -> Void
) async throws {
    try await TestDatabase.withFresh { location in
        let settings = testSettings(location)
        // Jobs are run by the tests that are about them, with JobWorker.runDueJobs(), at a time they choose.
        let app = try await buildApplication(settings: settings, loadSampleData: sampleData, runJobs: false, logger: quietLogger, clock: { clock.now })
        // A second hub on the same database, as a separate `dateline import` process would have.
        let hub = try DatabaseHub(location: location, logger: quietLogger)
        let store = ReleaseStore(hub: hub, clock: { clock.now })
        do {
            try await app.test(.router) { client in try await test(client, store) }
            await hub.shutdown()
        } catch {
            await hub.shutdown()
            throw error
        }
    }
}

/// The seed release, read from Samples/.
func seedText() throws -> String {
    try ReleaseImporter.decodeText(Data(contentsOf: repositoryRoot.appendingPathComponent("Samples/seed-release.txt")))
}

extension Database {
    func withSQL<T>(_ body: (any SQLDatabase) async throws -> T) async throws -> T {
        try await body(self as! any SQLDatabase)
    }
}

extension String {
    /// How many times `piece` occurs.
    func occurrences(of piece: String) -> Int {
        components(separatedBy: piece).count - 1
    }
}
