import DatelineCore
@testable import DatelineServer
import FluentKit
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("Administration and corrections in the newsroom")
struct AdminTests {
    func withSite(_ test: @escaping @Sendable (any TestClientProtocol, DatabaseHub, TestClock) async throws -> Void) async throws {
        let clock = TestClock()
        try await TestDatabase.withFresh { location in
            let hub = try DatabaseHub(location: location, logger: quietLogger)
            try await hub.migrate()
            let accounts = Accounts(hub: hub, bcryptCost: 4)
            try await accounts.createUser(email: "admin@wire.example", name: "Ada Admin", role: .admin, password: "correct horse battery")
            try await accounts.createUser(email: "ed@wire.example", name: "Ed", role: .editor, password: "correct horse battery")
            let app = try await buildApplication(settings: testSettings(location), runJobs: false, logger: quietLogger, clock: { clock.now })
            try await app.test(.router) { client in try await test(client, hub, clock) }
            await hub.shutdown()
        }
    }

    func token(_ client: any TestClientProtocol, _ uri: String, jar: CookieJar) async throws -> String {
        try #require(hiddenCSRF(try await client.execute(uri: uri, method: .get, headers: jar.header) { String(buffer: $0.body) }))
    }

    @Test("An admin writes the support appeal and its ways to give; a bad address is refused with a message; others find no such page")
    func supportAppeal() async throws {
        try await withSite { client, hub, clock in
            let admin = try await signInFully(client, email: "admin@wire.example", hub: hub, clock: clock)
            let csrf = try await token(client, "/newsroom/admin/appeal", jar: admin)
            let refused = try await post(client, "/newsroom/admin/appeal", ["_csrf": csrf, "heading": "Free to all", "text": "Please give.", "methodName[]": "Donate", "methodURL[]": "javascript:alert(1)", "methodNote[]": ""], jar: admin)
            #expect(refused.status == .unprocessableContent)
            #expect(refused.body.contains("needs an address starting with https://"))
            #expect(try await SupportAppeal.load(on: hub.database).isEmpty, "nothing saved")
            let saved = try await post(client, "/newsroom/admin/appeal", ["_csrf": csrf, "heading": "Free to all", "text": "Please give.", "methodName[]": "Donate", "methodURL[]": "https://example.org/give", "methodNote[]": "monthly or once"], jar: admin)
            #expect(saved.status == .ok)
            let appeal = try await SupportAppeal.load(on: hub.database)
            #expect(appeal == SupportAppeal(heading: "Free to all", text: "Please give.", methods: [.init(name: "Donate", url: "https://example.org/give", note: "monthly or once")]))
            #expect(try await post(client, "/newsroom/admin/appeal", ["_csrf": "forged", "heading": "Hacked", "text": ""], jar: admin).status == .forbidden)

            let editor = try await signInFully(client, email: "ed@wire.example", hub: hub, clock: clock)
            #expect(try await client.execute(uri: "/newsroom/admin/appeal", method: .get, headers: editor.header) { $0.status } == .notFound)
            #expect(try await post(client, "/newsroom/admin/appeal", ["_csrf": csrf, "heading": "Hacked", "text": ""], jar: editor).status == .notFound)
            #expect(try await SupportAppeal.load(on: hub.database).heading == "Free to all")
        }
    }

