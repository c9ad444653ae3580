import DatelineCore
@testable import DatelineServer
import FluentKit
import Foundation
import Hummingbird
import HummingbirdTesting
import ReleaseImport
import Testing

/// What a subscription test works with: the site's router, its database, a real SMTP server,
/// and a way to run the jobs and send the outbox at a moment the test chooses.
struct MailHarness: Sendable {
    let client: any TestClientProtocol
    let hub: DatabaseHub
    let store: ReleaseStore
    let smtp: SMTPTestServer
    let settings: Settings
    let clock: TestClock

    /// Runs the publish fan-out and then sends whatever the outbox holds.
    func deliver() async {
        let jobs = JobWorker(hub: hub, settings: settings, logger: quietLogger, clock: { clock.now })
        while await jobs.runDueJobs() > 0 {}
        let library = try! await PageRenderer.load(resourcesDirectory: settings.resourcesDirectory).library
        let deliverer = OutboxDeliverer(hub: hub, settings: settings, library: library, logger: quietLogger, clock: { clock.now })
        await deliverer.deliverDue()
        await deliverer.closeIdleSessions()
    }

    func subscriber(_ email: String) async throws -> SubscriberModel? {
        try await SubscriberModel.query(on: hub.database).filter(\.$email == email).first()
    }

    /// A POST as a browser sends it from the site's own page.
    func postForm(_ uri: String, _ fields: [String: String], origin: String? = "https://wire.example.org") async throws -> (status: HTTPResponse.Status, body: String) {
        var headers = formHeaders
        if let origin { headers[.origin] = origin }
        return try await client.execute(uri: uri, method: .post, headers: headers, body: formBody(fields)) { ($0.status, String(buffer: $0.body)) }
    }

    func get(_ uri: String) async throws -> (status: HTTPResponse.Status, body: String) {
        try await client.execute(uri: uri, method: .get) { ($0.status, String(buffer: $0.body)) }
    }

    /// The path and query of a link into the site.
    static func local(_ link: String) -> String {
        link.replacingOccurrences(of: "https://wire.example.org", with: "")
    }
}

func withMailHarness(smtpPort: Int? = nil, clock: TestClock = TestClock(), _ test: @escaping @Sendable (MailHarness) async throws -> Void) async throws {
    let smtp = try SMTPTestServer()
    defer { smtp.stop(); smtp.removeFolder() }
    try await TestDatabase.withFresh { location in
        var settings = testSettings(location)
        settings.smtp = try smtp.configuration(smtpPort.map { "smtp://127.0.0.1:\($0)" })
        let app = try await buildApplication(settings: settings, runJobs: false, logger: quietLogger, clock: { clock.now })
        let hub = try DatabaseHub(location: location, logger: quietLogger)
        let store = ReleaseStore(hub: hub, clock: { clock.now })
        let fixed = settings
        do {
            try await app.test(.router) { client in
                try await test(MailHarness(client: client, hub: hub, store: store, smtp: smtp, settings: fixed, clock: clock))
            }
            await hub.shutdown()
        } catch {
            await hub.shutdown()
            throw error
        }
    }
}

