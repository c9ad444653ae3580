@testable import DatelineServer
import FluentKit
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import ReleaseImport
import SQLKit
import NIOConcurrencyHelpers
import Testing

/// `count` release files made from the samples in `Samples/`, each with a headline of its own
/// (the sample's headline with " number N" after it), written into `folders` folders in turn.
/// - Returns: the folders, under `root`.
func makeReleaseFiles(_ count: Int, folders: Int, under root: URL) throws -> [URL] {
    let samples = try FileManager.default.contentsOfDirectory(at: repositoryRoot.appendingPathComponent("Samples"), includingPropertiesForKeys: nil)
        .filter { $0.pathExtension == "txt" }.sorted { $0.path < $1.path }
    // A sample serves when its headline, numbered in its text, is read back numbered.
    var templates: [(text: String, headline: String)] = []
    for sample in samples {
        let text = try ReleaseImporter.decodeText(Data(contentsOf: sample))
        guard let headline = try ReleaseImporter.extract(data: Data(text.utf8)).headline, text.contains(headline) else { continue }
        let numbered = text.replacingOccurrences(of: headline, with: "\(headline) number 0")
        if try ReleaseImporter.extract(data: Data(numbered.utf8)).headline == "\(headline) number 0" {
            templates.append((text, headline))
        }
    }
    guard !templates.isEmpty else { throw CocoaError(.fileReadCorruptFile) }
    let targets = (0..<folders).map { root.appendingPathComponent("batch-\($0)") }
    for folder in targets { try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true) }
    for index in 0..<count {
        let (text, headline) = templates[index % templates.count]
        let file = targets[index % folders].appendingPathComponent(String(format: "release-%04d.txt", index))
        try Data(text.replacingOccurrences(of: headline, with: "\(headline) number \(index + 1)").utf8).write(to: file)
    }
    return targets
}

/// Waits for a process without holding a thread of the test's pool.
func waitForExit(_ process: Process, timeout: TimeInterval) async -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    while process.isRunning && Date() < deadline { try? await Task.sleep(for: .milliseconds(50)) }
    return !process.isRunning
}

/// Lines of a command's output that tell of trouble: a warning or error logged, or a locked database.
func troubleLines(_ text: String) -> [Substring] {
    text.split(separator: "\n").filter { line in
        let lower = line.lowercased()
        return lower.contains("locked") || lower.contains(" warning ") || lower.contains(" error ") || lower.contains(" critical ") || lower.contains("busy")
    }
}

@Suite("Concurrent processes")
struct ConcurrentProcessTests {
    @Test("Four `dateline import` processes into one database at once: every file imported, nothing locked")
    func fourImporters() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("dateline-four-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let folders = try makeReleaseFiles(160, folders: 4, under: root)
        try await TestDatabase.withFresh { location in
            // setup: a migrated database, as the site would have
            let hub = try DatabaseHub(location: location, logger: quietLogger)
            try await hub.migrate()

            // MUT: four importers started together
            let logs = (0..<4).map { root.appendingPathComponent("import-\($0).log") }
            let processes = try (0..<4).map { try startDateline(["import", "--publish", folders[$0].path], database: location, log: logs[$0]) }
            var finished = true
            for process in processes { finished = await waitForExit(process, timeout: 300) && finished }
            for process in processes where process.isRunning { process.terminate() }

            // validation
            #expect(finished, "an importer did not finish")
            for (index, process) in processes.enumerated() {
                let output = (try? String(contentsOf: logs[index], encoding: .utf8)) ?? ""
                #expect(process.terminationStatus == 0, "importer \(index): \(output.suffix(600))")
                #expect(output.contains("Imported 40, skipped 0, failed 0 of 40 files."), "importer \(index): \(output.suffix(600))")
                #expect(troubleLines(output).isEmpty, "importer \(index): \(troubleLines(output).prefix(3))")
            }
            let count = try await hub.sql.raw("SELECT COUNT(*) AS n FROM releases").first()?.decode(column: "n", as: Int.self)
            #expect(count == 160)
            await hub.shutdown()
        }
    }