    @Test("An admin creates an organization, edits its profile, adds a media contact, a topic and a member; others find no admin pages")
    func administration() async throws {
        try await withSite { client, hub, clock in
            let admin = try await signInFully(client, email: "admin@wire.example", hub: hub, clock: clock)
            var csrf = try await token(client, "/newsroom/admin", jar: admin)
            let created = try await post(client, "/newsroom/admin/organizations", ["_csrf": csrf, "name": "Rivers Trust"], jar: admin)
            #expect(created.location == "/newsroom/admin/organizations/rivers-trust")
            csrf = try await token(client, "/newsroom/admin/organizations/rivers-trust", jar: admin)
            _ = try await post(client, "/newsroom/admin/organizations/rivers-trust", ["_csrf": csrf, "name": "Rivers Trust", "boilerplate": "The trust cares for rivers.", "website": "https://rivers.example.org", "mastodon": "@rivers@mastodon.social"], jar: admin)
            let badSite = try await post(client, "/newsroom/admin/organizations/rivers-trust", ["_csrf": csrf, "name": "Rivers Trust", "website": "javascript:alert(1)"], jar: admin)
            #expect(badSite.status == .badRequest)
            _ = try await post(client, "/newsroom/admin/organizations/rivers-trust/contacts", ["_csrf": csrf, "name": "Sam Reed", "email": "press@rivers.example.org", "phone": "+44 113 496 0000"], jar: admin)
            _ = try await post(client, "/newsroom/admin/topics", ["_csrf": csrf, "name": "Water"], jar: admin)
            let user = try await post(client, "/newsroom/admin/users", ["_csrf": csrf, "email": "mia@rivers.example", "name": "Mia", "role": "member", "organization": "rivers-trust", "password": "correct horse battery"], jar: admin)
            #expect(user.status == .seeOther)
            let weak = try await post(client, "/newsroom/admin/users", ["_csrf": csrf, "email": "x@rivers.example", "name": "X", "role": "member", "password": "short"], jar: admin)
            #expect(weak.status == .badRequest)

            let organization = try #require(try await OrganizationModel.query(on: hub.database).filter(\.$slug == "rivers-trust").with(\.$contacts).first())
            #expect(organization.boilerplate == "The trust cares for rivers.")
            #expect(organization.website == "https://rivers.example.org")
            #expect(organization.mastodon == "@rivers@mastodon.social")
            #expect(organization.contacts.map(\.name) == ["Sam Reed"])
            #expect(try await TopicModel.query(on: hub.database).filter(\.$slug == "water").count() == 1)
            let page = try await client.execute(uri: "/newsroom/admin/organizations/rivers-trust", method: .get, headers: admin.header) { String(buffer: $0.body) }
            #expect(page.contains("Mia &lt;mia@rivers.example&gt;") || page.contains("Mia <mia@rivers.example>"))
            // Members are added and removed by address.
            _ = try await post(client, "/newsroom/admin/organizations/rivers-trust/members", ["_csrf": csrf, "email": "ed@wire.example", "change": "add"], jar: admin)
            _ = try await post(client, "/newsroom/admin/organizations/rivers-trust/members", ["_csrf": csrf, "email": "mia@rivers.example", "change": "remove"], jar: admin)
            let memberEmails = try await MembershipModel.query(on: hub.database).with(\.$user).all().map(\.user.email)
            #expect(memberEmails == ["ed@wire.example"])
            _ = try await post(client, "/newsroom/admin/organizations/rivers-trust/members", ["_csrf": csrf, "email": "mia@rivers.example", "change": "add"], jar: admin)

            // An editor, a member and a stranger find nothing there; forged admin forms change nothing.
            let editor = try await signInFully(client, email: "ed@wire.example", hub: hub, clock: clock)
            let member = try await signInFully(client, email: "mia@rivers.example", hub: hub, clock: clock)
            for jar in [editor, member, CookieJar()] {
                #expect(try await client.execute(uri: "/newsroom/admin", method: .get, headers: jar.header) { $0.status } == .notFound)
                #expect(try await post(client, "/newsroom/admin/organizations", ["_csrf": csrf, "name": "Hijack"], jar: jar).status == .notFound)
            }
            #expect(try await post(client, "/newsroom/admin/topics", ["_csrf": "forged", "name": "Forged"], jar: admin).status == .forbidden)
            #expect(try await OrganizationModel.query(on: hub.database).count() == 1)
        }
    }

    @Test("An editor corrects a published release from the newsroom, then retracts it")
    func correctionInNewsroom() async throws {
        try await withSite { client, hub, clock in
            // setup: a published release
            let organization = OrganizationModel(name: "Rivers Trust", slug: Slug(making: "Rivers Trust")!)
            try await hub.write { try await organization.create(on: $0) }
            var extraction = ImportedReleaseFixture.make(headline: "Budget vote", body: "The council voted on Tuesday.")
            extraction.issuer = "Rivers Trust"
            guard case .imported(let id, let slug, _) = try await ReleaseStore(hub: hub, clock: { clock.now }).store(extraction, options: ImportOptions(publish: true)) else {
                Issue.record("not imported"); return
            }
            let editor = try await signInFully(client, email: "ed@wire.example", hub: hub, clock: clock)
            let path = "/newsroom/releases/\(id)"
            let page = try await client.execute(uri: path, method: .get, headers: editor.header) { String(buffer: $0.body) }
            #expect(page.contains("Correct or retract"))
            let csrf = try #require(hiddenCSRF(page))

            // MUT
            let noNote = try await post(client, "\(path)/correct", ["_csrf": csrf, "body": "The council voted on Wednesday.", "note": ""], jar: editor)
            let corrected = try await post(client, "\(path)/correct", ["_csrf": csrf, "body": "The council voted on Wednesday.", "note": "The vote was on Wednesday."], jar: editor)
            let publicPage = try await client.execute(uri: "/releases/\(slug)", method: .get) { String(buffer: $0.body) }
            let retracted = try await post(client, "\(path)/retract", ["_csrf": csrf, "note": "The vote was annulled."], jar: editor)
            let afterRetraction = try await client.execute(uri: "/releases/\(slug)", method: .get) { String(buffer: $0.body) }

            // validation
            #expect(noNote.status == .badRequest)
            #expect(corrected.status == .seeOther)
            #expect(publicPage.contains("voted on Wednesday"))
            #expect(publicPage.contains("The vote was on Wednesday."))
            #expect(retracted.status == .seeOther)
            #expect(afterRetraction.contains("Notice to disregard"))
            #expect(afterRetraction.contains("The vote was annulled."))
            let history = try await ReleaseEventModel.query(on: hub.database).filter(\.$release.$id == id).sort(\.$at).all().map(\.toStatus)
            #expect(history == ["published", "corrected", "retracted"])
        }
    }
}

import ReleaseImport

enum ImportedReleaseFixture {
    static func make(headline: String, body: String) -> ImportedRelease {
        var release = ImportedRelease(headline: headline, language: "en")
        release.body = [body]
        return release
    }
}
