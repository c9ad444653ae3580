@testable import DatelineServer
import FluentKit
import Foundation
import ReleaseImport
import SQLKit
import Testing

/// `kill -9` of the real processes at random moments of a batch import and of a publish run:
/// afterwards every release is whole or absent, the database is sound, and the site starts on it.
@Suite("Crash safety", .serialized, .timeLimit(.minutes(5)))
struct CrashSafetyTests {
    /// How many times each test kills the processes, each time at a random moment.
    static let rounds = 4
    /// The kill follows the moment the watched count reaches its target by up to this many
    /// microseconds. Kept short: a writer that commits a release's parts one by one makes the
    /// count move at its first part, so a kill just after it lands among the rest.
    static let delayAfterTarget = 0...3_000

    /// A database handle for watching progress from the test while the processes write.
    /// - Parameter sql: a `SELECT COUNT(*) AS n …` without parameters.
    func watch(_ location: DatabaseLocation, _ sql: String) async throws -> (hub: DatabaseHub, count: @Sendable () async throws -> Int) {
        let hub = try DatabaseHub(location: location, logger: quietLogger)
        try await hub.migrate()
        return (hub, { try await hub.database.withSQL { try await $0.raw("\(unsafeRaw: sql)").first()?.decode(column: "n", as: Int.self) } ?? -1 })
    }

