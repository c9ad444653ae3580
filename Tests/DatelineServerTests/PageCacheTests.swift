import DatelineCore
@testable import DatelineServer
import FluentKit
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Hummingbird
import HummingbirdCore
import HummingbirdTesting
import ReleaseImport
import SQLKit
import Testing

/// One answer of the site, as the page cache tests read it.
struct CacheAnswer {
    var status: HTTPResponse.Status
    var headers: HTTPFields
    var body: Data
    var text: String { String(decoding: body, as: UTF8.self) }
    /// `X-Cache`: `hit` or `miss`.
    var cacheStatus: String? { headers[PageCacheMiddleware<DatelineRequestContext>.statusHeader] }
}

func fetch(_ client: any TestClientProtocol, _ path: String, method: HTTPRequest.Method = .get, headers: HTTPFields = [:]) async throws -> CacheAnswer {
    try await client.execute(uri: path, method: method, headers: headers) { CacheAnswer(status: $0.status, headers: $0.headers, body: Data(buffer: $0.body)) }
}

/// Asks for `path` until the cache answers it from memory, and returns that answer; records an
/// issue when it never does (so no test here can pass with a cache that holds nothing).
@discardableResult
func primed(_ client: any TestClientProtocol, _ path: String, sourceLocation: SourceLocation = #_sourceLocation) async throws -> CacheAnswer {
    var answer = try await fetch(client, path)
    // Up to a hundred tries: on a loaded machine the log's reader may lag, and lookups then miss.
    for _ in 0..<100 where answer.cacheStatus != "hit" {
        #expect(answer.status == .ok, "\(path) answers", sourceLocation: sourceLocation)
        try await Task.sleep(for: .milliseconds(20))
        answer = try await fetch(client, path)
    }
    #expect(answer.cacheStatus == "hit", "\(path) is answered from the cache", sourceLocation: sourceLocation)
    return answer
}

/// The plain bytes of gzip-coded `data`, decoded by the system's gzip (not the code under test).
func gunzip(_ data: Data) throws -> Data {
    let file = FileManager.default.temporaryDirectory.appendingPathComponent("dateline-gz-\(UUID().uuidString).gz")
    try data.write(to: file)
    defer { try? FileManager.default.removeItem(at: file) }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/gzip")
    process.arguments = ["-dc", file.path]
    let output = Pipe()
    process.standardOutput = output
    try process.run()
    let decoded = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else { throw CocoaError(.fileReadCorruptFile) }
    return decoded
}

/// The site as `serve` builds it (the invalidation feed running), with `X-Cache` reported, on
/// a fresh database; the test gets the client, the server's hub, a second hub on the same
/// database (as another process's writes come), and the cache to look inside.
func withCachedSite(
    clock: TestClock = TestClock(),
    _ test: @escaping @Sendable (any TestClientProtocol, DatabaseHub, DatabaseHub, PageCache) async throws -> Void
) async throws {
    try await TestDatabase.withFresh { location in
        var settings = testSettings(location)
        settings.pageCacheStatusHeader = true
        let hub = try DatabaseHub(location: location, logger: quietLogger)
        let other = try DatabaseHub(location: location, logger: quietLogger)
        do {
            try await hub.migrate()
            let renderer = try await PageRenderer.load(resourcesDirectory: settings.resourcesDirectory)
            let cache = PageCache(megabytes: settings.pageCacheMegabytes, reportsStatus: true, hub: hub, clock: { clock.now }, logger: quietLogger)
            await cache.poll()
            var app = Application(router: buildRouter(settings: settings, hub: hub, renderer: renderer, clock: { clock.now }, pageCache: cache), logger: quietLogger)
            app.addServices(PageCacheInvalidationFeed(cache: cache))
            try await app.test(.router) { client in try await test(client, hub, other, cache) }
            await other.shutdown()
            await hub.shutdown()
        } catch {
            await other.shutdown()
            await hub.shutdown()
            throw error
        }
    }
}

func cacheFixture(_ headline: String, organization: String = "Rivers Trust", body: String = "The trust opened it today.", embargoedUntil: Date? = nil) -> ImportedRelease {
    var release = ImportedRelease(headline: headline, language: "en")
    release.issuer = organization
    release.body = [body]
    if let embargoedUntil {
        release.releaseTiming = .embargoed
        release.embargoUntil = embargoedUntil
    }
    return release
}

