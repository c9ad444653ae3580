import DatelineCore
@testable import DatelineServer
import FluentKit
import Foundation
import Hummingbird
import HummingbirdTesting
import SQLKit
import Testing

/// The newsroom's route groups: who reaches which route (``NewsroomGateMiddleware``) and which
/// form posts are refused (``CSRFMiddleware``), for every newsroom route the router has, so a
/// route added outside its group, or a group without its middleware, fails here.
@Suite("Newsroom route groups")
struct NewsroomMiddlewareTests {
    /// Routes that work before any session: sign-in and password reset.
    static let beforeSignIn = ["/newsroom/sign-in", "/newsroom/forgot-password", "/newsroom/reset-password/{token}"]
    /// Routes of a session that has passed the password only.
    static let passwordOnly = ["/newsroom/two-factor", "/newsroom/sign-out"]

    struct Fixture {
        let releaseID: String
        let admin: CookieJar
        let member: CookieJar
        /// The draft's photo (its id) and one of its renditions' file names.
        let mediaID: String
        let mediaFile: String
    }

    /// An organization, an admin, a member with a draft, and an editor who has not set up the
    /// second factor; `test` gets the member's and the admin's signed-in jars.
    func withNewsroom(_ test: @escaping @Sendable (any TestClientProtocol, DatabaseHub, TestClock, Fixture) async throws -> Void) async throws {
        let clock = TestClock()
        try await TestDatabase.withFresh { location in
            let hub = try DatabaseHub(location: location, logger: quietLogger)
            try await hub.migrate()
            try await hub.write { try await OrganizationModel(name: "Rivers Trust", slug: Slug(making: "Rivers Trust")!).create(on: $0) }
            let accounts = Accounts(hub: hub, bcryptCost: 4)
            try await accounts.createUser(email: "admin@wire.example", name: "Ada", role: .admin, password: "correct horse battery")
            try await accounts.createUser(email: "a@rivers.example", name: "Ann", role: .member, password: "correct horse battery", organizations: ["rivers-trust"])
            try await accounts.createUser(email: "ed@wire.example", name: "Ed", role: .editor, password: "correct horse battery")
            let app = try await buildApplication(settings: testSettings(location), runJobs: false, logger: quietLogger, clock: { clock.now })
            do {
                try await app.test(.router) { client in
                    let member = try await signInFully(client, email: "a@rivers.example", hub: hub, clock: clock)
                    let created = try await post(client, "/newsroom/releases", [
                        "_csrf": try await csrfToken(client, jar: member), "organization": "rivers-trust", "headline": "Wetlands open",
                        "language": "en", "timing": "immediate", "body": "The wetlands open on Monday.",
                    ], jar: member)
                    let path = try #require(created.location)
                    let admin = try await signInFully(client, email: "admin@wire.example", hub: hub, clock: clock)
                    let releaseID = String(path.split(separator: "/").last!)
                    let files = try await TestMedia.attachBoth(toRelease: releaseID, hub: hub, settings: testSettings(location))
                    let mediaID = try #require(try await MediaStore.media(ofRelease: releaseID, on: hub.database).first?.id.rawValue)
                    try await test(client, hub, clock, Fixture(releaseID: releaseID, admin: admin, member: member, mediaID: mediaID, mediaFile: files[0]))
                }
                await hub.shutdown()
            } catch {
                await hub.shutdown()
                throw error
            }
        }
    }

    /// Every newsroom route of the router, its parameters filled with the fixture's values.
    func routes(_ hub: DatabaseHub, _ fixture: Fixture) async throws -> [(method: HTTPRequest.Method, pattern: String, uri: String)] {
        let settings = testSettings(hub.location)
        let renderer = try await PageRenderer.load(resourcesDirectory: settings.resourcesDirectory)
        let router = buildRouter(settings: settings, hub: hub, renderer: renderer, clock: { Date() })
        return router.routes.map { (method: $0.method, pattern: "\($0.path)") }
            .filter { $0.pattern.hasPrefix("/newsroom") }
            .map { route in
                let uri = route.pattern
                    .replacingOccurrences(of: "/releases/{id}", with: "/releases/\(fixture.releaseID)")
                    .replacingOccurrences(of: "{media}", with: fixture.mediaID)
                    .replacingOccurrences(of: "{file}", with: fixture.mediaFile)
                    .replacingOccurrences(of: "{id}", with: UUID().uuidString)
                    .replacingOccurrences(of: "{slug}", with: "rivers-trust")
                    .replacingOccurrences(of: "{token}", with: String(repeating: "x", count: 43))
                return (method: route.method, pattern: route.pattern, uri: uri)
            }
    }

