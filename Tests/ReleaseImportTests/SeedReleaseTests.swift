import Foundation
import Testing
@testable import ReleaseImport

/// The seed release (Samples/seed-release.txt), field by field, as the architecture's
/// feature table reads it.
@Suite struct SeedReleaseTests {
    let release: ImportedRelease

    init() throws {
        let url = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().appendingPathComponent("../../Samples/seed-release.txt").standardizedFileURL
        let text = try ReleaseImporter.decodeText(Data(contentsOf: url))
        release = ReleaseImporter.extract(text: text)
    }

    @Test func timingIsImmediate() {
        #expect(release.releaseTiming == .immediate)
        #expect(release.embargoUntil == nil)
    }

    @Test func datelineCity() {
        #expect(release.datelineCity == "WASHINGTON")
    }

    @Test func contactIsTheNameUnderOrganizationProfile() {
        #expect(release.contacts.map(\.name) == ["Lena Marsh"])
    }

    @Test func headlineWithoutSubheadline() {
        #expect(release.headline == "Prisoner Pardons in Iran Welcome, But Hundreds More Who Should Be Free Remain Jailed")
        #expect(release.subheadline == nil)
    }

    @Test func oneQuoteWithSpeakerAndRole() throws {
        try #require(release.quotes.count == 1)
        let quote = release.quotes[0]
        #expect(quote.speaker == "Daniel Okafor")
        #expect(quote.role == "Amnesty International’s Middle East and North Africa Research and Advocacy Director")
        #expect(quote.text.hasPrefix("Amnesty International welcomes the release"))
    }

    @Test func bodyRunsFromTheLeadToTheLastParagraphBeforeTheBoilerplate() throws {
        let first = try #require(release.body.first)
        let last = try #require(release.body.last)
        #expect(first.hasPrefix("Responding to the announcement"))
        #expect(last.hasSuffix("including in the country’s prisons."))
        #expect(release.body.contains { $0.hasPrefix("Earlier today") })
    }

    @Test func clutterIsNotInTheBody() {
        let body = release.body.joined(separator: "\n")
        for clutter in ["Never Miss a Beat", "Get our best delivered", "This statement is available at",
                        "Follow Amnesty International USA on Twitter", "Our pandemic coverage is free to all",
                        "No paywalls", "Please select a donation method", "Share This Article"] {
            #expect(!body.contains(clutter), "\(clutter) leaked into the body")
        }
    }

    @Test func boilerplate() {
        #expect(release.boilerplate?.hasPrefix("Amnesty International is a global movement") == true)
    }

    @Test func statementLineWithoutLink() {
        #expect(release.hasStatementLine)
        #expect(release.statementURL == nil)
    }

    @Test func socialProfileFromFollowLine() {
        #expect(release.socialProfiles == [ImportedSocialProfile(network: "twitter", handleOrURL: "Amnesty International USA")])
    }

    @Test func issuerAndLanguage() {
        #expect(["Amnesty International USA", "Amnesty International"].contains(release.issuer))
        #expect(release.language == "en")
    }

    @Test func nothingRequiredIsMissing() {
        #expect(release.missingRequiredFields.isEmpty)
    }
}