@Suite("Page cache")
struct PageCacheTests {
    /// The listings a change of a Rivers Trust release under the topic Water shows in.
    static let listings = [
        "/", "/organizations/rivers-trust", "/topics/water", "/feed.atom", "/feed.json", "/organizations/rivers-trust/feed.rss",
        "/topics/water/feed.atom", "/languages/en/feed.json", "/api/ninjs", "/sitemaps/news.xml",
    ]

    @Test("A cached page reflects a publish, a correction, a retraction and an embargo lift on its very next request")
    func changesReachTheNextRequest() async throws {
        let clock = TestClock()
        try await withCachedSite(clock: clock) { client, _, other, cache in
            // setup: one public release and one embargoed an hour, both Rivers Trust under Water
            let store = ReleaseStore(hub: other, clock: { clock.now })
            let water = ImportOptions(publish: true, topics: ["Water"])
            guard case .imported(_, let first, _) = try await store.store(cacheFixture("Wetlands open on the Aire"), options: water),
                  case .imported(_, let embargoed, _) = try await store.store(cacheFixture("Merger agreed", embargoedUntil: clock.now.addingTimeInterval(3600)), options: water)
            else { Issue.record("not imported"); return }
            let documents = ["/releases/\(first)", "/releases/\(first)/ninjs.json", "/releases/\(first)/ninjs3.json", "/releases/\(first)/newsml.xml"]

            // A publish (import --publish, as `dateline import` does it) reaches every listing.
            for path in Self.listings { try await primed(client, path) }
            guard case .imported(_, let second, _) = try await store.store(cacheFixture("Library opens on Sunday"), options: water) else { Issue.record("not imported"); return }
            for path in Self.listings {
                let answer = try await fetch(client, path)
                #expect(answer.text.contains("Library opens on Sunday") || answer.text.contains(second), "\(path) shows the release just published")
            }

            // A correction reaches the release's documents and the feeds.
            for path in documents + ["/feed.atom", "/api/ninjs"] { try await primed(client, path) }
            try await ReleaseCorrections(hub: other, clock: { clock.now }).correct(first, body: "The trust opened four wetlands. CORRECTEDWORD", note: "Four, not three.", actor: "test")
            for path in documents + ["/feed.atom", "/api/ninjs"] {
                #expect(try await fetch(client, path).text.contains("CORRECTEDWORD"), "\(path) shows the correction")
            }

            // A retraction: the notice on its page and documents, and it leaves the listings.
            for path in documents + Self.listings { try await primed(client, path) }
            try await ReleaseCorrections(hub: other, clock: { clock.now }).retract(first, note: "Issued in error.", actor: "test")
            #expect(try await fetch(client, "/releases/\(first)").text.contains("Notice to disregard"))
            #expect(try await fetch(client, "/releases/\(first)/ninjs.json").text.contains("\"canceled\""))
            #expect(try await fetch(client, "/releases/\(first)/newsml.xml").text.contains("stat:canceled"))
            for path in ["/", "/organizations/rivers-trust", "/topics/water"] {
                #expect(!(try await fetch(client, path).text.contains("Wetlands open on the Aire")), "\(path) no longer lists the retracted release")
            }
            #expect(try await fetch(client, "/feed.atom").text.contains("Retracted: Wetlands open on the Aire"))

            // An embargo lift by the scheduler (a write) reaches every listing.
            for path in Self.listings { try await primed(client, path) }
            #expect(try await fetch(client, "/releases/\(embargoed)").status == .notFound)
            clock.advance(by: 3601)
            #expect(await ReleaseScheduler(hub: other, logger: quietLogger, clock: { clock.now }).publishDue().count == 1)
            for path in Self.listings {
                let answer = try await fetch(client, path)
                #expect(answer.text.contains("Merger agreed") || answer.text.contains(embargoed), "\(path) shows the release at its lift")
            }
            #expect(try await fetch(client, "/releases/\(embargoed)").status == .ok)
            #expect(cache.statistics.hits > 30, "the pages were answered from the cache between the changes")
        }
    }

