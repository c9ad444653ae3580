import DatelineCore
@testable import DatelineServer
import FluentKit
import Foundation
import Hummingbird
import HummingbirdOTP
import HummingbirdTesting
import ReleaseImport
import Testing

/// Signs in through the forms, with the TOTP step when the account needs one; returns the jar.
func signInFully(_ client: any TestClientProtocol, email: String, hub: DatabaseHub, clock: TestClock) async throws -> CookieJar {
    var jar = CookieJar()
    let (_, location) = try await signIn(client, email: email, password: "correct horse battery", jar: &jar)
    if location == "/newsroom/two-factor" {
        let page = try await client.execute(uri: "/newsroom/two-factor", method: .get, headers: jar.header) { String(buffer: $0.body) }
        let secret = try #require(try await UserModel.query(on: hub.database).filter(\.$email == email).first()?.totpSecret)
        let code = String(format: "%06d", TOTP(secret: secret).compute(date: clock.now))
        var headers = formHeaders
        headers.append(contentsOf: jar.header)
        let fields = ["code": code, "_csrf": hiddenCSRF(page) ?? ""]
        // Passing the second factor replaces the session cookie.
        let setCookies = try await client.execute(uri: "/newsroom/two-factor", method: .post, headers: headers, body: formBody(fields)) { $0.headers }
        jar.take(setCookies)
    }
    return jar
}

@discardableResult
func post(_ client: any TestClientProtocol, _ uri: String, _ fields: [String: String], jar: CookieJar) async throws -> (status: HTTPResponse.Status, location: String?, body: String) {
    var headers = formHeaders
    headers.append(contentsOf: jar.header)
    return try await client.execute(uri: uri, method: .post, headers: headers, body: formBody(fields)) { ($0.status, $0.headers[.location], String(buffer: $0.body)) }
}

func csrfToken(_ client: any TestClientProtocol, jar: CookieJar) async throws -> String {
    let page = try await client.execute(uri: "/newsroom/releases", method: .get, headers: jar.header) { String(buffer: $0.body) }
    return try #require(hiddenCSRF(page))
}

/// The newsroom routes that act on one release (`/newsroom/releases/{id}…`), from the router itself.
func releaseRoutes(hub: DatabaseHub) async throws -> [(method: HTTPRequest.Method, path: String)] {
    let settings = testSettings(hub.location)
    let renderer = try await PageRenderer.load(resourcesDirectory: settings.resourcesDirectory)
    let router = buildRouter(settings: settings, hub: hub, renderer: renderer, clock: { Date() })
    let all = router.routes.map { (method: $0.method, path: "\($0.path)") }
    // Hummingbird writes parameters as {name}.
    return all.filter { $0.path.hasPrefix("/newsroom/releases/{id}") }
}

@Suite("Newsroom")
struct NewsroomTests {
    /// Two organizations, a member of each, and an editor.
    func setUp(_ hub: DatabaseHub) async throws {
        for name in ["Rivers Trust", "Forest Fund"] {
            let organization = OrganizationModel(name: name, slug: Slug(making: name)!)
            try await hub.write { try await organization.create(on: $0) }
        }
        let accounts = Accounts(hub: hub, bcryptCost: 4)
        try await accounts.createUser(email: "a@rivers.example", name: "Ann", role: .member, password: "correct horse battery", organizations: ["rivers-trust"])
        try await accounts.createUser(email: "b@forest.example", name: "Bo", role: .member, password: "correct horse battery", organizations: ["forest-fund"])
        try await accounts.createUser(email: "ed@wire.example", name: "Ed", role: .editor, password: "correct horse battery")
    }

    func withNewsroom(_ test: @escaping @Sendable (any TestClientProtocol, DatabaseHub, TestClock) async throws -> Void) async throws {
        let clock = TestClock()
        try await TestDatabase.withFresh { location in
            let hub = try DatabaseHub(location: location, logger: quietLogger)
            try await hub.migrate()
            try await setUp(hub)
            let app = try await buildApplication(settings: testSettings(location), runJobs: false, logger: quietLogger, clock: { clock.now })
            do {
                try await app.test(.router) { client in try await test(client, hub, clock) }
                await hub.shutdown()
            } catch {
                await hub.shutdown()
                throw error
            }
        }
    }

