import DatelineServer
import Foundation
import SQLKit
import Testing

@Suite("Backups", .timeLimit(.minutes(5)))
struct BackupTests {
    /// The newest published release in `location`: its slug and headline.
    func publishedRelease(in location: DatabaseLocation) async throws -> (slug: String, headline: String)? {
        let hub = try DatabaseHub(location: location, logger: quietLogger)
        let row = try await hub.database.withSQL {
            try await $0.raw("SELECT slug, headline FROM releases WHERE status = 'published' ORDER BY released_at DESC, slug LIMIT 1").first()
        }
        await hub.shutdown()
        return try row.map { (try $0.decode(column: "slug", as: String.self), try $0.decode(column: "headline", as: String.self)) }
    }

    /// Serves `location` with a real `dateline serve` (jobs off: a copy must not publish or send)
    /// and checks the home page and the page of one of its published releases.
    func servesHomeAndRelease(_ location: DatabaseLocation) async throws {
        let release = try #require(try await publishedRelease(in: location), "the copy has a published release")
        let site = try await LiveSite(location, jobs: false)
        defer { site.stop() }
        let home = try await site.get("/")
        #expect(home.status == 200)
        let page = try await site.get("/releases/\(release.slug)")
        #expect(page.status == 200, "/releases/\(release.slug)")
        #expect(page.body.contains(release.headline))
    }

    @Test(
        "dateline backup copies a live SQLite site while it serves and imports: the copy passes integrity_check, every release in it is whole, and it serves",
        .enabled(if: TestDatabase.postgresServerURL == nil, "SQLite only: PostgreSQL is backed up with pg_dump")
    )
    func liveSQLiteBackup() async throws {
        try await withFiles(batchReleaseFiles(400, label: "gauge")) { folder in
            try await TestDatabase.withFresh { location in
                // setup: 60 releases on the site, the site serving with its jobs running, readers
                // asking for pages, and an import of 400 more under way beside it
                try await withFiles(batchReleaseFiles(60, label: "station")) { first in
                    let result = try runDateline(["import", "--publish", "--topic", "Water", first.path], database: location)
                    #expect(result.status == 0, "\(result.errors)")
                }
                let site = try await LiveSite(location)
                defer { site.stop() }
                let slug = try #require(try await publishedRelease(in: location)).slug
                let stopReading = StopFlag()
                let readers = Task {
                    // Whole rounds of the three pages, until told to stop after the backup.
                    var statuses: [String] = []
                    repeat {
                        for path in ["/", "/releases/\(slug)", "/feed.atom"] {
                            do {
                                statuses.append(String(try await site.get(path).status))
                            } catch {
                                statuses.append("\(path): \(error)")
                            }
                        }
                    } while !stopReading.isSet
                    return statuses
                }
                let importer = try startDateline(["import", "--publish", "--topic", "Water", folder.path], database: location)
                defer { if importer.isRunning { importer.terminate() }; importer.waitUntilExit() }
                let releasesSQL = "SELECT COUNT(*) AS n FROM releases"
                var before = 0
                let deadline = ContinuousClock.now + .seconds(60)
                while before < 100, importer.isRunning, ContinuousClock.now < deadline {
                    try await Task.sleep(for: .milliseconds(20))
                    before = try await countRows(releasesSQL, on: location)
                }
                let copy = FileManager.default.temporaryDirectory.appendingPathComponent("dateline-backup-\(UUID().uuidString).sqlite")
                defer { try? FileManager.default.removeItem(at: copy) }

                // MUT: a small step, so that the copy is made in many steps between the import's commits
                let backup = try runDateline(["backup", "--pages-per-step", "4", copy.path], database: location)

                // validation
                let importStillWriting = importer.isRunning
                let after = try await countRows(releasesSQL, on: location)
                stopReading.set()
                let statuses = await readers.value
                importer.waitUntilExit()
                #expect(backup.status == 0, "\(backup.errors)")
                #expect(backup.output.contains("PRAGMA integrity_check on the copy: ok"), "\(backup.output)")
                #expect(importStillWriting, "the import was still writing when the backup ended")
                #expect(before > 60, "the import had begun writing when the backup began")
                #expect(statuses.allSatisfy { $0 == "200" }, "every page answered while the backup ran: \(Set(statuses))")
                let copied = try await countRows(releasesSQL, on: .sqlite(path: copy.path))
                #expect((before...after).contains(copied), "the copy holds the releases of one moment between the backup's start (\(before)) and end (\(after)): \(copied)")
                let copyProblems = try await ReleaseConsistency(topicsPerRelease: 1).problems(in: .sqlite(path: copy.path))
                #expect(copyProblems.isEmpty, "\(copyProblems.prefix(10))")
                let liveProblems = try await ReleaseConsistency(topicsPerRelease: 1).problems(in: location)
                #expect(liveProblems.isEmpty, "the live database after the backup: \(liveProblems.prefix(10))")
                site.stop()
                try await servesHomeAndRelease(.sqlite(path: copy.path))
            }
        }
    }

