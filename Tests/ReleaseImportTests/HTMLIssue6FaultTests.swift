import Foundation
import Testing
@testable import ReleaseImport

/// Issue 6: one minimal page or text per kind of fault fixed in the HTML corpus, with its right value.
@Suite struct HTMLIssue6FaultTests {
    private func page(_ body: String, lang: String = "en", head: String = "") throws -> ImportedRelease {
        try ReleaseImporter.extract(data: Data("<!doctype html><html lang=\"\(lang)\"><head>\(head)</head><body><article>\(body)</article></body></html>".utf8))
    }

    private static let prose = [
        "The ministry said on Tuesday that the new access rules apply to every bank in the region from next month.",
        "Officials from several countries attended the meeting and agreed to meet again at the end of the year.",
        "The committee will publish its full findings in a report to parliament before the summer recess begins.",
    ]

    @Test func listItemsWrappedInBlocksStayAListSoNoSubheadline() throws {
        let release = try page("""
        <h1>Charging stations every 60 km, say MEPs</h1>
        <ul><li><div><span>Faster roll-out of recharging stations needed on main roads</span></div></li>
        <li><div><span>Easy to use and affordable recharging for everyone</span></div></li></ul>
        <p>\(Self.prose[0])</p><p>\(Self.prose[1])</p>
        """)
        #expect(release.subheadline == nil)
        #expect(release.body.first == Self.prose[0])
    }

    @Test func contactCardWithCapitalSurnameTitleAndBulletedDetails() throws {
        let release = try page("""
        <h1>Charging stations every 60 km</h1>
        <p>\(Self.prose[0])</p><p>\(Self.prose[1])</p>
        <h2>Contacts:</h2>
        <ul><li><h3><span>Rasmus HOLTEN</span></h3><div><span>Press Officer</span></div>
        <ul><li><a href="tel:x">(+32) 2 28 41736 (BXL)</a></li><li><a href="mailto:r@ep.eu">r.holten@europarl.europa.eu</a></li>
        <li><a href="https://x.com/EP">@EP_Transport</a></li></ul></li></ul>
        """)
        #expect(release.contacts.count == 1)
        #expect(release.contacts.first?.name == "Rasmus HOLTEN")
        #expect(release.contacts.first?.phone == "(+32) 2 28 41736")
        #expect(release.contacts.first?.email == "r.holten@europarl.europa.eu")
        #expect(release.contacts.first?.title == "Press Officer")
        #expect(release.body == Array(Self.prose[0...1]))
    }

    @Test func mediaContactsAsideIsKept() throws {
        let release = try page("""
        <h1>Smart toilet monitors for signs of disease</h1>
        <p>\(Self.prose[0])</p><p>\(Self.prose[1])</p>
        <aside class="media-contacts"><h2>Media Contacts</h2><ul><li><div><span>Corinne Vail</span>
        <span>Tel <span>650-555-0143</span></span> <a href="mailto:cvail@stanford.edu">cvail@stanford.edu</a></div></li></ul></aside>
        """)
        #expect(release.contacts.map(\.name) == ["Corinne Vail"])
        #expect(release.contacts.first?.phone == "650-555-0143")
        #expect(release.contacts.first?.email == "cvail@stanford.edu")
    }

    @Test func headlineAfterALogoIsNotTakenForACaption() throws {
        let release = try page("""
        <div><img src="logo.png"><h1>Messengerdienste sind kein rechtsfreier Raum</h1></div>
        <p>Neue Taskforce des Bundeskriminalamtes nimmt die Arbeit auf</p>
        <ul><li><span>Datum:</span>26. Januar 2022</li><li><span>Ausgabejahr:</span>2022</li></ul>
        <p>Bedrohungen, Beleidigungen, Mordaufrufe: Der Messengerdienst Telegram entwickelt sich zunehmend zu einem Medium der Radikalisierung.</p>
        <p>Zur Aufklärung solcher Straftaten hat das BKA eine Taskforce eingerichtet, die eng mit den Ländern zusammenarbeitet.</p>
        """, lang: "de")
        #expect(release.headline == "Messengerdienste sind kein rechtsfreier Raum")
        #expect(release.subheadline == "Neue Taskforce des Bundeskriminalamtes nimmt die Arbeit auf")
        #expect(release.date == "2022-01-26")
    }

    @Test func headerDateLineIsNotABodyParagraph() throws {
        let release = try page("""
        <h1>Smart toilet monitors for signs of disease</h1>
        <div><span>Apr 6</span> <span>2020</span></div>
        <p>\(Self.prose[0])</p><p>\(Self.prose[1])</p>
        """)
        #expect(release.date == "2020-04-06")
        #expect(release.body == Array(Self.prose[0...1]))
    }

