import DatelineServer
import Foundation
import SQLKit
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A real `dateline serve` process on a free loopback port, for tests that need the whole program
/// as deployed: started, asked over HTTP, stopped or killed.
final class LiveSite: @unchecked Sendable {
    let process: Process
    let port: Int
    let log: URL
    private let orphanGuard: OrphanGuard

    /// Starts `dateline serve` on `location` and waits until its home page answers.
    /// - Parameters:
    ///   - jobs: run the scheduler, job worker and outbox inside the server (`--no-jobs` when false).
    ///   - ready: how long the server may take to answer its first request.
    ///   - environment: variables set for the server beside the database's (`DATELINE_PAGE_CACHE_HEADER`).
    /// - Throws: when the server exits or does not answer in time; the message holds its log.
    init(_ location: DatabaseLocation, jobs: Bool = true, ready: Duration = .seconds(60), environment: [String: String] = [:]) async throws {
        port = try freePort()
        log = FileManager.default.temporaryDirectory.appendingPathComponent("dateline-serve-\(UUID().uuidString).log")
        process = try startDateline(["serve", "--port", String(port)] + (jobs ? [] : ["--no-jobs"]), database: location, environment: environment, log: log)
        orphanGuard = try OrphanGuard(process)
        let deadline = ContinuousClock.now + ready
        while ContinuousClock.now < deadline {
            if !process.isRunning { throw LiveSiteError(message: "dateline serve exited (\(process.terminationStatus)): \(logText)") }
            if let answer = try? await get("/", timeout: 2), answer.status == 200 { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        kill()
        throw LiveSiteError(message: "dateline serve did not answer within \(ready): \(logText)")
    }

    /// GET `path` from the server. - Returns: the status code and the body as text.
    func get(_ path: String, timeout: TimeInterval = 15) async throws -> (status: Int, body: String) {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)\(path)")!)
        request.timeoutInterval = timeout
        request.cachePolicy = .reloadIgnoringLocalCacheData
        let (data, response) = try await URLSession.shared.data(for: request)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data, as: UTF8.self))
    }

    var logText: String { (try? String(contentsOf: log, encoding: .utf8)) ?? "" }

    /// `kill -9`: the process gets no chance to finish anything.
    func kill() {
        if process.isRunning { Foundation.kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        orphanGuard.release()
    }

    /// A graceful stop (SIGTERM), as a service manager would; the log file is removed.
    func stop() {
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        orphanGuard.release()
        try? FileManager.default.removeItem(at: log)
    }
}

/// Kills a child process (SIGKILL) if the test process dies first (a run that is killed or
/// crashes), so that no server started by a test outlives the run: a shell that checks once a
/// second whether the test process is still there.
final class OrphanGuard: @unchecked Sendable {
    private let sentinel = Process()

    init(_ child: Process) throws {
        sentinel.executableURL = URL(fileURLWithPath: "/bin/sh")
        sentinel.arguments = ["-c", "while kill -0 \(getpid()) 2>/dev/null; do sleep 1; done; kill -9 \(child.processIdentifier) 2>/dev/null"]
        sentinel.standardOutput = FileHandle.nullDevice
        sentinel.standardError = FileHandle.nullDevice
        try sentinel.run()
    }

    /// Ends the watch, once the child has exited.
    func release() {
        if sentinel.isRunning { sentinel.terminate() }
        sentinel.waitUntilExit()
    }
}

struct LiveSiteError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}

/// `count` plain-text releases, each with a contact, a dateline and a headline of its own,
/// spread over three organizations, as files named `<label>-NNNN.txt`.
func batchReleaseFiles(_ count: Int, label: String) -> [String: Data] {
    let organizations = ["Rivers Trust", "Harbor Health Alliance", "Northfield Library Board"]
    var files: [String: Data] = [:]
    for number in 0..<count {
        let organization = organizations[number % organizations.count]
        let domain = organization.lowercased().replacingOccurrences(of: " ", with: "")
        files[String(format: "%@-%04d.txt", label, number)] = Data("""
            FOR IMMEDIATE RELEASE

            Media contact:
            Jane Doe, Press Officer, \(organization)
            jane.doe@\(domain).example.org
            +1 202 555 0100

            \(organization) Opens \(label.capitalized) Station \(number) on the Lower Reach

            WASHINGTON, Dec. 1, 2026 — \(organization) today opened \(label) station number \(number) on the lower reach of the river, the organization said.

            "Station \(number) gives us hourly readings where the river meets the estuary," said Jane Doe.

            The station measures temperature, dissolved oxygen and turbidity, and publishes its readings every hour.

            ###
            """.utf8)
    }
    return files
}

/// The SQLite or PostgreSQL answer to one `SELECT COUNT(*) AS n …` on `location`.
func countRows(_ sql: String, on location: DatabaseLocation) async throws -> Int {
    let hub = try DatabaseHub(location: location, logger: quietLogger)
    do {
        let value = try await hub.database.withSQL { try await $0.raw("\(unsafeRaw: sql)").first()?.decode(column: "n", as: Int.self) } ?? -1
        await hub.shutdown()
        return value
    } catch {
        await hub.shutdown()
        throw error
    }
}