    @Test("A listing cached before a lift time is not answered after it, even when nothing is written at the lift")
    func liftWithoutWrite() async throws {
        let clock = TestClock()
        try await withCachedSite(clock: clock) { client, _, other, _ in
            // setup: a release public by status whose lift time is still ahead, as when a
            // process whose clock runs ahead published it: it becomes listable with no write.
            let store = ReleaseStore(hub: other, clock: { clock.now })
            let water = ImportOptions(publish: true, topics: ["Water"])
            _ = try await store.store(cacheFixture("Wetlands open on the Aire"), options: water)
            guard case .imported(let id, let slug, _) = try await store.store(cacheFixture("Dam removal begins", embargoedUntil: clock.now.addingTimeInterval(120)), options: water) else {
                Issue.record("not imported"); return
            }
            try await other.writeSQL { try await $0.raw("UPDATE releases SET status = 'published', published_at = \(bind: clock.now) WHERE id = \(bind: id)").run() }
            for path in Self.listings {
                let answer = try await primed(client, path)
                #expect(!answer.text.contains("Dam removal begins") && !answer.text.contains(slug), "\(path) before the lift time")
            }

            // MUT: the lift time passes, well within the entries' longest life; nothing is written.
            #expect(PageCache.maximumAge > 121)
            clock.advance(by: 121)

            // validation
            for path in Self.listings {
                let answer = try await fetch(client, path)
                #expect(answer.text.contains("Dam removal begins") || answer.text.contains(slug), "\(path) shows the release once its lift time has passed")
            }
        }
    }

    @Test("A publish, an appeal edit and an organization edit through the newsroom reach the cached pages")
    func newsroomChanges() async throws {
        let clock = TestClock()
        try await withCachedSite(clock: clock) { client, hub, other, _ in
            // setup: an editor and an admin; one public release of Rivers Trust
            let store = ReleaseStore(hub: other, clock: { clock.now })
            guard case .imported(_, let first, _) = try await store.store(cacheFixture("Wetlands open on the Aire"), options: ImportOptions(publish: true, topics: ["Water"])) else {
                Issue.record("not imported"); return
            }
            let accounts = Accounts(hub: hub, bcryptCost: 4)
            try await accounts.createUser(email: "ed@wire.example", name: "Ed", role: .editor, password: "correct horse battery")
            try await accounts.createUser(email: "ad@wire.example", name: "Ad", role: .admin, password: "correct horse battery")
            let editor = try await signInFully(client, email: "ed@wire.example", hub: hub, clock: clock)
            let admin = try await signInFully(client, email: "ad@wire.example", hub: hub, clock: clock)

            // A draft approved by an editor.
            for path in Self.listings { try await primed(client, path) }
            let fields = ["_csrf": try await csrfToken(client, jar: editor), "organization": "rivers-trust", "headline": "Otters return to the Aire",
                          "language": "en", "timing": "immediate", "body": "Otters were seen again.", "topics": "Water"]
            let created = try await post(client, "/newsroom/releases", fields, jar: editor)
            let path = try #require(created.location)
            let approved = try await post(client, "\(path)/approve", ["_csrf": try await csrfToken(client, jar: editor), "decision": "now"], jar: editor)
            #expect(approved.status == .seeOther)
            for path in Self.listings {
                let answer = try await fetch(client, path)
                #expect(answer.text.contains("Otters return to the Aire") || answer.text.contains("otters-return-to-the-aire"), "\(path) shows the approved release")
            }

            // The support appeal, shown on release pages.
            try await primed(client, "/releases/\(first)")
            let appeal = try await post(client, "/newsroom/admin/appeal", ["_csrf": try await csrfToken(client, jar: admin), "heading": "Keep the wire free APPEALWORD", "text": "Please give."], jar: admin)
            #expect(appeal.status == .ok)
            #expect(try await fetch(client, "/releases/\(first)").text.contains("APPEALWORD"))

            // The organization's profile, shown on its page and its releases' pages.
            for path in ["/releases/\(first)", "/organizations/rivers-trust"] { try await primed(client, path) }
            let profile = try await post(client, "/newsroom/admin/organizations/rivers-trust", ["_csrf": try await csrfToken(client, jar: admin), "name": "Rivers Trust", "boilerplate": "We keep rivers clean. PROFILEWORD"], jar: admin)
            #expect(profile.status == .seeOther)
            for path in ["/releases/\(first)", "/organizations/rivers-trust"] {
                #expect(try await fetch(client, path).text.contains("PROFILEWORD"), "\(path) shows the new profile")
            }
        }
    }

