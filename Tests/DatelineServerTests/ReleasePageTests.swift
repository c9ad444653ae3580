import DatelineServer
import Foundation
import Hummingbird
import HummingbirdTesting
import ReleaseImport
import Testing

@Suite("Public site")
struct ReleasePageTests {
    @Test("The seed release page shows every part, in a newswire's order")
    func seedReleasePage() async throws {
        try await withApp { client, store in
            // setup
            let outcome = try await store.store(ReleaseImporter.extract(text: try seedText()), options: ImportOptions(publish: true, organizationName: "Amnesty International USA", topics: ["Human rights"]))
            guard case .imported(_, let slug, let status) = outcome else { Issue.record("not imported: \(outcome)"); return }
            #expect(status == "published")
            #expect(slug == "prisoner-pardons-in-iran-welcome-but-hundreds-more-who-should-be-free-remain")

            // MUT
            let page = try await client.execute(uri: "/releases/\(slug)", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "text/html; charset=utf-8")
                return String(buffer: response.body)
            }

            // validation
            let parts = [
                "For Immediate Release",
                ">Amnesty International USA</a>",
                "Lena Marsh",
                "<h1 class=\"headline\">Prisoner Pardons in Iran Welcome, But Hundreds More Who Should Be Free Remain Jailed</h1>",
                "<span class=\"dateline\">WASHINGTON",
                "Daniel Okafor, Amnesty International’s Middle East and North Africa Research and Advocacy Director, said:",
                "<blockquote>",
                "Amnesty International welcomes the release of anyone detained",
                "including in the country’s prisons.",
                "About <bdi>Amnesty International USA</bdi>",
                "Amnesty International is a global movement of millions of people",
                "Follow Amnesty International USA on X",
                "Share this release",
            ]
            var position = page.startIndex
            for part in parts {
                guard let range = page.range(of: part, range: position..<page.endIndex) else {
                    Issue.record("missing, or out of order: \(part)")
                    continue
                }
                position = range.upperBound
            }
            #expect(page.contains("<html lang=\"en\" dir=\"ltr\">"))
            for clutter in ["Never Miss a Beat", "Share This Article", "Please select a donation method", "Get our best delivered"] {
                #expect(!page.contains(clutter), "clutter on the page: \(clutter)")
            }
            for share in ["href=\"mailto:?subject=Prisoner%20Pardons", "href=\"/share/mastodon?text=", "href=\"https://bsky.app/intent/compose?text=",
                          "href=\"https://www.linkedin.com/sharing/share-offsite/?url=https%3A%2F%2Fwire.example.org%2Freleases%2Fprisoner",
                          "href=\"https://www.facebook.com/sharer/sharer.php?u=", "href=\"https://x.com/intent/post?text="] {
                #expect(page.contains(share), "share link missing: \(share)")
            }
            #expect(page.occurrences(of: "<script") == 1 && page.contains("<script type=\"application/ld+json\">"), "no script but the JSON-LD data block")
            #expect(page.contains("<link rel=\"alternate\" type=\"application/atom+xml\""))
            #expect(page.contains("<link rel=\"canonical\" href=\"https://wire.example.org/releases/\(slug)\">"))
        }
    }

    @Test("A statement link and an organization's profiles appear as links")
    func statementAndFollowLinks() async throws {
        try await withApp { client, store in
            // setup
            let text = """
            For Immediate Release

            Rivers Trust Opens Three New Wetlands

            LEEDS - The Rivers Trust today opened three wetlands on the Aire.

            This statement is available at: https://rivers.example.org/news/wetlands

            Follow Rivers Trust on Twitter.
            """
            var extraction = ReleaseImporter.extract(text: text)
            extraction.issuer = "Rivers Trust"
            let outcome = try await store.store(extraction, options: ImportOptions(publish: true, organizationProfiles: ["mastodon": "@rivers@mastodon.social"]))
            guard case .imported(_, let slug, _) = outcome else { Issue.record("not imported: \(outcome)"); return }

            // MUT
            let page = try await client.execute(uri: "/releases/\(slug)", method: .get) { String(buffer: $0.body) }

            // validation
            #expect(page.contains("This statement is available at <a href=\"https://rivers.example.org/news/wetlands\""))
            #expect(page.contains("<a href=\"https://mastodon.social/@rivers\" rel=\"noopener\">Follow <bdi>Rivers Trust</bdi> on Mastodon</a>"))
        }
    }

    @Test("The home page lists published releases, newest first, paginated, and links them")
    func homePage() async throws {
        try await withApp { client, store in
            // setup: five releases on five days, one left as a draft; three to a page
            for day in 1...5 {
                var extraction = ImportedRelease(headline: "Budget vote number \(day)", language: "en")
                extraction.issuer = "City Council"
                extraction.date = "2026-03-0\(day)"
                extraction.body = ["The council voted on day \(day)."]
                _ = try await store.store(extraction, options: ImportOptions(publish: day != 3))
            }

            // MUT
            let first = try await client.execute(uri: "/", method: .get) { String(buffer: $0.body) }
            let second = try await client.execute(uri: "/?page=2", method: .get) { String(buffer: $0.body) }

            // validation
            #expect(first.contains("href=\"/releases/budget-vote-number-5\""))
            #expect(first.range(of: "number 5")!.lowerBound < first.range(of: "number 4")!.lowerBound)
            #expect(first.range(of: "number 4")!.lowerBound < first.range(of: "number 2")!.lowerBound)
            #expect(!first.contains("number 3"), "a draft is not listed")
            #expect(second.contains("number 1"))
            try await client.execute(uri: "/?page=3", method: .get) { #expect($0.status == .notFound) }
            // "Older" names the last release shown; that page ends the listing and links back.
            #expect(first.contains("<a rel=\"next\" href=\"/?before=budget-vote-number-2\">Older →</a>"))
            #expect(!first.contains("rel=\"prev\""))
            let older = try await client.execute(uri: "/?before=budget-vote-number-2", method: .get) { String(buffer: $0.body) }
            #expect(older.contains("number 1") && !older.contains("number 2") && !older.contains("rel=\"next\""))
            #expect(older.contains("<a rel=\"prev\" href=\"/?after=budget-vote-number-1\">← Newer</a>"))
            let newer = try await client.execute(uri: "/?after=budget-vote-number-1", method: .get) { String(buffer: $0.body) }
            #expect(ListingPaginationTests.listedSlugs(newer) == ["budget-vote-number-5", "budget-vote-number-4", "budget-vote-number-2"])
        }
    }

    @Test("Organization and topic pages show the profile, contacts and releases")
    func organizationAndTopicPages() async throws {
        try await withApp { client, store in
            // setup
            _ = try await store.store(ReleaseImporter.extract(text: try seedText()), options: ImportOptions(publish: true, organizationName: "Amnesty International USA", topics: ["Human rights"]))

            // MUT
            let organization = try await client.execute(uri: "/organizations/amnesty-international-usa", method: .get) { response in
                #expect(response.status == .ok)
                return String(buffer: response.body)
            }
            let topic = try await client.execute(uri: "/topics/human-rights", method: .get) { response in
                #expect(response.status == .ok)
                return String(buffer: response.body)
            }

            // validation
            #expect(organization.contains("<h1 id=\"org-name\" class=\"page-title\">Amnesty International USA</h1>"))
            #expect(organization.contains("Amnesty International is a global movement"))
            #expect(organization.contains("Lena Marsh"))
            #expect(organization.contains("Prisoner Pardons in Iran Welcome"))
            #expect(topic.contains("<h1 class=\"page-title\">Human rights</h1>"))
            #expect(topic.contains("Prisoner Pardons in Iran Welcome"))
        }
    }

    @Test("Unknown addresses and unpublished releases answer the same 404 page")
    func notFound() async throws {
        try await withApp { client, store in
            // setup: a draft, whose slug a thief might guess
            let outcome = try await store.store(ReleaseImporter.extract(text: try seedText()), options: ImportOptions(publish: false))
            guard case .imported(_, let slug, let status) = outcome else { Issue.record("not imported"); return }
            #expect(status == "draft")

            // MUT
            func fetch(_ uri: String) async throws -> (HTTPResponse.Status, String) {
                try await client.execute(uri: uri, method: .get) { ($0.status, String(buffer: $0.body)) }
            }
            let draft = try await fetch("/releases/\(slug)")
            let unknown = try await fetch("/releases/no-such-release")
            let nonsense = try await fetch("/no/such/page")
            let organization = try await fetch("/organizations/nobody")

            // validation
            #expect(draft.0 == .notFound)
            #expect(unknown.0 == .notFound)
            #expect(nonsense.0 == .notFound)
            #expect(organization.0 == .notFound)
            #expect(draft.1 == unknown.1, "a draft must be indistinguishable from a release that does not exist")
            #expect(unknown.1.contains("Page not found"))
            #expect(!draft.1.contains("Prisoner Pardons"))
        }
    }

    @Test("Page numbers out of range answer 404 and never reach the database's arithmetic", arguments: ["0", "-1", "100001", "922337203685477581", "9223372036854775807"])
    func pageOutOfRange(page: String) async throws {
        try await withApp { client, _ in
            for path in ["/", "/topics/anything", "/organizations/anyone"] {
                try await client.execute(uri: "\(path)?page=\(page)", method: .get) { #expect($0.status == .notFound) }
            }
        }
    }

    @Test("An organization or topic known only from a draft is as absent as one that does not exist")
    func draftOnlyOrganizationAndTopic() async throws {
        try await withApp { client, store in
            // setup
            var draft = ImportedRelease(headline: "Secret merger", language: "en")
            draft.issuer = "Secret Org"
            draft.body = ["Not yet."]
            draft.contacts = [ImportedContact(name: "Eve Hidden", email: "eve@secret.example")]
            _ = try await store.store(draft, options: ImportOptions(publish: false, topics: ["Merger talk"]))

            // MUT
            let organization = try await client.execute(uri: "/organizations/secret-org", method: .get) { ($0.status, String(buffer: $0.body)) }
            let topic = try await client.execute(uri: "/topics/merger-talk", method: .get) { ($0.status, String(buffer: $0.body)) }
            let nothing = try await client.execute(uri: "/organizations/no-such-org", method: .get) { String(buffer: $0.body) }

            // validation
            #expect(organization.0 == .notFound)
            #expect(topic.0 == .notFound)
            #expect(organization.1 == nothing)
            #expect(!organization.1.contains("Eve Hidden"))
        }
    }

    @Test("Importing a draft never changes what published pages show about its organization")
    func draftDoesNotRewritePublishedContacts() async throws {
        try await withApp { client, store in
            // setup: a published release with a contact, then a draft naming the same contact with new details and a new contact
            var published = ImportedRelease(headline: "Open letter", language: "en")
            published.issuer = "Evil & Co."
            published.body = ["Published text."]
            published.contacts = [ImportedContact(name: "Eve Mallory", email: "press@evil.example")]
            guard case .imported(_, let slug, _) = try await store.store(published, options: ImportOptions(publish: true)) else { Issue.record("not imported"); return }
            var draft = ImportedRelease(headline: "Unannounced deal", language: "en")
            draft.issuer = "Evil & Co."
            draft.body = ["Secret text."]
            draft.contacts = [ImportedContact(name: "Eve Mallory", email: "eve.private@secret.example"), ImportedContact(name: "Zed Newhire")]
            _ = try await store.store(draft, options: ImportOptions(publish: false))

            // MUT
            let page = try await client.execute(uri: "/releases/\(slug)", method: .get) { String(buffer: $0.body) }
            let organization = try await client.execute(uri: "/organizations/evil-co", method: .get) { String(buffer: $0.body) }

            // validation
            #expect(page.contains("press@evil.example"))
            #expect(!page.contains("eve.private@secret.example"))
            #expect(organization.contains("Eve Mallory"))
            #expect(!organization.contains("Zed Newhire"))
            #expect(!organization.contains("Unannounced deal"))
        }
    }

    @Test("Every response forbids framing by other sites and content sniffing")
    func securityHeaders() async throws {
        try await withApp { client, _ in
            for uri in ["/", "/newsroom/sign-in", "/no/such/page", "/feed.atom"] {
                try await client.execute(uri: uri, method: .get) { response in
                    #expect(response.headers[.init("X-Frame-Options")!] == "DENY", "\(uri)")
                    #expect(response.headers[.contentSecurityPolicy]?.contains("frame-ancestors 'none'") == true, "\(uri)")
                    #expect(response.headers[.init("X-Content-Type-Options")!] == "nosniff", "\(uri)")
                }
            }
        }
    }

    @Test("HEAD answers like GET without a body")
    func head() async throws {
        try await withApp(sampleData: true) { client, _ in
            for path in ["/", "/feed.atom", "/releases/prisoner-pardons-in-iran-welcome-but-hundreds-more-who-should-be-free-remain"] {
                let get = try await client.execute(uri: path, method: .get) { ($0.status, $0.headers[.contentType], $0.body.readableBytes) }
                try await client.execute(uri: path, method: .head) { response in
                    #expect(response.status == get.0)
                    #expect(response.headers[.contentType] == get.1)
                    #expect(response.body.readableBytes == 0)
                }
            }
            try await client.execute(uri: "/releases/nothing-here", method: .head) { #expect($0.status == .notFound) }
        }
    }

    @Test("A right-to-left release takes its language and direction on its own text only; the chrome keeps the site's")
    func rightToLeft() async throws {
        try await withApp { client, store in
            // setup
            var extraction = ImportedRelease(headline: "بيان حول حماية الأطفال", language: "ar")
            extraction.issuer = "UNICEF"
            extraction.body = ["قالت المديرة التنفيذية إن الأطفال يجب حمايتهم."]
            guard case .imported(_, let slug, _) = try await store.store(extraction, options: ImportOptions(publish: true)) else {
                Issue.record("not imported"); return
            }

            // MUT
            let page = try await client.execute(uri: "/releases/\(slug.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed)!)", method: .get) { response in
                #expect(response.status == .ok)
                return String(buffer: response.body)
            }

            // validation
            #expect(page.contains("<html lang=\"en\" dir=\"ltr\">"), "header, sign-up box, appeal and footer stay in the site's language")
            #expect(page.contains("<header class=\"release-head\" lang=\"ar\" dir=\"rtl\">\n    <h1 class=\"headline\">بيان حول حماية الأطفال</h1>"))
            #expect(page.contains("<div class=\"body\" lang=\"ar\" dir=\"rtl\">"))
            #expect(!page.contains("<article class=\"release\" lang="), "the share box and appeal inside the article keep the site's language")
        }
    }

    @Test("Mastodon sharing asks for the reader's server, then hands over to it")
    func shareOnMastodon() async throws {
        try await withApp { client, _ in
            try await client.execute(uri: "/share/mastodon?text=Hello%20world", method: .get) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body).contains("name=\"instance\""))
            }
            try await client.execute(uri: "/share/mastodon?text=Hello%20world&instance=%40me%40mastodon.social", method: .get) { response in
                #expect(response.status == .ok, "a link to follow, never an automatic redirect")
                #expect(response.headers[.location] == nil)
                #expect(String(buffer: response.body).contains("<a href=\"https://mastodon.social/share?text=Hello%20world\""))
            }
            for hostile in ["javascript:alert(1)", "10.0.0.1", "evil.example%2Fpath%3F", "%0D%0ASet-Cookie:a=b"] {
                try await client.execute(uri: "/share/mastodon?text=x&instance=\(hostile)", method: .get) { response in
                    #expect(response.status == .badRequest, "\(hostile) accepted")
                    #expect(response.headers[.location] == nil)
                }
            }
        }
    }

    @Test("serve --sample-data loads the seed and the other real releases, and links the seed from the home page")
    func sampleData() async throws {
        try await withApp(sampleData: true) { client, _ in
            let home = try await client.execute(uri: "/", method: .get) { String(buffer: $0.body) }
            var all = home
            var page = 2
            while all.contains("rel=\"next\"") && page < 10 {
                let next = try await client.execute(uri: "/?page=\(page)", method: .get) { String(buffer: $0.body) }
                all = next
                page += 1
            }
            let listed = try await client.execute(uri: "/organizations/amnesty-international-usa", method: .get) { String(buffer: $0.body) }
            #expect(listed.contains("href=\"/releases/prisoner-pardons-in-iran-welcome-but-hundreds-more-who-should-be-free-remain\""))
            let feed = try await client.execute(uri: "/feed.atom", method: .get) { String(buffer: $0.body) }
            #expect(feed.occurrences(of: "<entry>") == 7, "the seed and six other samples are published")
            #expect(home.contains("release-item"))
        }
    }
}
