import Foundation
import Testing
@testable import ReleaseImport

/// `json(_:)` and `jsonLine(_:)` are written by hand for speed; they must stay byte for byte
/// what JSONEncoder (pretty) and JSONSerialization (one line) print, which the corpus scorer
/// and stored imports were produced with.
@Suite struct JSONOutputTests {
    /// Every ASCII control character, quotes, backslashes, slashes and non-ASCII text.
    static let awkward: String = (0..<0x80).map { String(UnicodeScalar(UInt8($0))) }.joined()
        + "\u{85}\u{A0}\u{2028}\u{2029}\u{FEFF}é😀 \"q\" \\ a/b </script>"

    static let samples: [ImportedRelease] = [
        ImportedRelease(),
        ImportedRelease(headline: "H", language: "en"),
        ImportedRelease(
            headline: awkward, subheadline: "Sub", releaseTiming: .embargoed,
            embargoUntil: Date(timeIntervalSince1970: 1_617_292_800), datelineCity: "WASHINGTON",
            date: "2021-04-01", language: "de", issuer: "Org",
            contacts: [ImportedContact(name: "Dana", email: "d@example.org"), ImportedContact()],
            quotes: [ImportedQuote(speaker: nil, role: "Chair", text: awkward), ImportedQuote(speaker: "Jane", role: nil, text: "")],
            body: ["", awkward, "line\r\nbreak"], boilerplate: awkward, statementURL: "https://example.org/a/b",
            hasStatementLine: true,
            socialProfiles: [ImportedSocialProfile(network: "twitter", handleOrURL: "@x"), ImportedSocialProfile(network: "", handleOrURL: "")]
        ),
        ImportedRelease(releaseTiming: .immediate, contacts: [ImportedContact(title: "t")], quotes: [], body: ["only"]),
    ]

    @Test func prettyMatchesJSONEncoder() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        for r in Self.samples {
            #expect(ReleaseImporter.json(r) == (try encoder.encode(r)))
        }
    }

    @Test func lineMatchesJSONSerialization() throws {
        for r in Self.samples {
            let object = try JSONSerialization.jsonObject(with: ReleaseImporter.json(r))
            let expected = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
            #expect(ReleaseImporter.jsonLine(r) == expected)
        }
    }
}