    @Test("A draft or embargoed release never enters the cache under any address, and no newsroom, embargo-link or subscription page does")
    func hiddenReleasesNeverCached() async throws {
        let clock = TestClock()
        try await withCachedSite(clock: clock) { client, hub, other, cache in
            // setup: a public release, a draft and an embargoed one, each hidden one with words of its own
            let store = ReleaseStore(hub: other, clock: { clock.now })
            let water = ImportOptions(publish: true, topics: ["Water"])
            let draftWord = "DRAFTWORD\(Int.random(in: 1000...9999))"
            let embargoWord = "EMBARGOWORD\(Int.random(in: 1000...9999))"
            guard case .imported(_, let visible, _) = try await store.store(cacheFixture("Wetlands open on the Aire"), options: water),
                  case .imported(_, let draft, _) = try await store.store(cacheFixture("Draft plans \(draftWord)", body: "Secret \(draftWord)."), options: ImportOptions(publish: false, topics: ["Water", "Secret \(draftWord)"])),
                  case .imported(let embargoedID, let embargoed, _) = try await store.store(cacheFixture("Merger agreed \(embargoWord)", organization: "Hidden Holdings \(embargoWord)", body: "Terms \(embargoWord).", embargoedUntil: clock.now.addingTimeInterval(3600)), options: water)
            else { Issue.record("not imported"); return }
            let links = EmbargoLinks(hub: other, settings: testSettings(hub.location), clock: { clock.now })
            try await links.addJournalist(name: "Ada Reporter", email: "ada@ledger.example", outlet: "The Ledger")
            let link = try await links.issue(release: embargoed, journalistEmail: "ada@ledger.example")
            let linkPath = try #require(URLComponents(string: link.absoluteString)?.path)

            // MUT: every address of the hidden releases and every listing, GET and HEAD, plain and gzip
            var paths = Self.listings + [
                "/?page=1", "/?page=2", "/feed.rss", "/sitemap.xml", "/sitemaps/pages.xml", "/robots.txt",
                "/releases/\(visible)", "/organizations/hidden-holdings-\(embargoWord.lowercased())", "/topics/secret-\(draftWord.lowercased())",
                linkPath, "/newsroom/sign-in", "/subscribe", "/share/mastodon?text=hello",
            ]
            for slug in [draft, embargoed, embargoedID] {
                paths += ["/releases/\(slug)", "/releases/\(slug)/ninjs.json", "/releases/\(slug)/ninjs3.json", "/releases/\(slug)/newsml.xml",
                          "/?before=\(slug)", "/?after=\(slug)", "/organizations/rivers-trust?before=\(slug)", "/topics/water?after=\(slug)"]
            }
            for path in paths {
                for method in [HTTPRequest.Method.get, .head] {
                    for encoding in ["", "gzip"] {
                        let answer = try await fetch(client, path, method: method, headers: encoding.isEmpty ? [:] : [.acceptEncoding: encoding])
                        if path != linkPath {
                            #expect(!answer.text.contains(draftWord) && !answer.text.contains(embargoWord), "\(path) shows hidden text")
                        }
                    }
                }
                _ = try await fetch(client, path)
            }
            // The embargo link shows the release to its journalist, and is never held.
            let linkAnswer = try await fetch(client, linkPath)
            #expect(linkAnswer.status == .ok && linkAnswer.text.contains(embargoWord))
            #expect(linkAnswer.cacheStatus == nil)

            // validation: what the cache holds
            let held = cache.heldResponses
            #expect(held.count >= 15, "the public listings and the visible release are held: \(held.map(\.key))")
            for (key, response) in held {
                for word in [draftWord, embargoWord, draft, embargoed, embargoedID] {
                    #expect(!key.contains(word), "a cache key names a hidden release: \(key)")
                }
                let identity = String(buffer: response.identity)
                let plain = try response.gzip.map { String(decoding: try gunzip(Data(buffer: $0)), as: UTF8.self) } ?? identity
                for word in [draftWord, embargoWord, draft, embargoed, embargoedID] {
                    #expect(!identity.contains(word) && !plain.contains(word), "the cached \(key) holds \(word)")
                }
                #expect(!key.hasPrefix("/newsroom") && !key.hasPrefix("/embargoed") && !key.hasPrefix("/subscri") && !key.hasPrefix("/share"), "\(key) is not a public read route")
            }
        }
    }