    func draftFields(_ csrf: String, organization: String, headline: String) -> [String: String] {
        ["_csrf": csrf, "organization": organization, "headline": headline, "language": "en", "timing": "immediate",
         "body": "The trust **opened** three wetlands.\n\n“Wetlands store water,” said Ann.", "datelineCity": "LEEDS", "topics": "Environment, Water"]
    }

    @Test("A member writes and submits; an editor approves; the release is published with its history")
    func workflow() async throws {
        try await withNewsroom { client, hub, clock in
            // setup: the member writes a draft with a preview
            let member = try await signInFully(client, email: "a@rivers.example", hub: hub, clock: clock)
            let created = try await post(client, "/newsroom/releases", draftFields(try await csrfToken(client, jar: member), organization: "rivers-trust", headline: "Wetlands open"), jar: member)
            #expect(created.status == .seeOther)
            let path = try #require(created.location)
            let draftPage = try await client.execute(uri: path, method: .get, headers: member.header) { String(buffer: $0.body) }
            #expect(draftPage.contains("<strong>opened</strong>"), "server-rendered preview")
            #expect(try await client.execute(uri: "/releases/wetlands-open", method: .get) { $0.status } == .notFound)

            // MUT: submit, then the editor approves
            _ = try await post(client, "\(path)/submit", ["_csrf": try await csrfToken(client, jar: member)], jar: member)
            let editor = try await signInFully(client, email: "ed@wire.example", hub: hub, clock: clock)
            let queue = try await client.execute(uri: "/newsroom/releases", method: .get, headers: editor.header) { String(buffer: $0.body) }
            #expect(queue.contains("Review queue") && queue.contains("Wetlands open"))
            let approved = try await post(client, "\(path)/approve", ["_csrf": try await csrfToken(client, jar: editor), "decision": "now"], jar: editor)

            // validation
            #expect(approved.status == .seeOther)
            let public_ = try await client.execute(uri: "/releases/wetlands-open", method: .get) { ($0.status, String(buffer: $0.body)) }
            #expect(public_.0 == .ok)
            #expect(public_.1.contains("LEEDS"))
            let home = try await client.execute(uri: "/", method: .get) { String(buffer: $0.body) }
            #expect(home.contains("Wetlands open"))
            let id = String(path.split(separator: "/").last!)
            let history = try await ReleaseEventModel.query(on: hub.database).filter(\.$release.$id == id).sort(\.$at).all()
            #expect(history.map(\.toStatus) == ["draft", "submitted", "published"])
            #expect(history.map(\.actor) == ["a@rivers.example", "a@rivers.example", "ed@wire.example"])
        }
    }

    @Test("An editor returns a release with a note, embargoes or schedules one; members cannot approve")
    func review() async throws {
        try await withNewsroom { client, hub, clock in
            let member = try await signInFully(client, email: "a@rivers.example", hub: hub, clock: clock)
            let path = try #require(try await post(client, "/newsroom/releases", draftFields(try await csrfToken(client, jar: member), organization: "rivers-trust", headline: "Budget"), jar: member).location)
            _ = try await post(client, "\(path)/submit", ["_csrf": try await csrfToken(client, jar: member)], jar: member)
            let selfApproval = try await post(client, "\(path)/approve", ["_csrf": try await csrfToken(client, jar: member), "decision": "now"], jar: member)
            #expect(selfApproval.status == .forbidden)

            let editor = try await signInFully(client, email: "ed@wire.example", hub: hub, clock: clock)
            let emptyNote = try await post(client, "\(path)/return", ["_csrf": try await csrfToken(client, jar: editor), "note": " "], jar: editor)
            #expect(emptyNote.status == .badRequest)
            _ = try await post(client, "\(path)/return", ["_csrf": try await csrfToken(client, jar: editor), "note": "Add the vote count."], jar: editor)
            let returned = try await client.execute(uri: path, method: .get, headers: member.header) { String(buffer: $0.body) }
            #expect(returned.contains("returned"))
            #expect(returned.contains("Add the vote count."))

            _ = try await post(client, "\(path)/submit", ["_csrf": try await csrfToken(client, jar: member)], jar: member)
            let lift = NewsroomFormChoices.formatLocal(clock.now.addingTimeInterval(7200))
            _ = try await post(client, "\(path)/approve", ["_csrf": try await csrfToken(client, jar: editor), "decision": "embargo", "at": lift], jar: editor)
            let id = String(path.split(separator: "/").last!)
            let release = try #require(try await ReleaseModel.find(id, on: hub.database))
            #expect(release.status == "embargoed")
            #expect(release.embargoUntil.map(NewsroomFormChoices.formatLocal) == lift)
            #expect(try await client.execute(uri: "/releases/\(release.slug)", method: .get) { $0.status } == .notFound)
        }
    }