    func sigkill(_ process: Process) {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    @Test("kill -9 of import --publish and serve in the middle of a batch import leaves each release whole or absent; the same import then completes the batch")
    func killedDuringBatchImport() async throws {
        let total = 300
        try await withFiles(batchReleaseFiles(total, label: "buoy")) { folder in
            try await TestDatabase.withFresh { location in
                let (hub, releases) = try await watch(location, "SELECT COUNT(*) AS n FROM releases")
                let arguments = ["import", "--publish", "--topic", "Water", "--topic", "Science", folder.path]
                var cutShort = 0
                // A round whose kill comes before the first write or after the last one does not
                // count; on a loaded machine that happens, so up to twice the rounds are tried.
                for round in 1...(Self.rounds * 2) {
                    let present = try await releases()
                    guard present < total, cutShort < Self.rounds else { break }
                    // setup: the site serving with its jobs (it fans out the imported releases)
                    let site = try await LiveSite(location)
                    let importer = try startDateline(arguments, database: location)

                    // MUT: kill both once the import has stored a random number more releases, plus a random moment
                    let target = present + Int.random(in: 1...max(1, (total - present) * 2 / 3))
                    while importer.isRunning, try await releases() < target {
                        await Task.yield()
                    }
                    try await Task.sleep(for: .microseconds(Int.random(in: Self.delayAfterTarget)))
                    sigkill(importer)
                    site.kill()

                    // validation
                    let after = try await releases()
                    if present < after, after < total { cutShort += 1 }  // the kill fell inside the run, after it had written
                    let problems = try await ReleaseConsistency(topicsPerRelease: 2).problems(in: location)
                    #expect(problems.isEmpty, "round \(round), killed at \(after) of \(total) releases: \(problems.prefix(10))")
                }
                #expect(cutShort >= 1, "a kill landed in the middle of the batch")

                // The same command again, with nothing killing it, imports what is missing.
                let rest = try runDateline(arguments, database: location)
                #expect(rest.status == 0, "\(rest.errors.suffix(2_000))")
                #expect(try await releases() == total)
                let problems = try await ReleaseConsistency(topicsPerRelease: 2).problems(in: location)
                #expect(problems.isEmpty, "\(problems.prefix(10))")
                await hub.shutdown()
                let site = try await LiveSite(location, jobs: false)
                defer { site.stop() }
                #expect(try await site.get("/").status == 200)
            }
        }
    }

    @Test("kill -9 of serve while its scheduler publishes a batch of releases leaves each release published or embargoed, with its history and announcement")
    func killedDuringPublish() async throws {
        let total = 240
        try await TestDatabase.withFresh { location in
            // setup: embargoed releases with contacts and topics, then their lift time passes
            let (hub, published) = try await watch(location, "SELECT COUNT(*) AS n FROM releases WHERE status = 'published'")
            let store = ReleaseStore(hub: hub)
            for (_, data) in batchReleaseFiles(total, label: "sluice").sorted(by: { $0.key < $1.key }) {
                var release = try ReleaseImporter.extract(data: data)
                release.releaseTiming = .embargoed
                release.embargoUntil = Date().addingTimeInterval(3600)
                guard case .imported(_, _, "embargoed") = try await store.store(release, options: ImportOptions(publish: true, topics: ["Water", "Science"])) else {
                    Issue.record("not stored as embargoed"); return
                }
            }
            try await hub.writeSQL { try await $0.raw("UPDATE releases SET embargo_until = \(bind: Date().addingTimeInterval(-1))").run() }

            var cutShort = 0
            // As in the import test, up to twice the rounds, for kills that miss the run.
            for round in 1...(Self.rounds * 2) {
                let present = try await published()
                guard present < total, cutShort < Self.rounds else { break }
                let server = try startDateline(["serve", "--port", String(try freePort())], database: location)
                let orphanGuard = try OrphanGuard(server)
                defer { orphanGuard.release() }

                // MUT: kill -9 once a random number more releases are published, plus a random moment
                let target = present + Int.random(in: 1...max(1, (total - present) * 2 / 3))
                while server.isRunning, try await published() < target {
                    try await Task.sleep(for: .milliseconds(2))
                }
                try await Task.sleep(for: .microseconds(Int.random(in: Self.delayAfterTarget)))
                sigkill(server)

                // validation
                let after = try await published()
                if present < after, after < total { cutShort += 1 }  // the kill fell inside the run, after it had written
                let problems = try await ReleaseConsistency(topicsPerRelease: 2).problems(in: location)
                #expect(problems.isEmpty, "round \(round), killed at \(after) of \(total) published: \(problems.prefix(10))")
                let statuses = try await hub.database.withSQL { try await $0.raw("SELECT DISTINCT status FROM releases").all().map { try $0.decode(column: "status", as: String.self) } }
                #expect(Set(statuses).isSubset(of: ["embargoed", "published"]), "\(statuses)")
            }
            #expect(cutShort >= 2, "the kills landed in the middle of the publish run")

            // Started again, the site publishes the rest and serves.
            let site = try await LiveSite(location)
            defer { site.stop() }
            var waits = 0
            while try await published() < total, waits < 300 {
                try await Task.sleep(for: .milliseconds(50))
                waits += 1
            }
            #expect(try await published() == total)
            #expect(try await site.get("/").status == 200)
            site.stop()
            let problems = try await ReleaseConsistency(topicsPerRelease: 2).problems(in: location)
            #expect(problems.isEmpty, "\(problems.prefix(10))")
            await hub.shutdown()
        }
    }

    @Test("The whole-release check finds a release without its history, topics or announcement, and passes whole ones")
    func consistencyCheckFindsDamage() async throws {
        try await withFiles(batchReleaseFiles(3, label: "pier")) { folder in
            try await TestDatabase.withFresh { location in
                let imported = try runDateline(["import", "--publish", "--topic", "Water", "--topic", "Science", folder.path], database: location)
                #expect(imported.status == 0, "\(imported.errors)")
                let check = ReleaseConsistency(topicsPerRelease: 2)
                #expect(try await check.problems(in: location) == [], "three whole releases")
                let hub = try DatabaseHub(location: location, logger: quietLogger)
                let ids = try await hub.database.withSQL { try await $0.raw("SELECT id FROM releases ORDER BY slug").all().map { try $0.decode(column: "id", as: String.self) } }
                try #require(ids.count == 3)

                // MUT: half-written releases, as a crash without transactions would leave them
                try await hub.writeSQL { sql in
                    try await sql.raw("DELETE FROM release_events WHERE release_id = \(bind: ids[0])").run()
                    try await sql.raw("DELETE FROM release_topics WHERE release_id = \(bind: ids[1])").run()
                    try await sql.raw("DELETE FROM jobs WHERE payload LIKE \(bind: "%" + ids[2] + "%")").run()
                    try await sql.raw("UPDATE releases SET published_at = NULL WHERE id = \(bind: ids[2])").run()
                }
                await hub.shutdown()

                // validation
                let problems = try await check.problems(in: location)
                #expect(problems.contains("release \(ids[0]): has no creation event in its history"), "\(problems)")
                #expect(problems.contains("release \(ids[0]): has a status no history row leads to"), "\(problems)")
                #expect(problems.contains("release \(ids[1]): does not have its 2 topic links"), "\(problems)")
                #expect(problems.contains("release \(ids[2]): is public without a publication time"), "\(problems)")
                #expect(problems.contains { $0.hasPrefix("release \(ids[2]): is public but its publication was never announced") }, "\(problems)")
                #expect(try await ReleaseConsistency(topicsPerRelease: 3).problems(in: location).count >= 3, "a wrong expectation is reported too")
            }
        }
    }
}