    @Test("Gzip and plain bodies are the same bytes; each has its own ETag, answers 304, and says Vary: Accept-Encoding")
    func representations() async throws {
        try await withCachedSite { client, _, other, _ in
            // setup
            let store = ReleaseStore(hub: other)
            guard case .imported(_, let slug, _) = try await store.store(cacheFixture("Wetlands open on the Aire", body: String(repeating: "The trust opened three wetlands. ", count: 40)), options: ImportOptions(publish: true, topics: ["Water"])) else {
                Issue.record("not imported"); return
            }
            for path in ["/", "/releases/\(slug)", "/feed.atom", "/releases/\(slug)/ninjs.json", "/sitemap.xml", "/robots.txt"] {
                // MUT: the first answer is a miss, then hits; plain, gzip, and gzip refused
                let first = try await fetch(client, path, headers: [.acceptEncoding: "gzip, deflate, br"])
                #expect(first.cacheStatus == "miss", "\(path)")
                try await primed(client, path)
                let plain = try await fetch(client, path)
                let coded = try await fetch(client, path, headers: [.acceptEncoding: "gzip, deflate, br"])
                let refused = try await fetch(client, path, headers: [.acceptEncoding: "gzip;q=0, br"])
                let head = try await fetch(client, path, method: .head, headers: [.acceptEncoding: "gzip"])

                // validation
                for answer in [first, plain, coded, refused, head] {
                    #expect(answer.headers[.vary] == "Accept-Encoding", "\(path)")
                    #expect(answer.headers[.cacheControl]?.contains("s-maxage=") == true && answer.headers[.cacheControl]?.contains("stale-while-revalidate=") == true, "\(path)")
                }
                #expect(plain.headers[.contentEncoding] == nil && refused.headers[.contentEncoding] == nil)
                #expect(refused.body == plain.body, "gzip;q=0 gets the plain bytes")
                #expect(plain.headers[.contentLength] == String(plain.body.count))
                let plainTag = try #require(plain.headers[.eTag])
                if path == "/robots.txt" && coded.headers[.contentEncoding] == nil {
                    // Too short to gain from gzip: the plain bytes for everyone.
                    #expect(coded.body == plain.body)
                    continue
                }
                #expect(coded.headers[.contentEncoding] == "gzip", "\(path)")
                #expect(try gunzip(coded.body) == plain.body, "\(path): gzip and plain are the same bytes")
                #expect(try gunzip(first.body) == plain.body, "\(path): the miss is coded as the hits are")
                #expect(coded.headers[.contentLength] == String(coded.body.count))
                let codedTag = try #require(coded.headers[.eTag])
                #expect(codedTag != plainTag && codedTag.hasSuffix("-gz\""))
                #expect(head.body.isEmpty, "\(path)")
                #expect(head.headers[.contentLength] == String(coded.body.count), "\(path)")
                #expect(head.headers[.eTag] == codedTag, "\(path)")
                // Revalidation, each representation by its own tag.
                let plain304 = try await fetch(client, path, headers: [.ifNoneMatch: plainTag])
                let coded304 = try await fetch(client, path, headers: [.ifNoneMatch: codedTag, .acceptEncoding: "gzip"])
                let crossed = try await fetch(client, path, headers: [.ifNoneMatch: plainTag, .acceptEncoding: "gzip"])
                #expect(plain304.status == .notModified && plain304.body.isEmpty && plain304.headers[.eTag] == plainTag)
                #expect(coded304.status == .notModified && coded304.headers[.eTag] == codedTag && coded304.headers[.vary] == "Accept-Encoding")
                #expect(crossed.status == .ok && crossed.headers[.contentEncoding] == "gzip", "the plain bytes' tag does not validate the gzip bytes")
                if let lastModified = plain.headers[.lastModified] {
                    #expect(try await fetch(client, path, headers: [.ifModifiedSince: lastModified]).status == .notModified)
                }
            }
        }
    }

    @Test("With DATELINE_PAGE_CACHE_MB=0 there is no cache: plain bytes only, revalidation as before")
    func cacheOff() async throws {
        try await TestDatabase.withFresh { location in
            var settings = testSettings(location)
            settings.pageCacheMegabytes = 0
            settings.pageCacheStatusHeader = true
            let app = try await buildApplication(settings: settings, runJobs: false, logger: quietLogger)
            try await app.test(.router) { client in
                let first = try await fetch(client, "/feed.atom", headers: [.acceptEncoding: "gzip"])
                let second = try await fetch(client, "/feed.atom", headers: [.acceptEncoding: "gzip"])
                #expect(first.status == .ok && first.cacheStatus == nil && second.cacheStatus == nil)
                #expect(first.headers[.contentEncoding] == nil)
                #expect(first.headers[.vary] == "Accept-Encoding")
                let tag = try #require(first.headers[.eTag])
                #expect(try await fetch(client, "/feed.atom", headers: [.ifNoneMatch: tag]).status == .notModified)
            }
        }
    }