    @Test("dateline backup refuses what it cannot do, names the problem, exits non-zero and leaves no file behind")
    func backupRefusals() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("dateline-backup-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let live = DatabaseLocation.sqlite(path: folder.appendingPathComponent("live.sqlite").path)
        try await withFiles(batchReleaseFiles(3, label: "weir")) { files in
            let result = try runDateline(["import", "--publish", files.path], database: live)
            #expect(result.status == 0, "\(result.errors)")
        }
        let existing = folder.appendingPathComponent("existing.sqlite")
        try Data("an earlier backup".utf8).write(to: existing)

        // MUT
        let overExisting = try runDateline(["backup", existing.path], database: live)
        let missingDatabase = try runDateline(["backup", folder.appendingPathComponent("a.sqlite").path], database: .sqlite(path: folder.appendingPathComponent("nothing-here.sqlite").path))
        let missingFolder = try runDateline(["backup", folder.appendingPathComponent("no-such-folder/b.sqlite").path], database: live)
        let intoItself = try runDateline(["backup", folder.appendingPathComponent("live.sqlite").path, "--force"], database: live)
        // Its write-ahead log and shared-memory index (present or not): overwriting them loses commits.
        let intoItsLog = try runDateline(["backup", folder.appendingPathComponent("live.sqlite-wal").path, "--force"], database: live)
        let intoItsIndex = try runDateline(["backup", folder.appendingPathComponent("live.sqlite-shm").path, "--force"], database: live)
        let postgres = try runDateline(["backup", folder.appendingPathComponent("c.sqlite").path], database: .postgres(url: "postgres://dateline@127.0.0.1:1/dateline"))
        let forced = try runDateline(["backup", "--force", existing.path], database: live)

        // validation
        for (name, result, words) in [
            ("existing file", overExisting, ["already exists", "--force"]),
            ("missing database", missingDatabase, ["nothing-here.sqlite", "does not exist"]),
            ("missing folder", missingFolder, ["no-such-folder", "does not exist"]),
            ("the live file itself", intoItself, ["live database itself"]),
            ("the live file's -wal", intoItsLog, ["live database itself", "-wal"]),
            ("the live file's -shm", intoItsIndex, ["live database itself", "-shm"]),
            ("PostgreSQL", postgres, ["PostgreSQL", "pg_dump", "docs/operations.md"]),
        ] {
            #expect(result.status != 0, "\(name): exit status")
            for word in words { #expect(result.errors.contains(word), "\(name): \(result.errors)") }
        }
        let left = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { !$0.hasPrefix("live.sqlite") }.sorted()
        #expect(left == ["existing.sqlite"], "no partial or new file: \(left)")
        #expect(forced.status == 0, "\(forced.errors)")
        #expect(try await countRows("SELECT COUNT(*) AS n FROM releases", on: .sqlite(path: existing.path)) == 3, "--force replaced the earlier file with the copy")
        let mode = try FileManager.default.attributesOfItem(atPath: existing.path)[.posixPermissions] as? Int
        #expect(mode == 0o600, "the copy is readable by its owner only: \(String(mode ?? 0, radix: 8))")
    }

    @Test(
        "A pg_dump of a PostgreSQL site restored with pg_restore into a fresh database holds every row and serves the site",
        .enabled(if: TestDatabase.postgresServerURL != nil, "PostgreSQL only: SQLite is backed up with dateline backup")
    )
    func postgresDumpAndRestore() async throws {
        let server = try #require(TestDatabase.postgresServerURL)
        let tools = try #require(
            (try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql"))?
                .compactMap(Int.init).max().map { "/usr/lib/postgresql/\($0)/bin" },
            "PostgreSQL's client tools in /usr/lib/postgresql/*/bin")
        try await withFiles(batchReleaseFiles(40, label: "lock")) { folder in
            try await TestDatabase.withFresh { location in
                // setup: a site with releases, topics, contacts and their history
                let imported = try runDateline(["import", "--publish", "--topic", "Water", "--topic", "Locks", folder.path], database: location)
                #expect(imported.status == 0, "\(imported.errors)")
                guard case .postgres(let sourceURL) = location else { return }
                let dump = FileManager.default.temporaryDirectory.appendingPathComponent("dateline-\(UUID().uuidString).dump")
                defer { try? FileManager.default.removeItem(at: dump) }
                let restoredName = "dateline_restored_\(UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased())"
                var components = try #require(URLComponents(string: server))
                components.path = "/" + restoredName
                let restoredURL = try #require(components.string)
                let admin = try DatabaseHub(location: .postgres(url: server), logger: quietLogger)
                try await admin.database.withSQL { try await $0.raw("CREATE DATABASE \(ident: restoredName) TEMPLATE template0 ENCODING 'UTF8'").run() }

                do {
                    // MUT: the commands of docs/operations.md
                    let dumped = try run(["\(tools)/pg_dump", "--format=custom", "--no-owner", "--file=\(dump.path)", sourceURL])
                    #expect(dumped.status == 0, "\(dumped.errors)")
                    let listed = try run(["\(tools)/pg_restore", "--list", dump.path])
                    #expect(listed.status == 0, "\(listed.errors)")
                    let restored = try run(["\(tools)/pg_restore", "--no-owner", "--exit-on-error", "--single-transaction", "--dbname=\(restoredURL)", dump.path])
                    #expect(restored.status == 0, "\(restored.errors)")

                    // validation: the same rows, every release whole, and the site serves
                    let restoredLocation = DatabaseLocation.postgres(url: restoredURL)
                    for table in ["releases", "release_events", "release_topics", "release_contacts", "organizations", "media_contacts", "topics", "jobs"] {
                        let sql = "SELECT COUNT(*) AS n FROM \(table)"
                        let original = try await countRows(sql, on: location)
                        #expect(try await countRows(sql, on: restoredLocation) == original, "\(table)")
                        if table == "releases" { #expect(original == 40) }
                    }
                    let problems = try await ReleaseConsistency(topicsPerRelease: 2).problems(in: restoredLocation)
                    #expect(problems.isEmpty, "\(problems.prefix(10))")
                    try await servesHomeAndRelease(restoredLocation)
                } catch {
                    Issue.record(error)
                }
                try await admin.database.withSQL { try await $0.raw("DROP DATABASE \(ident: restoredName) WITH (FORCE)").run() }
                await admin.shutdown()
            }
        }
    }
}

/// A flag one task sets and another reads.
final class StopFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false

    var isSet: Bool { lock.withLock { value } }
    func set() { lock.withLock { value = true } }
}
