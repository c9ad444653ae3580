import DatelineCore
@testable import DatelineServer
import FluentKit
import Foundation
import Hummingbird
import HummingbirdTesting
import ReleaseImport
import Testing

@Suite("Embargo and scheduler")
struct EmbargoTests {
    func embargoed(_ headline: String, until: Date, marker: String = "") -> ImportedRelease {
        var release = ImportedRelease(headline: headline, language: "en")
        release.issuer = "Rivers Trust"
        release.releaseTiming = .embargoed
        release.embargoUntil = until
        release.body = ["Results for the quarter. \(marker)"]
        return release
    }

    @Test("import --publish of an embargoed release holds it until its lift time, then the scheduler publishes it once and records who and when")
    func liftTime() async throws {
        try await TestDatabase.withFresh { location in
            // setup
            let clock = TestClock()
            let hub = try DatabaseHub(location: location, logger: quietLogger)
            try await hub.migrate()
            let store = ReleaseStore(hub: hub, clock: { clock.now })
            let scheduler = ReleaseScheduler(hub: hub, logger: quietLogger, clock: { clock.now })
            guard case .imported(let id, _, let status) = try await store.store(embargoed("Quarterly results", until: clock.now.addingTimeInterval(60)), options: ImportOptions(publish: true)) else {
                Issue.record("not imported"); return
            }

            // MUT
            let early = await scheduler.publishDue()
            clock.advance(by: 61)
            let onTime = await scheduler.publishDue()
            let again = await scheduler.publishDue()

            // validation
            #expect(status == "embargoed")
            #expect(early.isEmpty)
            #expect(onTime == [id])
            #expect(again.isEmpty, "published exactly once")
            let release = try #require(try await ReleaseModel.find(id, on: hub.database))
            #expect(release.status == "published")
            #expect(release.publishedAt == clock.now)
            let history = try await ReleaseEventModel.query(on: hub.database).filter(\.$release.$id == id).sort(\.$at).all()
            #expect(history.map(\.toStatus) == ["embargoed", "published"])
            #expect(history.map(\.actor) == ["cli:import", "system:scheduler"])
            #expect(history.last?.fromStatus == "embargoed")
            let announcements = try await JobModel.query(on: hub.database).filter(\.$kind == JobKind.releaseChanged.rawValue).count()
            #expect(announcements == 1)
            await hub.shutdown()
        }
    }

    @Test("Two worker processes sharing one database publish each due release exactly once")
    func twoProcesses() async throws {
        try await TestDatabase.withFresh { location in
            // setup: thirty releases whose embargo lifts two seconds from now
            let hub = try DatabaseHub(location: location, logger: quietLogger)
            try await hub.migrate()
            let store = ReleaseStore(hub: hub)
            let lift = Date().addingTimeInterval(2)
            for number in 1...30 {
                _ = try await store.store(embargoed("Results of fund \(number)", until: lift), options: ImportOptions(publish: true))
            }
            let workers = try (1...2).map { _ in try startDateline(["worker"], database: location) }

            // MUT: wait for the lift time and a few polls, with nobody visiting
            var published = 0
            for _ in 0..<60 where published < 30 {
                try await Task.sleep(for: .milliseconds(250))
                published = try await ReleaseModel.query(on: hub.database).filter(\.$status == "published").count()
            }
            for worker in workers { worker.terminate() }
            for worker in workers { worker.waitUntilExit() }

            // validation
            #expect(published == 30)
            let events = try await ReleaseEventModel.query(on: hub.database).filter(\.$toStatus == "published").all()
            #expect(events.count == 30, "one publication per release, whichever process made it")
            #expect(Set(events.map(\.$release.id)).count == 30)
            await hub.shutdown()
        }
    }

