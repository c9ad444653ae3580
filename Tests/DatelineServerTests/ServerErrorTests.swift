@testable import DatelineServer
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import NIOConcurrencyHelpers
import SQLKit
import Testing

/// A log handler that keeps what it is given, to read back in a test.
struct KeptLog: LogHandler {
    let lines: NIOLockedValueBox<[(level: Logger.Level, message: String)]>
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .info

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(level: Logger.Level, message: Logger.Message, metadata: Logger.Metadata?, source: String, file: String, function: String, line: UInt) {
        lines.withLockedValue { $0.append((level, message.description)) }
    }
}

@Suite("Unexpected errors")
struct ServerErrorTests {
    @Test("An unexpected error answers the site's 500 page with the security headers, and is logged with the method and path")
    func unexpectedError() async throws {
        try await TestDatabase.withFresh { location in
            // setup: the site, then a table every page reads taken away under it
            let lines = NIOLockedValueBox<[(level: Logger.Level, message: String)]>([])
            let logger = Logger(label: "dateline-test") { _ in KeptLog(lines: lines) }
            let app = try await buildApplication(settings: testSettings(location), runJobs: false, logger: logger)
            let hub = try DatabaseHub(location: location, logger: quietLogger)
            do {
                try await app.test(.router) { client in
                    #expect(try await client.execute(uri: "/", method: .get) { $0.status } == .ok)
                    try await hub.writeSQL { try await $0.raw("ALTER TABLE releases RENAME TO releases_away").run() }

                    // MUT
                    // (A listing position the cache has not held yet: "/" itself would be answered from it.)
                    let answer = try await client.execute(uri: "/?page=1&token=secret-in-query", method: .get) { ($0.status, $0.headers, String(buffer: $0.body)) }

                    // validation
                    #expect(answer.0 == .internalServerError)
                    #expect(answer.2.contains("Something went wrong"), "the site's page: \(answer.2.prefix(300))")
                    #expect(answer.2.contains("<link rel=\"stylesheet\""), "in the site's look")
                    #expect(!answer.2.contains("no such table") && !answer.2.contains("does not exist"), "the error itself is not shown")
                    #expect(answer.1[.contentType]?.hasPrefix("text/html") == true)
                    #expect(answer.1[.init("X-Frame-Options")!] == "DENY")
                    #expect(answer.1[.contentSecurityPolicy] != nil)
                    #expect(answer.1[.init("X-Content-Type-Options")!] == "nosniff")
                    let errors = lines.withLockedValue { $0 }.filter { $0.level >= .error }
                    #expect(errors.contains { $0.message.contains("GET /") }, "\(errors.map(\.message))")
                    #expect(!errors.contains { $0.message.contains("secret-in-query") }, "the query is not logged")
                    // A path that carries a secret (as embargo and reset links do) is logged by its route pattern.
                    #expect(try await client.execute(uri: "/releases/secret-in-path-4711", method: .get) { $0.status } == .internalServerError)
                    let later = lines.withLockedValue { $0 }.filter { $0.level >= .error }.map(\.message)
                    #expect(later.contains { $0.contains("GET /releases/") }, "\(later)")
                    #expect(!later.contains { $0.contains("secret-in-path-4711") }, "the path itself is not logged: \(later)")
                }
                await hub.shutdown()
            } catch {
                await hub.shutdown()
                throw error
            }
        }
    }
}
