import Foundation
import Testing
@testable import ReleaseImport

/// One minimal page or text per kind of fault found in the HTML corpus, with its right value.
@Suite struct HTMLFaultTests {
    private func page(_ body: String) throws -> ImportedRelease {
        try ReleaseImporter.extract(data: Data("<!doctype html><html lang=\"en\"><body><article>\(body)</article></body></html>".utf8))
    }

    private static let prose = [
        "The ministry said on Tuesday that the new access rules apply to every bank in the region from next month.",
        "Officials from several countries attended the meeting and agreed to meet again at the end of the year.",
    ]

    @Test func bodyEndsBeforeTheSitesRelatedPosts() throws {
        let release = try page("""
        <h1>Access restored after two years</h1>
        <p>\(Self.prose[0])</p><p>\(Self.prose[1])</p>
        <h3>Related — 有關</h3>
        <p>Read further in the pursuit of knowledge about a different story that was posted last year.</p>
        """)

        #expect(release.body == Self.prose)
    }

    @Test func trailingAgencyCreditIsTheIssuerNotBody() throws {
        let release = try page("""
        <h1>PM attends roundtable</h1>
        <p>\(Self.prose[0])</p><p>\(Self.prose[1])</p><p>The roundtable will meet again in June in the same city as this year.</p>
        <p><em>GIS</em></p>
        <p>NOW Grenada is not responsible for the opinions, statements or media content presented by contributors.</p>
        """)

        #expect(release.issuer == "GIS")
        #expect(release.body.last == "The roundtable will meet again in June in the same city as this year.")
    }

    @Test func aShortCapitalsHeadingCutByTruncationIsNoCredit() {
        #expect(ReleaseExtractor.isCreditLine("GIS"))
        #expect(!ReleaseExtractor.isCreditLine("ADDITIONAL KEY FI"))
        #expect(!ReleaseExtractor.isCreditLine("Thank you"))
    }

    @Test func tickerInTheLeadNamesTheIssuer() {
        let text = """
        Resort Opens in Vietnam

        Hyatt Hotels Corporation (NYSE: H) announced the opening of a new resort as part of its collection of independent hotels.

        "We are pleased to open the resort," said David Udell, group president.
        """

        #expect(ReleaseImporter.extract(text: text).issuer == "Hyatt Hotels Corporation")
    }

    @Test func brandHeadingAndLegalNoteStartTheBoilerplate() {
        let text = """
        Resort Opens in Vietnam

        Hyatt Hotels Corporation (NYSE: H) announced the opening of a new resort as part of its collection of independent hotels.

        The private beach serves as a memorable setting to host a private ceremony.

        The term "Hyatt" is used in this release for convenience to refer to Hyatt Hotels Corporation and/or one or more of its affiliates.

        The Unbound Collection by Hyatt

        The Unbound Collection by Hyatt brand is a portfolio of upper-upscale hotel properties.
        """

        let release = ReleaseImporter.extract(text: text)

        #expect(release.body.last == "The private beach serves as a memorable setting to host a private ceremony.")
        #expect(release.boilerplate == "The Unbound Collection by Hyatt brand is a portfolio of upper-upscale hotel properties.")
    }

    @Test func standaloneDatelineDropsTheCountry() {
        #expect(DatelineParser.parseStandalone("BAAR, SWITZERLAND")?.city == "BAAR")
        #expect(DatelineParser.parseStandalone("WASHINGTON")?.city == "WASHINGTON")
    }
}

/// The string helpers that replaced Foundation's bridged versions must keep their meaning.
@Suite struct StringHelperTests {
    @Test func trimmedMatchesFoundation() {
        for s in ["  a b  ", "\u{3000}x\u{2028}", "\t\n", "", "é ", "\u{85}y"] {
            #expect(s.trimmed == s.trimmingCharacters(in: .whitespacesAndNewlines), "\(s.debugDescription)")
        }
    }

    @Test func wordCountAndComparable() {
        #expect("  Two\u{00A0}words\there ".wordCount == 3)
        #expect("Über-Straße, 2024!".comparable == "überstraße2024")
        #expect("İstanbul".comparable == "İstanbul".lowercased().unicodeScalars.filter { CharacterSet.alphanumerics.contains($0) }.map(String.init).joined())
    }

    @Test func prefilteredPatternsStillMatchIgnoringCase() {
        let rx = Rx(#"\bnewscenter\b"#, needs: ["newscenter"])
        #expect(rx.test("Visit the NewsCenter today"))
        #expect(!rx.test("Visit the news center today"))
    }
}