    @Test func pressOfficerUnderTheHeadlineIsAContactAndAuthorLineToo() throws {
        let release = try page("""
        <h4>Effiziente Hybridbatterie</h4>
        <p>01.11.2023 11:35</p>
        <p>Dr. Beate M. Lorenzen Abteilung Öffentlichkeitsarbeit</p>
        <p><em>Schnell ladende mikrobielle Brennstoffzelle und CO2-Elektrolyseur<br>Ameisensäure gilt als vielversprechender Energieträger, da sie vielfältig eingesetzt werden kann.</em></p>
        <p>Die Forschungsgruppe hat nun ein neuartiges zweistufiges mikrobielles Batteriesystem entwickelt, das schnell lädt.<br><br>
        Als weitere Anwendungsmöglichkeiten schlagen Forschende nachhaltige Abwasserbehandlungen vor.<br><br>
        Angewandte Chemie: Presseinfo 46/2023<br>Autor/-in: Yong Jiang, Fujian Agriculture and Forestry University (China), mailto:yjiang.lab@fafu.edu.cn<br>
        Angewandte Chemie, Postfach 101161, 69451 Weinheim, Germany.<br>Die "Angewandte Chemie" ist eine Publikation der GDCh.</p>
        <p>Originalpublikation:</p><p>https://doi.org/10.1002/ange.202312147</p>
        """, lang: "de", head: "<title>Effiziente Hybridbatterie</title>")
        #expect(release.subheadline == "Schnell ladende mikrobielle Brennstoffzelle und CO2-Elektrolyseur")
        #expect(release.contacts.map(\.name) == ["Dr. Beate M. Lorenzen", "Yong Jiang"])
        #expect(release.contacts.last?.email == "yjiang.lab@fafu.edu.cn")
        #expect(release.boilerplate?.hasPrefix("Die \"Angewandte Chemie\" ist eine Publikation der GDCh.") == true)
        #expect(release.body.last == "Als weitere Anwendungsmöglichkeiten schlagen Forschende nachhaltige Abwasserbehandlungen vor.")
        #expect(release.statementURL == "https://doi.org/10.1002/ange.202312147")
        #expect(release.issuer == "Angewandte Chemie")
    }

    @Test func attributionWithPartyParentheticalAndColonBeforeTheQuote() {
        let quotes = QuoteParser.parse(body: [
            "EP rapporteur on alternative fuels infrastructure Ismail Ertug (S&D, DE) said: “At the moment we have 377 000 charging stations in the EU.”",
        ], fullText: "", statementSpeaker: nil, issuer: nil)
        #expect(quotes.first?.speaker == "Ismail Ertug")
        #expect(quotes.first?.role == "EP rapporteur on alternative fuels infrastructure")
    }

    @Test func germanQuoteClosedByLowMarkThenSagt() {
        let quotes = QuoteParser.parse(body: [
            "„Insbesondere die Corona-Pandemie hat dazu beigetragen, dass sich Menschen radikalisieren“ sagt BKA-Präsident Holger Münch.",
        ], fullText: "", statementSpeaker: nil, issuer: nil)
        #expect(quotes.first?.speaker == "Holger Münch")
    }

    @Test func surnameSentenceIsNoBoilerplateAndARuledDescriptionIs() throws {
        let release = try page("""
        <h1>Smart toilet monitors for signs of disease</h1>
        <p>There is a new technology in the lab of Sanjiv “Sam” Gambhir, MD PhD, that reads samples automatically.</p>
        <p>\(Self.prose[1])</p>
        <p>Gambhir is a member of Stanford Bio-X, the Stanford Cardiovascular Institute and the Stanford Cancer Institute.</p>
        <hr><p>Stanford Medicine integrates research, medical education and health care at its three institutions, with many hospitals.</p>
        """)
        #expect(release.body.last == "Gambhir is a member of Stanford Bio-X, the Stanford Cardiovascular Institute and the Stanford Cancer Institute.")
        #expect(release.boilerplate?.hasPrefix("Stanford Medicine integrates") == true)
        #expect(release.issuer == "Stanford Medicine")
    }

    @Test func descriptionFollowedByTheReleasesOwnVoiceIsBody() {
        let body = [
            "Today the Wikimedia Foundation has received reports that access to Wikipedia has been restored in Turkey.",
            "Wikipedia is a global free knowledge resource written and edited by people around the world.",
            "More than 85 percent of the articles on Wikipedia are in languages other than English.",
            "In the time that the block was in effect, we heard from students and teachers in Turkey.",
            "We will keep this statement updated as further access is restored.",
        ]
        #expect(BoilerplateDetector.find(in: body, afterContact: [], fullText: body.joined(separator: "\n")) == nil)
    }

    @Test func siteNameFromTheTitleIsTheLastResortIssuer() throws {
        let release = try page("""
        <h1>Charging stations should be available every 60 km</h1>
        <p>\(Self.prose[0])</p><p>\(Self.prose[1])</p>
        """, head: "<title>Charging stations should be available every 60 km | News | European Parliament</title>")
        #expect(release.issuer == "European Parliament")
    }

    @Test func japaneseDate() {
        #expect(DateParser.first(in: "最終更新日：2019年4月2日")?.iso == "2019-04-02")
    }
}
