import DatelineCore
@testable import DatelineServer
import FluentKit
import Foundation
import Hummingbird
import HTTPTypes
import HummingbirdTesting
import Testing

/// The release form as a communicator meets it: languages by name, a time zone list defaulting
/// to the organization's, its media contacts ticked, and a preview that reads as the public page.
@Suite("Newsroom release form")
struct NewsroomFormTests {
    let newsroom = NewsroomTests()

    @Test("A new release's form lists languages by name and zones, defaults to the organization's zone, ticks its media contacts; the lift time is read and shown in the chosen zone; the preview has the headline, timing line and contact")
    func form() async throws {
        try await newsroom.withNewsroom { client, hub, clock in
            // setup: a media contact, and an earlier release of the organization written in New York's zone
            let rivers = try #require(try await OrganizationModel.query(on: hub.database).filter(\.$slug == "rivers-trust").first())
            try await hub.write { database in
                try await MediaContactModel(organizationID: rivers.id!, contact: MediaContact(name: "Lena Marsh", email: "lena@rivers.example")).create(on: database)
            }
            let member = try await signInFully(client, email: "a@rivers.example", hub: hub, clock: clock)
            var fields = newsroom.draftFields(try await csrfToken(client, jar: member), organization: "rivers-trust", headline: "Earlier release")
            fields["embargoZone"] = "America/New_York"
            _ = try await post(client, "/newsroom/releases", fields, jar: member)

            // MUT: the new form
            let form = try await client.execute(uri: "/newsroom/releases/new", method: .get, headers: member.header) { String(buffer: $0.body) }
            #expect(form.contains(#"<select id="language" name="language">"#) && form.contains(#"<option value="fr">French (fr)</option>"#))
            #expect(form.contains(#"<option value="en" selected>English (en)</option>"#))
            #expect(form.contains(#"<option value="America/New_York" selected>America/New York</option>"#), "the organization's zone")
            #expect(form.matches(of: /<input type="checkbox" name="contacts\[\]" value="[^"]+" checked> Lena Marsh/).count == 1, "the media contact ticked")

            // MUT: an embargoed release written on Berlin's wall clock, with the contact
            let contactID = try #require(try await MediaContactModel.query(on: hub.database).first()?.id)
            var embargoed = newsroom.draftFields(try await csrfToken(client, jar: member), organization: "rivers-trust", headline: "Berlin embargo")
            embargoed["timing"] = "embargoed"
            embargoed["embargoUntil"] = "2027-01-15T09:00"
            embargoed["embargoZone"] = "Europe/Berlin"
            embargoed["contacts[]"] = contactID.uuidString
            embargoed["language"] = "de"
            let saved = try await post(client, "/newsroom/releases", embargoed, jar: member)
            #expect(saved.status == .seeOther)
            let release = try #require(try await ReleaseModel.query(on: hub.database).filter(\.$headline == "Berlin embargo").first())
            #expect(release.timeZone == "Europe/Berlin" && release.language == "de")
            #expect(release.embargoUntil == ISO8601DateFormatter().date(from: "2027-01-15T08:00:00Z"), "09:00 in Berlin is 08:00 UTC in January")

            // validation: the edit page shows the time on Berlin's clock, and the preview as the public page
            let page = try await client.execute(uri: try #require(saved.location), method: .get, headers: member.header) { String(buffer: $0.body) }
            #expect(page.contains(#"name="embargoUntil" value="2027-01-15T09:00""#))
            #expect(page.contains(#"<option value="Europe/Berlin" selected>"#) && page.contains(#"<option value="de" selected>"#))
            let preview = try #require(page.components(separatedBy: #"<article class="release-preview">"#).last)
            #expect(preview.contains(#"<p class="headline">Berlin embargo</p>"#))
            #expect(preview.contains("Embargoed until January 15, 2027") && preview.contains("UTC+01:00"), "the timing line in the release's zone")
            #expect(preview.contains("Media contact") && preview.contains("Lena Marsh"))
            // Saving the form unchanged keeps the lift time.
            var unchanged = embargoed
            unchanged["_csrf"] = try await csrfToken(client, jar: member)
            _ = try await post(client, try #require(saved.location), unchanged, jar: member)
            #expect(try await ReleaseModel.find(release.id, on: hub.database)?.embargoUntil == release.embargoUntil)
            // An unknown zone is refused with a clear message.
            unchanged["embargoZone"] = "Mars/Olympus"
            let refused = try await post(client, try #require(saved.location), unchanged, jar: member)
            #expect(refused.status == .badRequest && refused.body.contains("is not a time zone"))
            // A refused save shows what was sent, not what is stored.
            var typed = embargoed
            typed["_csrf"] = try await csrfToken(client, jar: member)
            typed["embargoUntil"] = ""
            typed["topics"] = "Floods, Otters"
            typed["headline"] = "Berlin embargo, retitled"
            let kept = try await post(client, try #require(saved.location), typed, jar: member)
            #expect(kept.status == .badRequest && kept.body.contains("needs its lift time"))
            #expect(kept.body.contains(#"name="topics" value="Floods, Otters""#) && kept.body.contains(#"value="Berlin embargo, retitled""#))
            #expect(kept.body.contains(#"value="embargoed" checked"#), "the timing as sent")
            #expect(try await ReleaseModel.find(release.id, on: hub.database)?.headline == "Berlin embargo", "nothing saved")
        }
    }

    @Test("A refused form comes back as sent, its error tied to the field and named in the title; sign-in and sign-up errors too, the sign-up page with one email field; a release page has no heading before its headline")
    func errorsTiedToFields() async throws {
        try await newsroom.withNewsroom { client, hub, clock in
            let member = try await signInFully(client, email: "a@rivers.example", hub: hub, clock: clock)
            var fields = newsroom.draftFields(try await csrfToken(client, jar: member), organization: "rivers-trust", headline: "  ")
            fields["body"] = "A body worth keeping."
            let refused = try await post(client, "/newsroom/releases", fields, jar: member)
            #expect(refused.status == .badRequest)
            #expect(refused.body.contains("<title>Error: new release"))
            #expect(refused.body.contains(#"id="form-error">A release needs a headline."#))
            #expect(refused.body.contains(#"name="headline" value="  " required aria-invalid="true" aria-describedby="form-error""#))
            #expect(refused.body.contains(">A body worth keeping.</textarea>"), "nothing typed is lost")
            #expect(try await ReleaseModel.query(on: hub.database).count() == 0)

            // Sign-in: the error is tied to both fields.
            var jar = CookieJar()
            let signInPage = try await client.execute(uri: "/newsroom/sign-in", method: .get) { response in
                jar.take(response.headers)
                return String(buffer: response.body)
            }
            #expect(!signInPage.contains("aria-invalid"), "no error, no invalid field")
            let wrong = try await post(client, "/newsroom/sign-in", ["email": "a@rivers.example", "password": "not the password", "_csrf": hiddenCSRF(signInPage) ?? ""], jar: jar)
            #expect(wrong.body.contains("<title>Error: sign in") && wrong.body.matches(of: /aria-invalid="true" aria-describedby="sign-in-error"/).count == 2)

            // A release page: the headline is the first heading.
            let editor = try await signInFully(client, email: "ed@wire.example", hub: hub, clock: clock)
            let path = try #require(try await post(client, "/newsroom/releases", newsroom.draftFields(try await csrfToken(client, jar: member), organization: "rivers-trust", headline: "Heading order"), jar: member).location)
            _ = try await post(client, "\(path)/approve", ["_csrf": try await csrfToken(client, jar: editor), "decision": "now"], jar: editor)
            let release = try await client.execute(uri: "/releases/heading-order", method: .get) { String(buffer: $0.body) }
            let firstHeading = try #require(release.firstMatch(of: /<h([1-6])[ >]/))
            #expect(firstHeading.1 == "1", "no h2 comes before the h1")

            // Sign-up with a bad address: one email field, tied to its error.
            let signUp = try await client.execute(uri: "/subscribe", method: .post, headers: [.contentType: "application/x-www-form-urlencoded", HTTPField.Name("Sec-Fetch-Site")!: "same-origin"], body: ByteBuffer(string: "email=not-an-address")) { String(buffer: $0.body) }
            #expect(signUp.matches(of: /type="email"/).count == 1, "\(signUp.prefix(200))")
            #expect(signUp.contains(#"aria-invalid="true" aria-describedby="subscribe-error""#))
        }
    }
}