    @Test("Before its lift time an embargoed release is on no public route, and every route answers as for a release that does not exist; after it, it appears")
    func leakTest() async throws {
        try await TestDatabase.withFresh { location in
            // setup
            let clock = TestClock()
            let settings = testSettings(location)
            let hub = try DatabaseHub(location: location, logger: quietLogger)
            try await hub.migrate()
            let store = ReleaseStore(hub: hub, clock: { clock.now })
            let marker = "LEAK-\(UUID().uuidString)"
            guard case .imported(let id, let slug, _) = try await store.store(embargoed("Merger agreed \(marker)", until: clock.now.addingTimeInterval(3600), marker: marker), options: ImportOptions(publish: true, topics: ["Finance"])) else {
                Issue.record("not imported"); return
            }
            var visible = ImportedRelease(headline: "Annual report", language: "en")
            visible.issuer = "Rivers Trust"
            visible.body = ["A public release."]
            _ = try await store.store(visible, options: ImportOptions(publish: true, topics: ["Finance"]))
            // A photo and a document on the embargoed release: every rendition's file is a secret too.
            // Each media item's id too: the picture item's route takes it.
            let files = try await TestMedia.attachBoth(toRelease: id, hub: hub, settings: settings)
                + (try await MediaStore.media(ofRelease: id, on: hub.database)).map(\.id.rawValue)
            #expect(files.count >= 3, "\(files)")
            let neverAFile = MediaID().rawValue + ".jpg"
            let renderer = try await PageRenderer.load(resourcesDirectory: settings.resourcesDirectory)
            let router = buildRouter(settings: settings, hub: hub, renderer: renderer, clock: { clock.now })
            let routes = router.routes.filter { $0.method == .get }.map { "\($0.path)" }
            #expect(routes.count >= 20, "the routes come from the router: \(routes)")
            #expect(routes.filter { $0.contains("{slug}") }.count >= 8, "routes with a release slug: \(routes)")
            let app = Application(router: router)

            try await app.test(.router) { client in
                func fetch(_ path: String) async throws -> (status: HTTPResponse.Status, headers: [String: String], body: String) {
                    try await client.execute(uri: path, method: .get) { response in
                        var headers: [String: String] = [:]
                        for field in response.headers where field.name != .date { headers[field.name.canonicalName] = field.value }
                        return (response.status, headers, String(buffer: response.body))
                    }
                }
                // Hummingbird writes route parameters as {name}; every one must be filled.
                func fill(_ route: String, slug: String, file: String = "") -> String {
                    let path = route.replacingOccurrences(of: "{slug}", with: slug).replacingOccurrences(of: "{token}", with: slug)
                        .replacingOccurrences(of: "{file}", with: file)
                        .replacingOccurrences(of: "{id}", with: slug)
                        .replacingOccurrences(of: "{tag}", with: "en").replacingOccurrences(of: "{page}", with: "1")
                        // The sitemap file of the week both releases are dated in.
                        .replacingOccurrences(of: "{week}", with: SitemapWeek(containing: clock.now).name)
                        // The archive's year and month of the embargoed release's date.
                        .replacingOccurrences(of: "{year}", with: String(ArchiveCalendar.utc.component(.year, from: clock.now)))
                        .replacingOccurrences(of: "{month}", with: String(format: "%02d", ArchiveCalendar.utc.component(.month, from: clock.now)))
                    #expect(!path.contains("{"), "a parameter of \(route) was not filled")
                    return path
                }

                // MUT + validation: every media route, with each of the embargoed release's files
                // and with a file that never existed
                for route in routes where route.contains("{file}") {
                    let nonexistent = try await fetch(fill(route, slug: "no-such-release-ever", file: neverAFile))
                    // The newsroom's preview route sends a visitor to sign in, whatever the file.
                    let expected: HTTPResponse.Status = route.hasPrefix("/newsroom/") ? .seeOther : .notFound
                    for file in files {
                        for value in [slug, id, "no-such-release-ever"] {
                            let answer = try await fetch(fill(route, slug: value, file: file))
                            #expect(answer.status == nonexistent.status && answer.status == expected, "\(route) with \(file)")
                            #expect(answer.headers == nonexistent.headers, "\(route) with \(file)")
                            #expect(answer.body == nonexistent.body, "\(route) with \(file)")
                        }
                    }
                }
                // every other route, with the release's real id and slug, and with a slug that never existed
                for route in routes where !route.contains("{file}") {
                    for value in [slug, id, "rivers-trust", "finance"] {
                        let response = try await fetch(fill(route, slug: value))
                        #expect(!response.body.contains(marker), "\(route) with \(value) leaks the embargoed text")
                        #expect(!response.body.contains(slug) && !response.body.contains(id), "\(route) with \(value) leaks the embargoed id or slug")
                        #expect(!response.headers.values.contains { $0.contains(marker) || $0.contains(slug) })
                    }
                    if route.contains("{slug}") || route.contains("{token}") || route.contains("{id}") {
                        let embargoedAnswer = try await fetch(fill(route, slug: slug))
                        let nonexistent = try await fetch(fill(route, slug: "no-such-release-ever"))
                        #expect(embargoedAnswer.status == nonexistent.status, "\(route)")
                        #expect(embargoedAnswer.headers == nonexistent.headers, "\(route)")
                        #expect(embargoedAnswer.body == nonexistent.body, "\(route)")
                    }
                }
                let counts = try await fetch("/topics/finance")
                #expect(!counts.body.contains("Page 1 of 2"), "the embargoed release is not counted")
                // Search, page and JSON, for its unique words and its headline.
                for query in [marker, "Merger agreed", "quarter"] {
                    for route in ["/search", "/search.json"] {
                        let found = try await fetch("\(route)?q=\(SiteURL.encodeQueryValue(query))&sort=newest")
                        #expect(found.status == .ok)
                        // The page repeats the reader's query; it must show nothing of the release.
                        #expect(!found.body.contains("Merger agreed \(marker)") && !found.body.contains("quarter. \(marker)") && !found.body.contains(slug),
                                "\(route) for \(query) finds the embargoed release")
                        if route == "/search.json" { #expect(found.body.contains("\"total\":0")) }
                    }
                }

                // Past the lift time, the scheduler publishes it and it appears.
                clock.advance(by: 3601)
                await ReleaseScheduler(hub: hub, logger: quietLogger, clock: { clock.now }).publishDue()
                let home = try await fetch("/")
                #expect(home.body.contains("Merger agreed \(marker)"))
                #expect(try await fetch("/releases/\(slug)").status == .ok)
                #expect(try await fetch("/feed.atom").body.contains(marker))
                for file in files where file.contains(".") {
                    #expect(try await fetch("/media/\(file)").status == .ok, "\(file) is served once the release is public")
                }
                #expect(try await fetch("/search?q=\(marker)").body.contains("/releases/\(slug)"), "found by search right after the lift")
                #expect(try await fetch("/search.json?q=\(marker)").body.contains("/releases/\(slug)"))
            }
            await hub.shutdown()
        }
    }