    @Test("A render that read the database before an invalidation is not stored after it")
    func raceLost() async throws {
        try await withCachedSite { _, hub, _, cache in
            // setup
            let route = try #require(PageCacheRoute.of(URI("/")))
            let response = CachedResponse(body: ByteBuffer(string: "stale listing"), headers: [.contentType: "text/html"])
            let ticket = cache.ticket()

            // MUT: a publish commits while the render runs
            try await hub.write { try await PageCacheInvalidation.record([.listings], on: $0) }
            let stored = await cache.store(response, route: route, ticket: ticket)

            // validation
            #expect(!stored)
            #expect(cache.statistics.racesLost == 1)
            // (The feed may read the row back meanwhile, which refuses a store begun before it.)
            var later = false
            for _ in 0..<3 where !later { later = await cache.store(response, route: route, ticket: cache.ticket()) }
            #expect(later, "a render begun after it is stored")
        }
    }

    @Test("The cache stays within its bound, dropping the least recently used")
    func bound() async throws {
        try await TestDatabase.withFresh { location in
            let hub = try DatabaseHub(location: location, logger: quietLogger)
            try await hub.migrate()
            // The log is read once and trusted for the whole test: a loaded machine must not turn lookups into misses.
            let cache = PageCache(megabytes: 1, reportsStatus: false, hub: hub, clock: { Date(timeIntervalSince1970: 1_780_000_000) }, logger: quietLogger, maximumLag: .seconds(3600))
            await cache.poll()
            // Random bytes do not compress: each entry costs about 100 KB.
            let noise = (0..<200_000).map { _ in UInt8.random(in: 0...255) }
            func body() -> ByteBuffer { ByteBuffer(bytes: noise.prefix(100_000)) }
            let kept = try #require(PageCacheRoute.of(URI("/releases/kept")))
            #expect(await cache.store(CachedResponse(body: body(), headers: [:]), route: kept, ticket: cache.ticket()))
            for number in 1...30 {
                let route = try #require(PageCacheRoute.of(URI("/releases/filler-\(number)")))
                #expect(await cache.store(CachedResponse(body: body(), headers: [:]), route: route, ticket: cache.ticket()))
                if case .miss = cache.lookup(kept.key) { Issue.record("the entry used most recently was dropped") }
            }
            let statistics = cache.statistics
            #expect(statistics.bytes <= cache.byteLimit)
            #expect(statistics.evictions > 0)
            #expect(statistics.entries < 31)
            let tooLarge = try #require(PageCacheRoute.of(URI("/releases/too-large")))
            #expect(!(await cache.store(CachedResponse(body: ByteBuffer(bytes: noise), headers: [:]), route: tooLarge, ticket: cache.ticket())), "an entry over an eighth of the bound is not kept")
            await hub.shutdown()
        }
    }