/// A hidden form field's value in a page.
func hiddenField(_ name: String, in page: String) -> String? {
    guard let range = page.range(of: #"name="\#(name)" value="([^"]*)""#, options: .regularExpression) else { return nil }
    return String(page[range]).replacingOccurrences(of: #"name="\#(name)" value=""#, with: "").replacingOccurrences(of: "\"", with: "")
}

/// A Persian release with a headline, topic and body that must arrive intact.
func persianRelease() -> ImportedRelease {
    var release = ImportedRelease(headline: "آزادی زندانیان سیاسی در ایران", language: "fa")
    release.issuer = "Rivers Trust"
    release.body = ["تهران — سازمان عفو بین‌الملل از آزادی زندانیان استقبال کرد.", "«هیچ‌کس نباید حتی یک روز را در زندان بگذراند.»"]
    return release
}

@Suite("Subscriptions and mail, through a real SMTP server", .timeLimit(.minutes(3)))
struct SubscriptionTests {
    @Test("A reader subscribes, confirms with a button, receives an alert through SMTP, and unsubscribes in one click")
    func subscribeConfirmAlertUnsubscribe() async throws {
        try await withMailHarness { mail in
            // MUT: sign up from the box on a page
            let home = try await mail.get("/")
            #expect(home.body.contains(#"<form method="post" action="/subscribe""#), "the sign-up box is on the home page")
            let signUp = try await mail.postForm("/subscribe", ["email": "Reader@Example.ORG"])
            #expect(signUp.status == .ok)
            #expect(signUp.body.contains("Check your inbox"))
            await mail.deliver()

            // validation: the confirmation
            let confirmation = try #require(try mail.smtp.messages().first)
            #expect(try mail.smtp.messages().count == 1)
            #expect(confirmation.envelopeTo == "reader@example.org")
            #expect(confirmation.subject == "Confirm your subscription to Dateline")
            #expect(confirmation.listUnsubscribe.isEmpty, "a confirmation is not list mail")
            #expect(confirmation.contentType == "multipart/alternative")
            #expect(confirmation.dateParses && !confirmation.messageID.isEmpty && confirmation.defects.isEmpty)
            let confirmLink = try #require(confirmation.link(startingWith: "https://wire.example.org/subscription/confirm?token="))
            #expect(confirmation.html.contains(confirmLink))

            // A mail scanner opening the link confirms nothing.
            let confirmPage = try await mail.get(MailHarness.local(confirmLink))
            #expect(confirmPage.status == .ok)
            #expect(try await mail.subscriber("reader@example.org")?.status == "pending")
            // The person presses the button.
            let token = try #require(hiddenField("token", in: confirmPage.body))
            let confirmed = try await mail.postForm("/subscription/confirm", ["token": token], origin: nil)
            #expect(confirmed.status == .ok)
            #expect(confirmed.body.contains("Your subscription is confirmed"))
            #expect(try await mail.subscriber("reader@example.org")?.status == "confirmed")
            // Instant alerts instead of the daily digest.
            let manageToken = try #require(hiddenField("token", in: confirmed.body))
            let saved = try await mail.postForm("/subscription", ["token": manageToken, "cadence": "instant", "scope": "everything"], origin: nil)
            #expect(saved.status == .ok && saved.body.contains("Your choices are saved"))

            // MUT: a Persian release is published
            _ = try await mail.store.store(persianRelease(), options: ImportOptions(publish: true))
            await mail.deliver()

            // validation: the alert, as Python's email package reads it
            let messages = try mail.smtp.messages()
            #expect(messages.count == 2)
            let alert = try #require(messages.last)
            #expect(alert.subject == "آزادی زندانیان سیاسی در ایران")
            #expect(alert.rawSubject.hasPrefix("=?UTF-8?B?"), "RFC 2047 encoded: \(alert.rawSubject)")
            #expect(alert.isSevenBit, "headers encoded, bodies base64: the message is 7-bit clean")
            #expect(alert.text.contains("«هیچ‌کس نباید حتی یک روز را در زندان بگذراند.»"))
            #expect(alert.html.contains("سازمان عفو بین‌الملل"))
            #expect(alert.html.contains(#"dir="rtl""#))
            #expect(alert.contentType == "multipart/alternative")
            #expect(alert.listID.contains("<releases.wire.example.org>"))
            #expect(alert.listUnsubscribePost == "List-Unsubscribe=One-Click")
            #expect(alert.dateParses && alert.defects.isEmpty)
            #expect(alert.from == "Dateline <newsroom@localhost>")
            let unsubscribe = alert.listUnsubscribe.trimmingCharacters(in: CharacterSet(charactersIn: "<>"))
            #expect(unsubscribe.hasPrefix("https://wire.example.org/unsubscribe?token="))
            #expect(alert.text.contains(unsubscribe), "the plain link is in the text too")

            // A scanner's GET of the unsubscribe link changes nothing.
            #expect(try await mail.get(MailHarness.local(unsubscribe)).status == .ok)
            #expect(try await mail.subscriber("reader@example.org")?.status == "confirmed")
            // MUT: RFC 8058 one-click, as a mail provider sends it (no Origin, the token in the URL)
            let oneClick = try await mail.postForm(MailHarness.local(unsubscribe), ["List-Unsubscribe": "One-Click"], origin: nil)
            #expect(oneClick.status == .ok)
            #expect(try await mail.subscriber("reader@example.org")?.status == "unsubscribed")

            // Nothing more is sent.
            var second = ImportedRelease(headline: "A second release", language: "en")
            second.issuer = "Rivers Trust"
            second.body = ["More news."]
            _ = try await mail.store.store(second, options: ImportOptions(publish: true))
            await mail.deliver()
            #expect(try mail.smtp.messages().count == 2)
        }
    }

    @Test("An alert's plain-text part is text rendered from the Markdown, links keeping their address; alerts and digests carry the media contact")
    func alertTextAndMediaContact() async throws {
        try await withMailHarness { mail in
            // setup: an instant and a daily subscriber; a release with Markdown and a media contact
            _ = try await SubscriberImport.run(lines: ["instant@example.org"], instant: true, hub: mail.hub)
            _ = try await SubscriberImport.run(lines: ["daily@example.org"], instant: false, hub: mail.hub)
            var release = ImportedRelease(headline: "Wetlands reopen", language: "en")
            release.issuer = "Rivers Trust"
            release.body = ["Placeholder."]
            release.contacts = [ImportedContact(name: "Lena Marsh", title: "Press officer", email: "lena@rivers.example", phone: "+44 20 7946 0018")]
            guard case .imported(let id, _, _) = try await mail.store.store(release, options: ImportOptions(publish: false)) else {
                Issue.record("not imported"); return
            }

            // MUT: the newsroom's Markdown, then publication
            try await mail.hub.write { database in
                let model = try #require(try await ReleaseModel.query(on: database).filter(\.$id == id).with(\.$contacts).first())
                model.body = "The trust **reopened** three [wetlands](https://rivers.example/w) at www.rivers.example.\n\n### About the Trust\n\nRivers Trust cares for *rivers*."
                try await model.save(on: database)
                try await ReleaseTransitions.move(model, to: .published, actor: "ed@wire.example", at: mail.clock.now, on: database)
            }
            await mail.deliver()

            // validation: the alert
            let alert = try #require(try mail.smtp.messages().first { $0.envelopeTo == "instant@example.org" })
            let text = alert.text.replacingOccurrences(of: "\r\n", with: "\n")
            #expect(text.replacingOccurrences(of: "\n", with: " ").contains("The trust reopened three wetlands (https://rivers.example/w) at www.rivers.example."), "\(text)")
            #expect(text.contains("Media contact:\nLena Marsh, Press officer, lena@rivers.example, +44 20 7946 0018\n\nRead it on the site:"), "\(text)")
            #expect(alert.text.contains("About the Trust") && !alert.text.contains("###") && !alert.text.contains("**") && !alert.text.contains("*rivers*"))
            #expect(alert.html.contains("Media contact") && alert.html.contains(#"<a href="mailto:lena@rivers.example">lena@rivers.example</a>"#))

            // and the digest
            mail.clock.advance(by: 24 * 3600)
            _ = try await DailyDigest(hub: mail.hub, settings: mail.settings, logger: quietLogger).runIfDue(now: mail.clock.now)
            await mail.deliver()
            let digest = try #require(try mail.smtp.messages().first { $0.envelopeTo == "daily@example.org" })
            #expect(digest.text.contains("The trust reopened three wetlands"), "the summary is plain text too: \(digest.text)")
            #expect(digest.text.contains("Media contact: Lena Marsh, Press officer, lena@rivers.example, +44 20 7946 0018"))
            #expect(digest.html.contains("Media contact: Lena Marsh"))
        }
    }

    @Test("The daily digest lists the day's releases and the support appeal, once per run; send-digest's run stands in for the day's")
    func dailyDigest() async throws {
        let clock = TestClock(Date(timeIntervalSince1970: 1_780_000_000))  // 2026-05-28 20:26:40 UTC
        try await withMailHarness(clock: clock) { mail in
            // setup: a confirmed daily subscriber (the default), an appeal, two releases
            _ = try await SubscriberImport.run(lines: ["daily@example.org"], instant: false, hub: mail.hub)
            try await mail.hub.write { try await SupportAppeal(heading: "This newswire is free to all", text: "No paywalls. Please support us.", methods: [.init(name: "Give monthly", url: "https://example.org/give", note: "Cancel any time")]).save(on: $0) }
            for headline in ["First release of the day", "Second release of the day"] {
                var release = ImportedRelease(headline: headline, language: "en")
                release.issuer = "Rivers Trust"
                release.body = ["\(headline): the text."]
                _ = try await mail.store.store(release, options: ImportOptions(publish: true))
            }
            await mail.deliver()
            #expect(try mail.smtp.messages().isEmpty, "a daily subscriber gets no alerts")

            // MUT: the scheduled run at the digest hour (07:00 UTC) the next morning
            mail.clock.advance(by: 12 * 3600)
            let digest = DailyDigest(hub: mail.hub, settings: mail.settings, logger: quietLogger)
            let queued = try await digest.runIfDue(now: mail.clock.now)
            #expect(queued == 1)
            #expect(try await digest.runIfDue(now: mail.clock.now) == nil, "a run happens once")
            await mail.deliver()

            // validation
            let messages = try mail.smtp.messages()
            #expect(messages.count == 1)
            let message = try #require(messages.first)
            #expect(message.subject.hasPrefix("Dateline daily digest"))
            #expect(message.subject.hasSuffix("2 new releases"))
            #expect(message.text.contains("First release of the day") && message.text.contains("Second release of the day"))
            #expect(message.html.contains("This newswire is free to all"))
            #expect(message.html.contains(#"<a href="https://example.org/give">Give monthly</a>"#))
            #expect(message.text.contains("Give monthly: https://example.org/give"))
            #expect(message.listUnsubscribePost == "List-Unsubscribe=One-Click")

            // A digest sent by hand covers only what came after the last one.
            mail.clock.advance(by: 3600)
            #expect(try await digest.runNow(now: mail.clock.now) == 0, "nothing new since the last digest")
            mail.clock.advance(by: 86400)
            #expect(try await digest.runIfDue(now: mail.clock.now) == 0, "the next day's run finds nothing new")
        }
    }

    @Test("Sign-ups: invalid addresses are refused with a message, forged posts are refused, and floods are throttled")
    func signUpRefusals() async throws {
        try await withMailHarness { mail in
            for (address, words) in [("", "enter your email"), ("no-at-sign", "one @"), ("two@@example.org", "one @"), ("a b@example.org", "characters"), ("x@localhost", "domain")] {
                let response = try await mail.postForm("/subscribe", ["email": address])
                #expect(response.status == .unprocessableContent, "\(address)")
                #expect(response.body.lowercased().contains(words.lowercased()), "\(address): \(response.body)")
            }
            #expect(try await mail.postForm("/subscribe", ["email": "victim@example.org"], origin: "https://evil.example").status == .forbidden)
            #expect(try await mail.postForm("/subscribe", ["email": "victim@example.org"], origin: nil).status == .forbidden)

            // Per address: three a day, then refused.
            for _ in 0..<3 { #expect(try await mail.postForm("/subscribe", ["email": "victim@example.org"]).status == .ok) }
            #expect(try await mail.postForm("/subscribe", ["email": "victim@example.org"]).status == .tooManyRequests)
            // Per client: ten an hour.
            for index in 0..<7 { #expect(try await mail.postForm("/subscribe", ["email": "other\(index)@example.org"]).status == .ok) }
            #expect(try await mail.postForm("/subscribe", ["email": "late@example.org"]).status == .tooManyRequests)
            await mail.deliver()
            let messages = try mail.smtp.messages()
            #expect(messages.filter { $0.envelopeTo == "victim@example.org" }.count == 3)
            #expect(messages.count == 10)
            #expect(try await mail.subscriber("late@example.org") == nil)
        }
    }

    @Test("Tokens: a changed, expired or wrong-purpose token does nothing")
    func tokens() async throws {
        let clock = TestClock()
        try await withMailHarness(clock: clock) { mail in
            _ = try await mail.postForm("/subscribe", ["email": "reader@example.org"])
            await mail.deliver()
            let link = try #require(try mail.smtp.messages().first?.link(startingWith: "https://wire.example.org/subscription/confirm?token="))
            let token = String(link.split(separator: "=", maxSplits: 1)[1])
            var tampered = Array(token)
            tampered[5] = tampered[5] == "A" ? "B" : "A"
            #expect(try await mail.postForm("/subscription/confirm", ["token": String(tampered)], origin: nil).status == .gone)
            #expect(try await mail.postForm("/unsubscribe?token=\(token)", [:], origin: nil).status == .gone, "a confirm token cannot unsubscribe")
            #expect(try await mail.get("/subscription?token=\(token)").status == .gone, "nor open preferences")
            clock.advance(by: 49 * 3600)
            #expect(try await mail.postForm("/subscription/confirm", ["token": token], origin: nil).status == .gone, "expired after 48 hours")
            #expect(try await mail.subscriber("reader@example.org")?.status == "pending")
        }
    }

    @Test("Admins edit the support appeal; release pages show it with its donation links")
    func appealOnReleasePage() async throws {
        try await withMailHarness { mail in
            var release = ImportedRelease(headline: "Appeal test", language: "en")
            release.issuer = "Rivers Trust"
            release.body = ["Body."]
            guard case .imported(_, let slug, _) = try await mail.store.store(release, options: ImportOptions(publish: true)) else { Issue.record("not imported"); return }
            #expect(!(try await mail.get("/releases/\(slug)").body.contains("class=\"appeal\"")), "no appeal until an admin writes one")
            let appeal = try SupportAppeal(heading: "Free to all", text: "No paywalls.\n\nPlease give.", methods: [.init(name: "Donate", url: "https://example.org/donate", note: "")]).validated()
            try await mail.hub.write { try await appeal.save(on: $0) }
            let page = try await mail.get("/releases/\(slug)").body
            #expect(page.contains("<h2 id=\"appeal-heading\">Free to all</h2>"))
            #expect(page.contains("<p>No paywalls.</p><p>Please give.</p>"))
            #expect(page.contains(#"<a href="https://example.org/donate" rel="noopener">Donate</a>"#))
            #expect(throws: AppealError.self) { try SupportAppeal(heading: "", text: "", methods: [.init(name: "Bad", url: "javascript:alert(1)", note: "")]).validated() }
        }
    }
}