    /// What a forged post could change: row counts, the draft's fields, the users' settings.
    func fingerprint(_ hub: DatabaseHub, _ fixture: Fixture) async throws -> String {
        let sql = try hub.database as! any SQLDatabase
        var parts: [String] = []
        for table in ["releases", "release_events", "organizations", "media_contacts", "topics", "users", "memberships", "sessions", "subscribers", "password_resets", "recovery_codes", "site_settings", "account_events", "release_contacts", "release_topics", "release_versions", "jobs", "media", "media_renditions", "media_blobs"] {
            let row = try await sql.raw("SELECT COUNT(*) AS n FROM \(ident: table)").first()
            parts.append("\(table)=\(try row?.decode(column: "n", as: Int.self) ?? -1)")
        }
        let release = try #require(try await ReleaseModel.find(fixture.releaseID, on: hub.database))
        parts.append("\(release.headline)|\(release.status)|\(release.body)")
        for media in try await MediaModel.query(on: hub.database).sort(\.$id).all() {
            parts.append("\(media.id ?? "-")|\(media.alt)|\(media.caption ?? "-")|\(media.position)|\(media.isLead)")
        }
        for user in try await UserModel.query(on: hub.database).sort(\.$email).all() {
            parts.append("\(user.email)|\(user.timeZone ?? "-")|\(user.totpSecret ?? "-")|\(user.passwordHash)")
        }
        return parts.joined(separator: "\n")
    }

    @Test("Every newsroom form post without the page's token is refused with 403 and changes nothing")
    func everyPostNeedsItsToken() async throws {
        try await withNewsroom { client, hub, _, fixture in
            // setup: fields that would make every form valid, so only the token stands in the way
            let fields = [
                "organization": "rivers-trust", "headline": "Hijacked", "language": "en", "timing": "immediate", "body": "Forged.",
                "note": "forged", "decision": "now", "at": "2030-01-01T10:00", "zone": "Europe/Paris", "name": "Forged",
                "email": "admin@wire.example", "password": "another long password", "role": "admin", "change": "add",
                "code": "000000", "text": "Forged text", "heading": "Forged",
            ]
            let posts = try await routes(hub, fixture).filter { $0.method == .post }
            #expect(posts.count >= 25, "\(posts.map(\.pattern))")
            let before = try await fingerprint(hub, fixture)

            for route in posts {
                // The admin's session reaches every group; a visitor's sign-in forms have no cookie.
                let jar = Self.beforeSignIn.contains(route.pattern) ? CookieJar() : fixture.admin
                // MUT: a forged token, then none
                let forged = try await post(client, route.uri, fields.merging(["_csrf": "forged-token"]) { $1 }, jar: jar)
                let missing = try await post(client, route.uri, fields, jar: jar)

                // validation
                #expect(forged.status == .forbidden, "\(route.pattern) with a forged token")
                #expect(forged.body.contains("This form has expired"), "\(route.pattern)")
                #expect(missing.status == .forbidden, "\(route.pattern) without a token")
            }
            #expect(try await fingerprint(hub, fixture) == before, "no forged post changed anything")

            // The real token still works, so the refusals above were the token's doing.
            let saved = try await post(client, "/newsroom/releases/\(fixture.releaseID)", fields.merging(["_csrf": try await csrfToken(client, jar: fixture.member), "headline": "Wetlands open on Monday"]) { $1 }, jar: fixture.member)
            #expect(saved.status == .seeOther)
            #expect(try await ReleaseModel.find(fixture.releaseID, on: hub.database)?.headline == "Wetlands open on Monday")
        }
    }