    @Test("Only the public read routes are cache routes, keyed by path and listing position")
    func routes() throws {
        func key(_ path: String) -> String? { PageCacheRoute.of(URI(path))?.key }
        for path in ["/", "/releases/a-b", "/releases/a-b/ninjs.json", "/releases/a-b/ninjs3.json", "/releases/a-b/newsml.xml", "/organizations/x",
                     "/organizations/x/feed.atom", "/topics/x/feed.json", "/languages/en/feed.rss", "/feed.rss", "/api/ninjs", "/sitemap.xml",
                     "/sitemaps/pages.xml", "/sitemaps/news.xml", "/sitemaps/releases/3", "/sitemaps/releases/2026-W22", "/robots.txt"] {
            #expect(key(path) == path, "\(path)")
        }
        for path in ["/newsroom", "/newsroom/releases", "/embargoed/abc", "/subscription?token=x", "/unsubscribe?token=x", "/subscribe",
                     "/share/mastodon", "/css/site.css", "/releases/a-b/preview", "/releases/A-B", "/releases//x", "/releases/a-b/",
                     "/?page=2&before=x", "/?page=1&page=2", "/?page=two", "/?before=Not%20a%20slug", "/api/ninjs?after=x"] {
            #expect(key(path) == nil, "\(path) is not a cache route")
        }
        #expect(key("/?page=02") == "/?page=2")
        // Parameters a route does not read are left out of the key and of what it renders.
        for (path, expected) in [("/feed.atom?x=1", "/feed.atom"), ("/releases/a-b?page=2", "/releases/a-b"), ("/?utm_source=x", "/"),
                                 ("/?utm_source=x&before=a-b&fbclid=y", "/?before=a-b"), ("/api/ninjs?before=a-b&utm_medium=m", "/api/ninjs?before=a-b")] {
            #expect(key(path) == expected, "\(path)")
            #expect(PageCacheRoute.of(URI(path))?.target == expected, "\(path)")
        }
        #expect(PageCacheRoute.of(URI("/?before=caf%C3%A9"))?.target == "/?before=caf%C3%A9")
        // Slugs are checked as the controllers check them, ASCII ones by a shortcut.
        for segment in ["a", "a-b", "2026-budget", "-a", "a-", "a--b", "", "A", "a_b", "a%2Db", "caf%C3%A9", "caf%C3%89", "%2D", String(repeating: "a", count: 88), String(repeating: "a", count: 89)] {
            let expected = segment.removingPercentEncoding.flatMap(Slug.init(validating:)).map { _ in "/releases/" + segment }
            #expect(key("/releases/" + segment) == expected, "\(segment)")
        }
        #expect(key("/topics/x?before=some-slug") == "/topics/x?before=some-slug")
        #expect(PageCacheRoute.of(URI("/releases/caf%C3%A9"))?.tags == [.release("café"), .appeal])
        #expect(PageCacheRoute.of(URI("/releases/a-b/ninjs.json"))?.listsReleases == false)
        #expect(PageCacheRoute.of(URI("/organizations/x"))?.tags == [.listings])
    }

    @Test("Accept-Encoding: gzip only when accepted with a weight above 0 and not below identity's")
    func acceptEncoding() {
        #expect(AcceptEncoding.prefersGzip("gzip, deflate, br"))
        #expect(AcceptEncoding.prefersGzip("br;q=1.0, gzip;q=0.8, *;q=0.1"))
        #expect(AcceptEncoding.prefersGzip("*"))
        #expect(AcceptEncoding.prefersGzip("x-gzip"))
        #expect(!AcceptEncoding.prefersGzip(nil))
        #expect(!AcceptEncoding.prefersGzip(""))
        #expect(!AcceptEncoding.prefersGzip("identity"))
        #expect(!AcceptEncoding.prefersGzip("gzip;q=0"))
        #expect(!AcceptEncoding.prefersGzip("gzip;q=0.000, *"))
        #expect(!AcceptEncoding.prefersGzip("*;q=0"))
        #expect(!AcceptEncoding.prefersGzip("br"))
        #expect(!AcceptEncoding.prefersGzip("gzip;q=0.5, identity"))
    }

    @Test("DATELINE_PAGE_CACHE_MB and DATELINE_PAGE_CACHE_HEADER are read and checked")
    func settings() throws {
        #expect(try Settings.load(environment: [:], dotEnvFile: nil).pageCacheMegabytes == 48)
        #expect(try Settings.load(environment: ["DATELINE_PAGE_CACHE_MB": "0"], dotEnvFile: nil).pageCacheMegabytes == 0)
        #expect(try Settings.load(environment: ["DATELINE_PAGE_CACHE_MB": "256"], dotEnvFile: nil).pageCacheMegabytes == 256)
        #expect(try Settings.load(environment: ["DATELINE_PAGE_CACHE_HEADER": "1"], dotEnvFile: nil).pageCacheStatusHeader)
        #expect(throws: SettingsError.self) { try Settings.load(environment: ["DATELINE_PAGE_CACHE_MB": "-1"], dotEnvFile: nil) }
        #expect(throws: SettingsError.self) { try Settings.load(environment: ["DATELINE_PAGE_CACHE_MB": "lots"], dotEnvFile: nil) }
        #expect(throws: SettingsError.self) { try Settings.load(environment: ["DATELINE_PAGE_CACHE_HEADER": "maybe"], dotEnvFile: nil) }
    }
}