    @Test("import --publish of a release whose lift time was read with a guess keeps it a draft for a person to check")
    func doubtfulLiftTimeStaysDraft() async throws {
        try await TestDatabase.withFresh { location in
            let clock = TestClock()
            let hub = try DatabaseHub(location: location, logger: quietLogger)
            try await hub.migrate()
            let store = ReleaseStore(hub: hub, clock: { clock.now })
            var doubtful = embargoed("Lift read with a guess", until: clock.now.addingTimeInterval(3600))
            doubtful.embargoUncertain = true
            guard case .imported(_, _, let status) = try await store.store(doubtful, options: ImportOptions(publish: true)) else {
                Issue.record("not imported"); return
            }
            #expect(status == "draft")
            guard case .imported(_, _, let sure) = try await store.store(embargoed("Lift read in full", until: clock.now.addingTimeInterval(3600)), options: ImportOptions(publish: true)) else {
                Issue.record("not imported"); return
            }
            #expect(sure == "embargoed")
            await hub.shutdown()
        }
    }
}

/// Starts the real `dateline` binary in the background, as an operator would run a second process.
/// Its output goes to `log` when given, else nowhere.
func startDateline(_ arguments: [String], database: DatabaseLocation, environment extra: [String: String] = [:], log: URL? = nil) throws -> Process {
    let process = Process()
    // DATELINE_TEST_BINARY chooses another build, such as the release build for the crash test.
    process.executableURL = repositoryRoot.appendingPathComponent(ProcessInfo.processInfo.environment["DATELINE_TEST_BINARY"] ?? ".build/debug/dateline")
    process.arguments = arguments
    process.currentDirectoryURL = repositoryRoot
    var environment = ProcessInfo.processInfo.environment
    switch database {
    case .sqlite(let path): environment["DATELINE_DATABASE_URL"] = path
    case .postgres(let url): environment["DATELINE_DATABASE_URL"] = url
    }
    environment.merge(extra) { _, new in new }
    process.environment = environment
    if let log {
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        process.standardOutput = handle
        process.standardError = handle
    } else {
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
    }
    try process.run()
    return process
}