    @Test("Visitors are sent to sign in, a half-signed-in editor to the second factor, and everyone but admins finds no administration")
    func everyRouteBehindItsGate() async throws {
        try await withNewsroom { client, hub, _, fixture in
            // setup: Ed has given his password; as an editor he owes the second factor
            var halfway = CookieJar()
            let (_, location) = try await signIn(client, email: "ed@wire.example", password: "correct horse battery", jar: &halfway)
            #expect(location == "/newsroom/two-factor")
            let guarded = try await routes(hub, fixture).filter { !Self.beforeSignIn.contains($0.pattern) }
            #expect(guarded.count >= 30, "\(guarded.map(\.pattern))")

            for route in guarded {
                let isAdmin = route.pattern.hasPrefix("/newsroom/admin")
                let isPasswordOnly = Self.passwordOnly.contains(route.pattern)
                func answer(_ jar: CookieJar) async throws -> (HTTPResponse.Status, String?) {
                    var headers = formHeaders
                    headers.append(contentsOf: jar.header)
                    return try await client.execute(uri: route.uri, method: route.method, headers: headers, body: formBody(["_csrf": "x"])) { ($0.status, $0.headers[.location]) }
                }

                // MUT + validation: no session
                let visitor = try await answer(CookieJar())
                if isAdmin {
                    #expect(visitor.0 == .notFound, "\(route.method) \(route.pattern) for a visitor")
                } else {
                    #expect(visitor.0 == .seeOther && visitor.1 == "/newsroom/sign-in", "\(route.method) \(route.pattern) for a visitor: \(visitor)")
                }

                // the password given, the second factor owed
                let half = try await answer(halfway)
                if isAdmin {
                    #expect(half.0 == .notFound, "\(route.method) \(route.pattern) before the second factor")
                } else if !isPasswordOnly {
                    #expect(half.0 == .seeOther && half.1 == "/newsroom/two-factor", "\(route.method) \(route.pattern) before the second factor: \(half)")
                }

                // a member, fully signed in: the administration does not exist
                if isAdmin {
                    #expect(try await answer(fixture.member).0 == .notFound, "\(route.method) \(route.pattern) for a member")
                } else if route.method == .get {
                    #expect(try await answer(fixture.member).0 == .ok, "\(route.pattern) for a member")
                }

                // the admin reaches every page
                if route.method == .get, !route.pattern.contains("{id}") || route.pattern.hasPrefix("/newsroom/releases") {
                    #expect(try await answer(fixture.admin).0 == .ok, "\(route.pattern) for the admin")
                }
            }
        }
    }

    @Test("A form with a field missing answers a page that says so, not an error")
    func unreadableForm() async throws {
        try await withNewsroom { client, hub, _, fixture in
            // MUT: the release form without its headline and body
            let answer = try await post(client, "/newsroom/releases", ["_csrf": try await csrfToken(client, jar: fixture.member), "organization": "rivers-trust"], jar: fixture.member)

            // validation
            #expect(answer.status == .badRequest)
            #expect(answer.body.contains("Check the form"))
            #expect(answer.body.contains("<main"), "the newsroom's page, not a JSON error")
            #expect(try await ReleaseModel.query(on: hub.database).count() == 1)
        }
    }

    @Test("HEAD on a page answers the GET's status and headers without a body")
    func headFromGet() async throws {
        try await withNewsroom { client, _, _, fixture in
            // (An unknown path's 404 page is a body the server, not the router, leaves out of a
            // HEAD answer: NIO's HTTPResponseEncoder drops it; this test runs without NIO.)
            for uri in ["/", "/feed.atom", "/newsroom/sign-in"] {
                let get = try await client.execute(uri: uri, method: .get) { ($0.status, $0.headers[.contentType], $0.body.readableBytes) }
                let head = try await client.execute(uri: uri, method: .head) { ($0.status, $0.headers[.contentType], $0.body.readableBytes) }
                #expect(head.0 == get.0, "\(uri)")
                #expect(head.1 == get.1, "\(uri)")
                #expect(head.2 == 0, "\(uri): no body")
                #expect(get.2 > 0, "\(uri)")
            }
            let newsroom = try await client.execute(uri: "/newsroom/releases", method: .head, headers: fixture.member.header) { ($0.status, $0.body.readableBytes) }
            #expect(newsroom.0 == .ok && newsroom.1 == 0)
        }
    }
}