/// Two real `dateline serve` processes on one database, as behind a load balancer.
@Suite("Page cache across processes")
struct PageCacheProcessTests {
    /// GET `path` from a live server: status, `X-Cache` and body.
    func get(_ site: LiveSite, _ path: String) async throws -> (status: Int, cache: String?, body: String) {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(site.port)\(path)")!)
        request.timeoutInterval = 15
        request.cachePolicy = .reloadIgnoringLocalCacheData
        let (data, response) = try await URLSession.shared.data(for: request)
        let http = response as? HTTPURLResponse
        return (http?.statusCode ?? 0, http?.value(forHTTPHeaderField: "X-Cache"), String(decoding: data, as: UTF8.self))
    }

    /// Asks until the server answers from its cache.
    func prime(_ site: LiveSite, _ path: String) async throws {
        for _ in 0..<50 {
            if try await get(site, path).cache == "hit" { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        Issue.record("\(path) on port \(site.port) was never answered from the cache")
    }

    /// Asks until `path` shows `text` (up to eight seconds; the promise is one); whether it came.
    func waitFor(_ site: LiveSite, _ path: String, shows text: String, present: Bool = true) async throws -> Bool {
        let deadline = ContinuousClock.now + .seconds(8)
        while ContinuousClock.now < deadline {
            if try await get(site, path).body.contains(text) == present { return true }
            try await Task.sleep(for: .milliseconds(50))
        }
        return false
    }

    @Test("Changes made through one serve process, or by the command line, reach the other's cache")
    func twoServers() async throws {
        try await TestDatabase.withFresh { location in
            // setup: one public release; the first server runs the scheduler, the second does not
            let hub = try DatabaseHub(location: location, logger: quietLogger)
            try await hub.migrate()
            let store = ReleaseStore(hub: hub)
            guard case .imported(_, let first, _) = try await store.store(cacheFixture("Wetlands open on the Aire"), options: ImportOptions(publish: true, topics: ["Water"])) else {
                Issue.record("not imported"); return
            }
            let environment = ["DATELINE_PAGE_CACHE_HEADER": "1"]
            let scheduling = try await LiveSite(location, jobs: true, environment: environment)
            let serving = try await LiveSite(location, jobs: false, environment: environment)
            defer {
                scheduling.stop()
                serving.stop()
            }
            let sites = [scheduling, serving]
            for site in sites { for path in ["/", "/releases/\(first)", "/topics/water", "/feed.atom"] { try await prime(site, path) } }

            // A release imported and published by `dateline import --publish`, another process.
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("dateline-cache-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: folder) }
            let file = folder.appendingPathComponent("release.txt")
            try Data(batchReleaseFiles(1, label: "otter").values.first!).write(to: file)
            let importer = try startDateline(["import", "--publish", file.path], database: location)
            #expect(await waitForExit(importer, timeout: 60) && importer.terminationStatus == 0)
            for site in sites {
                #expect(try await waitFor(site, "/", shows: "Otter Station 0"), "port \(site.port): the imported release is listed")
                #expect(try await waitFor(site, "/feed.atom", shows: "Otter Station 0"))
            }

            // A retraction by `dateline retract`.
            for site in sites { for path in ["/", "/releases/\(first)"] { try await prime(site, path) } }
            let retract = try startDateline(["retract", first, "--note", "Issued in error."], database: location)
            #expect(await waitForExit(retract, timeout: 60) && retract.terminationStatus == 0)
            for site in sites {
                #expect(try await waitFor(site, "/releases/\(first)", shows: "Notice to disregard"), "port \(site.port): the retraction shows")
                #expect(try await waitFor(site, "/", shows: "Wetlands open on the Aire", present: false))
            }

            // An embargo lifted by the first server's scheduler: the second server's cache drops its listings.
            _ = try await store.store(cacheFixture("Merger agreed", embargoedUntil: Date().addingTimeInterval(3)), options: ImportOptions(publish: true, topics: ["Water"]))
            for site in sites { for path in ["/", "/feed.atom"] { try await prime(site, path) } }
            #expect(try await waitFor(serving, "/", shows: "Merger agreed"), "the second server shows the release the first published at its lift")
            #expect(try await waitFor(serving, "/feed.atom", shows: "Merger agreed"))
            let events = try await hub.database.withSQL { try await $0.raw("SELECT actor FROM release_events WHERE to_status = 'published' AND actor = 'system:scheduler'").all() }
            #expect(events.count == 1, "the first server's scheduler published it")
            await hub.shutdown()
        }
    }
}