    @Test("A member of one organization is refused every newsroom route on another organization's release")
    func accessMatrix() async throws {
        try await withNewsroom { client, hub, clock in
            // setup: Bo writes a draft for Forest Fund
            let bo = try await signInFully(client, email: "b@forest.example", hub: hub, clock: clock)
            let path = try #require(try await post(client, "/newsroom/releases", draftFields(try await csrfToken(client, jar: bo), organization: "forest-fund", headline: "Secret forest plan"), jar: bo).location)
            let id = String(path.split(separator: "/").last!)
            // Bo's draft carries a photo and a PDF, so the attachment routes name real ones.
            let files = try await TestMedia.attachBoth(toRelease: id, hub: hub, settings: testSettings(hub.location))
            let attached = try await MediaStore.media(ofRelease: id, on: hub.database)
            let ann = try await signInFully(client, email: "a@rivers.example", hub: hub, clock: clock)
            let csrf = try await csrfToken(client, jar: ann)

            // MUT + validation: every route of the release, and writing for the other organization
            let list = try await client.execute(uri: "/newsroom/releases", method: .get, headers: ann.header) { String(buffer: $0.body) }
            #expect(!list.contains("Secret forest plan"))
            #expect(try await client.execute(uri: path, method: .get, headers: ann.header) { $0.status } == .notFound)
            // Every route of one release, enumerated from the router rather than listed by hand.
            let routes = try await releaseRoutes(hub: hub)
            #expect(routes.count >= 7, "\(routes)")
            for route in routes {
                let uri = route.path.replacingOccurrences(of: "{id}", with: id)
                    .replacingOccurrences(of: "{media}", with: attached[0].id.rawValue).replacingOccurrences(of: "{file}", with: files[0])
                #expect(!uri.contains("{"), "every parameter filled: \(uri)")
                if route.method == .get {
                    #expect(try await client.execute(uri: uri, method: .get, headers: ann.header) { $0.status } == .notFound, "\(route)")
                } else {
                    let fields = draftFields(csrf, organization: "forest-fund", headline: "Hijacked").merging(["note": "x", "decision": "now"]) { $1 }
                    #expect(try await post(client, uri, fields, jar: ann).status == .notFound, "\(route)")
                }
            }
            let foreign = try await post(client, "/newsroom/releases", draftFields(csrf, organization: "forest-fund", headline: "Written for another"), jar: ann)
            #expect(foreign.status == .badRequest)
            let release = try #require(try await ReleaseModel.find(id, on: hub.database))
            #expect(release.headline == "Secret forest plan")
            #expect(release.status == "draft")
            #expect(try await MediaStore.media(ofRelease: id, on: hub.database) == attached)
            #expect(try await ReleaseModel.query(on: hub.database).count() == 1)
            // Signed out, every newsroom page sends to sign-in.
            #expect(try await client.execute(uri: path, method: .get) { $0.headers[.location] } == "/newsroom/sign-in")
        }
    }

