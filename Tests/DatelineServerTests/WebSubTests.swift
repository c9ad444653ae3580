@testable import DatelineServer
import FluentKit
import Foundation
import Hummingbird
import Logging
import ReleaseImport
import ServiceLifecycle
import Testing

/// A stand-in for a remote WebSub hub (genuinely outside the system): a real HTTP server on
/// loopback that records the publish pings it receives and can be told to refuse the first ones.
actor HubDouble {
    private(set) var pings: [[String: String]] = []
    private var refusalsLeft: Int

    init(refusing: Int = 0) { refusalsLeft = refusing }

    func receive(_ form: [String: String]) -> HTTPResponse.Status {
        if refusalsLeft > 0 {
            refusalsLeft -= 1
            return .serviceUnavailable
        }
        pings.append(form)
        return .noContent
    }

    /// Runs the hub on a free loopback port while `body` runs; hands `body` the hub's URL.
    func serve(_ body: @escaping @Sendable (URL) async throws -> Void) async throws {
        let router = Router()
        router.post("/") { request, _ -> Response in
            var request = request
            let bytes = try await request.collectBody(upTo: 64 * 1024)
            let form = String(buffer: bytes).split(separator: "&").reduce(into: [String: String]()) { form, pair in
                let parts = pair.split(separator: "=", maxSplits: 1).map { String($0).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String($0) }
                if parts.count == 2 { form[parts[0]] = parts[1] }
            }
            return Response(status: await self.receive(form))
        }
        let (portStream, portContinuation) = AsyncStream<Int>.makeStream()
        let app = Application(
            router: router,
            configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in portContinuation.yield(channel.localAddress?.port ?? 0) },
            logger: quietLogger
        )
        try await withThrowingTaskGroup(of: Void.self) { group in
            let serviceGroup = ServiceGroup(services: [app], gracefulShutdownSignals: [], logger: quietLogger)
            group.addTask { try await serviceGroup.run() }
            var ports = portStream.makeAsyncIterator()
            let port = await ports.next() ?? 0
            do {
                try await body(URL(string: "http://127.0.0.1:\(port)/")!)
            } catch {
                await serviceGroup.triggerGracefulShutdown()
                throw error
            }
            await serviceGroup.triggerGracefulShutdown()
            try await group.waitForAll()
        }
    }
}

@Suite("WebSub")
struct WebSubTests {
    func release(_ headline: String) -> ImportedRelease {
        var release = ImportedRelease(headline: headline, language: "en")
        release.issuer = "Rivers Trust"
        release.body = ["Text."]
        return release
    }

    @Test("Publishing notifies the hub of every feed the release appears in, through a durable job")
    func notifiesHub() async throws {
        let hubDouble = HubDouble()
        try await hubDouble.serve { hubURL in
            try await TestDatabase.withFresh { location in
                // setup
                let clock = TestClock()
                var settings = testSettings(location)
                settings.webSubHub = hubURL
                let hub = try DatabaseHub(location: location, logger: quietLogger)
                try await hub.migrate()
                let store = ReleaseStore(hub: hub, clock: { clock.now })
                let worker = JobWorker(hub: hub, settings: settings, logger: quietLogger, clock: { clock.now })

                // MUT
                _ = try await store.store(release("Wetlands open"), options: ImportOptions(publish: true, topics: ["Environment"]))
                await worker.runDueJobs()  // the publish event fans out
                await worker.runDueJobs()  // the pings go out

                // validation
                let pings = await hubDouble.pings
                #expect(pings.allSatisfy { $0["hub.mode"] == "publish" })
                let topics = Set(pings.compactMap { $0["hub.url"] })
                for path in ["/feed.atom", "/feed.rss", "/feed.json", "/organizations/rivers-trust/feed.atom", "/topics/environment/feed.json", "/languages/en/feed.rss"] {
                    #expect(topics.contains("https://wire.example.org\(path)"), "no ping for \(path)")
                }
                #expect(pings.count == 12, "four feed subjects in three formats, once each")
                await hub.shutdown()
            }
        }
    }

    @Test("A refusing hub is retried with backoff until it accepts; a draft notifies nobody")
    func retries() async throws {
        let hubDouble = HubDouble(refusing: 1)
        try await hubDouble.serve { hubURL in
            try await TestDatabase.withFresh { location in
                // setup
                let clock = TestClock()
                var settings = testSettings(location)
                settings.webSubHub = hubURL
                let hub = try DatabaseHub(location: location, logger: quietLogger)
                try await hub.migrate()
                let store = ReleaseStore(hub: hub, clock: { clock.now })
                let worker = JobWorker(hub: hub, settings: settings, logger: quietLogger, clock: { clock.now })
                _ = try await store.store(release("A draft"), options: ImportOptions(publish: false))
                _ = try await store.store(release("Published"), options: ImportOptions(publish: true))

                // MUT
                await worker.runDueJobs()
                await worker.runDueJobs()
                let failed = try await JobModel.query(on: hub.database).filter(\.$attempts == 1).all()
                await worker.runDueJobs()  // not due yet: nothing is sent
                let beforeBackoff = await hubDouble.pings.count
                clock.advance(by: 5)
                await worker.runDueJobs()

                // validation
                #expect(failed.count == 1)
                #expect(failed.first?.lastError?.contains("503") == true)
                #expect(beforeBackoff == 8, "nine pings, one refused")
                #expect(await hubDouble.pings.count == 9)
                let pending = try await JobModel.query(on: hub.database).filter(\.$doneAt == nil).count()
                #expect(pending == 0)
                await hub.shutdown()
            }
        }
    }

    @Test("An unreachable hub never blocks publishing, and nothing is lost")
    func unreachableHub() async throws {
        try await TestDatabase.withFresh { location in
            // setup: a hub address nobody listens on
            let clock = TestClock()
            var settings = testSettings(location)
            settings.webSubHub = URL(string: "http://127.0.0.1:9/")!
            let hub = try DatabaseHub(location: location, logger: quietLogger)
            try await hub.migrate()
            let store = ReleaseStore(hub: hub, clock: { clock.now })
            let worker = JobWorker(hub: hub, settings: settings, logger: quietLogger, webSubTimeout: .seconds(1), clock: { clock.now })

            // MUT
            let outcome = try await store.store(release("Published while the hub is down"), options: ImportOptions(publish: true))
            await worker.runDueJobs()
            await worker.runDueJobs()

            // validation
            guard case .imported(_, _, let status) = outcome else { Issue.record("not imported"); return }
            #expect(status == "published")
            let pings = try await JobModel.query(on: hub.database).filter(\.$kind == JobKind.webSubPing.rawValue).all()
            #expect(pings.count == 9)
            #expect(pings.allSatisfy { $0.doneAt == nil && $0.failedAt == nil && $0.attempts == 1 && $0.runAt > clock.now })
            await hub.shutdown()
        }
    }
}