    @Test("`dateline import` of 500 files beside a running `serve` (scheduler, job worker, outbox) and its readers: every file imported, nothing logged amiss")
    func importBesideServe() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("dateline-beside-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        // The alerts go to a real SMTP server, so that the outbox's own sending records
        // (SendingRecorder's connection) write beside the importer too.
        let smtp = try SMTPTestServer()
        defer { smtp.stop(); smtp.removeFolder() }
        let folder = try makeReleaseFiles(500, folders: 1, under: root)[0]
        try await TestDatabase.withFresh { location in
            // setup: a migrated database with instant subscribers, so that each publication
            // queues alerts for the outbox; a real `serve` with its jobs on a free loopback port
            let hub = try DatabaseHub(location: location, logger: quietLogger)
            try await hub.migrate()
            _ = try await SubscriberImport.run(lines: (1...3).map { "reader\($0)@example.org" }, instant: true, hub: hub)
            let port = try freePort()
            let environment = ["DATELINE_BASE_URL": "http://127.0.0.1:\(port)", "DATELINE_SMTP_URL": smtp.url]
            let serveLog = root.appendingPathComponent("serve.log")
            let server = try startDateline(["serve", "--port", String(port)], database: location, environment: environment, log: serveLog)
            defer { if server.isRunning { server.terminate() } }
            let home = URL(string: "http://127.0.0.1:\(port)/")!
            var up = false
            for _ in 0..<300 where !up {
                up = (try? await URLSession.shared.data(from: home).1 as? HTTPURLResponse)?.statusCode == 200
                if !up { try await Task.sleep(for: .milliseconds(100)) }
            }
            try #require(up, "serve did not answer: \((try? String(contentsOf: serveLog, encoding: .utf8)) ?? "")")

            // MUT: the import, while a reader asks for pages the whole time
            let importLog = root.appendingPathComponent("import.log")
            let importer = try startDateline(["import", "--publish", folder.path], database: location, environment: environment, log: importLog)
            // Stopped by a flag, not by cancelling the task: cancelling a task inside
            // URLSession's `data(from:)` can deadlock FoundationNetworking on Linux (the task's
            // cancel waits on the session's queue while that queue waits to resume the task).
            let stop = NIOLockedValueBox(false)
            let reader = Task { () -> [Int] in
                var statuses: [Int] = []
                let pages = ["/", "/feed.atom", "/sitemap.xml", "/api/ninjs"]
                while !stop.withLockedValue({ $0 }) {
                    let url = URL(string: pages[statuses.count % pages.count], relativeTo: home)!
                    let status = (try? await URLSession.shared.data(from: url).1 as? HTTPURLResponse)?.statusCode ?? -1
                    statuses.append(status)
                }
                return statuses
            }
            let imported = await waitForExit(importer, timeout: 600)
            if !imported { importer.terminate() }
            // The jobs the import queued (fan-outs, alerts) are done while the reader goes on.
            let outbox = Outbox(hub: hub)
            let deadline = Date().addingTimeInterval(120)
            while Date() < deadline {
                let jobs = try await JobModel.query(on: hub.database).filter(\.$doneAt == nil).filter(\.$failedAt == nil).count()
                if jobs == 0, try await outbox.pendingCount() == 0 { break }
                try await Task.sleep(for: .milliseconds(200))
            }
            stop.withLockedValue { $0 = true }
            let statuses = await reader.value
            server.terminate()
            _ = await waitForExit(server, timeout: 30)

            // validation
            let importOutput = (try? String(contentsOf: importLog, encoding: .utf8)) ?? ""
            let serveOutput = (try? String(contentsOf: serveLog, encoding: .utf8)) ?? ""
            #expect(imported && importer.terminationStatus == 0, "\(importOutput.suffix(800))")
            #expect(importOutput.contains("Imported 500, skipped 0, failed 0 of 500 files."), "\(importOutput.suffix(800))")
            #expect(troubleLines(importOutput).isEmpty, "\(troubleLines(importOutput).prefix(3))")
            #expect(troubleLines(serveOutput).isEmpty, "\(troubleLines(serveOutput).prefix(3))")
            let count = try await hub.sql.raw("SELECT COUNT(*) AS n FROM releases").first()?.decode(column: "n", as: Int.self)
            #expect(count == 500)
            #expect(statuses.count > 10, "the reader got answers throughout")
            #expect(statuses.allSatisfy { $0 == 200 }, "reader: \(Dictionary(grouping: statuses, by: { $0 }).mapValues(\.count))")
            let unfinished = try await JobModel.query(on: hub.database).filter(\.$doneAt == nil).count()
            #expect(unfinished == 0, "every job done, none retried for good")
            let retried = try await JobModel.query(on: hub.database).filter(\.$attempts > 0).count()
            #expect(retried == 0, "no job failed an attempt")
            let sent = try await hub.sql.raw("SELECT COUNT(*) AS n FROM outbox WHERE state = 'sent'").first()?.decode(column: "n", as: Int.self)
            let owed = try await hub.sql.raw("SELECT COUNT(*) AS n FROM outbox").first()?.decode(column: "n", as: Int.self)
            #expect(sent == owed && (owed ?? 0) > 0, "every alert sent: \(sent ?? -1) of \(owed ?? -1)")
            let arrival = Date().addingTimeInterval(10)
            while smtp.count < (owed ?? 0) && Date() < arrival { try await Task.sleep(for: .milliseconds(100)) }
            #expect(smtp.count == owed, "each alert arrived once")
            await hub.shutdown()
        }
    }
}