    @Test("Pasting a release as found on the web fills in a draft through the importer")
    func paste() async throws {
        try await withNewsroom { client, hub, clock in
            let member = try await signInFully(client, email: "a@rivers.example", hub: hub, clock: clock)
            let seed = try String(contentsOf: repositoryRoot.appendingPathComponent("Samples/seed-release.txt"), encoding: .utf8)
            let result = try await post(client, "/newsroom/releases/paste", ["_csrf": try await csrfToken(client, jar: member), "organization": "rivers-trust", "text": seed], jar: member)
            // Amnesty's release pasted for the Rivers Trust: the draft is shown at once, with a warning.
            #expect(result.status == .ok)
            let page = result.body
            #expect(page.contains(#"class="error issuer-warning" role="alert""#) && page.contains("Amnesty International"), "the text names another issuer")
            #expect(page.contains("Prisoner Pardons in Iran Welcome"))
            #expect(page.contains("value=\"WASHINGTON\""))
            let release = try #require(try await ReleaseModel.query(on: hub.database).first())
            #expect(release.status == "draft")

            // The text's media contacts are offered, not saved, until the member ticks them.
            #expect(try await MediaContactModel.query(on: hub.database).count() == 0)
            #expect(page.contains("Contacts found in the pasted text, not saved yet"))
            let offered = page.matches(of: /name="offered\[\]" value="(\d+)"> ([^<]+)</).map { (String($0.1), String($0.2)) }
            try #require(!offered.isEmpty)
            var fields = draftFields(try await csrfToken(client, jar: member), organization: "rivers-trust", headline: release.headline)
            fields["body"] = release.body
            fields["offered[]"] = offered[0].0
            let saved = try await post(client, "/newsroom/releases/\(release.id!)", fields, jar: member)
            #expect(saved.status == .seeOther)
            let contacts = try await MediaContactModel.query(on: hub.database).all()
            #expect(contacts.count == 1 && offered[0].1.hasPrefix(contacts[0].name), "the ticked contact only: \(contacts.map(\.name))")
            let attached = try #require(try await ReleaseModel.query(on: hub.database).filter(\.$id == release.id!).with(\.$contacts).first())
            #expect(attached.contacts.map(\.name) == [contacts[0].name])
            #expect(LearnedProfile(stored: attached.learnedProfile)?.offered == nil, "every offer answered")
            let after = try await client.execute(uri: "/newsroom/releases/\(release.id!)", method: .get, headers: member.header) { String(buffer: $0.body) }
            #expect(!after.contains("Contacts found in the pasted text"))
        }
    }

    @Test("A pasted release's fields the importer was not sure of are marked on the draft for the communicator to check")
    func pasteMarksDoubtfulFields() async throws {
        try await withNewsroom { client, hub, clock in
            // setup
            let member = try await signInFully(client, email: "a@rivers.example", hub: hub, clock: clock)
            let text = """
            River Trust Opens Three New Wetland Reserves

            The reserves will protect breeding grounds for wading birds

            LEEDS, March 3, 2025 -- The River Trust today opened three wetland reserves on the Aire, restoring 40 hectares of flood meadow that had been drained for farming in the last century.

            "These meadows hold water when the river rises, and they give birds a place to breed," said Jane Holloway, the trust's director.
            """
            let confidence = try ReleaseImporter.extract(data: Data(text.utf8)).confidence
            let doubtful = confidence.doubtful
            try #require(!doubtful.isEmpty, "the text should leave the importer unsure of something")

            // MUT
            let result = try await post(client, "/newsroom/releases/paste", ["_csrf": try await csrfToken(client, jar: member), "organization": "rivers-trust", "text": text], jar: member)

            // validation
            #expect(result.status == .seeOther)
            let location = try #require(result.location)
            #expect(location.hasSuffix("?check=" + doubtful.sorted().joined(separator: ",")))
            let page = try await client.execute(uri: location, method: .get, headers: member.header) { String(buffer: $0.body) }
            #expect(page.contains("The importer was not sure of"))
            #expect(page.contains("Headline <span class=\"to-check\">check this</span>") == doubtful.contains("headline"))
            #expect(page.contains("Subheadline <span class=\"to-check\">check this</span>") == doubtful.contains("subheadline"))
            #expect(page.contains("Dateline city <span class=\"to-check\">check this</span>") == doubtful.contains("dateline_city"))
            // Opened without the parameter, the same draft marks nothing.
            let plain = try await client.execute(uri: String(location.prefix { $0 != "?" }), method: .get, headers: member.header) { String(buffer: $0.body) }
            #expect(!plain.contains("class=\"to-check\""))
        }
    }

    @Test("The doubts travel in the query and read back; unknown keys are dropped")
    func importDoubtsQuery() {
        let doubts = ImportDoubts(keys: ["issuer", "headline", "nonsense"])
        #expect(doubts.query == "headline,issuer")
        #expect(ImportDoubts(query: doubts.query) == doubts)
        #expect(doubts.sentence == "The importer was not sure of the headline and the organization: check them against the original.")
        #expect(ImportDoubts(query: nil).sentence == nil)
    }
}
