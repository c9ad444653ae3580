import Foundation
import Testing
@testable import ReleaseImport

/// The structural signals the importer weighs, each on a small release written for the test.
@Suite struct StructuralSignalTests {
    @Test func contactDomainSpelledInTheTextsWordsNamesTheIssuer() {
        // setup: no About paragraph, no organization in the contact's line; the mailbox's domain is.
        let text = """
        Youth scientists show three inventions in Nuremberg

        HAMBURG, November 2, 2021 - Five winners of Jugend forscht present three projects at the fair this week, the foundation said on Tuesday.

        Contact: Tobias Wendt, 040 374709-47, presse@jugend-forscht.de
        """
        // MUT
        let release = ReleaseImporter.extract(text: text)
        // validation
        #expect(release.issuer == "Jugend forscht")
        #expect(release.contacts.first?.email == "presse@jugend-forscht.de")
    }

    @Test func domainsNameNothingTheTextDoesNotSpell() {
        #expect(DomainName.label(ofHost: "charitycommission.gsi.gov.uk") == "charitycommission")
        #expect(DomainName.label(ofHost: "mail.example.co.uk") == "example")
        #expect(DomainName.label(ofHost: "gmail.com") == nil)
        let words = DomainName.TextWords("The Commission opened an inquiry into the charity.", spelling: ["charitycommission", "acmewidgets"])
        #expect(DomainName.spelled("charitycommission", in: words) == "Charity Commission")
        #expect(DomainName.spelled("acmewidgets", in: words) == nil)
    }

    @Test func agreeingCluesOutweighASingleOne() {
        // A contact's organization alone against a site name and a copyright line naming the same body.
        var clues = IssuerFinder.Clues()
        clues.contactOrganization = "Posta certificata"
        clues.siteName = "Parco Nazionale d'Abruzzo, Lazio e Molise"
        clues.copyright = "Ente Parco Nazionale d'Abruzzo Lazio e Molise"
        clues.contactEmails = ["info@parcoabruzzo.it"]
        let finding = IssuerFinder.weigh(clues, fullText: "Il Parco d'Abruzzo conta gli orsi.", pageText: "Il Parco d'Abruzzo conta gli orsi.", exclude: [])
        #expect(finding.issuer?.contains("Parco Nazionale") == true)
        #expect(finding.agreeing >= 2)
    }

    @Test func aWiresSourceLineUnderTheBodyNamesTheIssuerAndEndsTheRelease() {
        let text = """
        Acme opens a plant in Ohio

        COLUMBUS, Ohio, March 3, 2021 /PRNewswire/ -- Acme Corp. today opened a plant that will employ two hundred people in the region by next year.

        SOURCE Acme Corp.

        Related links: other news from this site
        """
        let release = ReleaseImporter.extract(text: text)
        #expect(release.issuer == "Acme Corp.")
        #expect(release.body.last?.hasPrefix("Acme Corp. today opened") == true)
    }

    @Test func aLabelledFigureIsNeitherDeckNorBody() {
        let text = """
        Celebrati i 40 anni di Amnesty in Italia

        16 Aprile 2015

        Tempo di lettura stimato: 5'

        Il presidente del Senato e la presidente della Camera sono intervenuti alla cerimonia per i 40 anni di Amnesty International Italia, che si è svolta questa mattina.
        """
        let release = ReleaseImporter.extract(text: text)
        #expect(release.subheadline == nil)
        #expect(release.body.first?.hasPrefix("Il presidente") == true)
    }

    @Test func aBracketedHeaderDatelineWithATwoDigitYearOnAPage() throws {
        let page = """
        <html lang="it"><body><h1>ORSO MARSICANO: UN ANNO DA RECORD</h1><p><i>( Pescasseroli, 14 Gennaio 20 )</i></p>
        <p>Sono almeno 9 le femmine di orso marsicano che si sono riprodotte nel 2019 nel Parco e sedici i cuccioli contati dagli operatori.</p></body></html>
        """
        let release = try ReleaseImporter.extract(data: Data(page.utf8))
        #expect(release.date == "2020-01-14")
        #expect(release.datelineCity == "Pescasseroli")
        #expect(release.subheadline == nil)
    }

    @Test func aTitleStandingForAPersonIsResolvedToTheNameTheTextGivesIt() {
        let text = """
        Prime Minister attends roundtable

        Grenada’s Prime Minister and Chairman of the OECS Authority, Dr the Rt. Hon. Keith Mitchell has voiced his support for an annual forum on banking.

        The Prime Minister said, “We claim to have close borders and strong relationships but I don’t see the evidence of that.”
        """
        let release = ReleaseImporter.extract(text: text)
        #expect(release.quotes.map(\.speaker) == ["Keith Mitchell"])
        #expect(release.quotes.first?.role == "Prime Minister")
    }

    @Test func scriptResidueAndCountersGluedBeforeTheTitleAreDropped() {
        let text = """
        checkAd

             485  0 Kommentare j2 Global Reports Fourth Quarter and Year End 2018 Results

            j2 Global, Inc. (NASDAQ: JCOM) today reported financial results for the fourth quarter and year ended December 31, 2018.
        """
        let release = ReleaseImporter.extract(text: text)
        #expect(release.headline == "j2 Global Reports Fourth Quarter and Year End 2018 Results")
        #expect(release.issuer == "j2 Global, Inc.")
        #expect(!release.body.joined().contains("checkAd"))
    }

    @Test func aJapaneseSenderLineWithItsTelephoneIsAContact() {
        let page = """
        <html lang="ja"><body><h1>岐阜駅前店をオープン</h1><p>ハウスコム株式会社は、2020年7月1日に岐阜駅前店を新規オープンしました。</p>
        <p>【リリース発信元】</p><p>ハウスコム株式会社　サービス・イノベーション室　大野／杉浦</p><p>TEL：03-5555-0139　FAX：03-5555-0148</p></body></html>
        """
        let release = try? ReleaseImporter.extract(data: Data(page.utf8))
        #expect(release?.contacts.map(\.name) == ["大野／杉浦"])
        #expect(release?.contacts.first?.phone == "03-5555-0139")
        #expect(release?.contacts.first?.organization == "ハウスコム株式会社　サービス・イノベーション室")
    }

    @Test func japaneseIsToldByItsScript() {
        #expect(LanguageDetector.detect("賃貸仲介のハウスコム、7月1日に駅近エリア出店となる「岐阜駅前店」をオープン！") == "ja")
        #expect(LanguageDetector.detect("国务院新闻办公室今天举行新闻发布会") == "zh")
        #expect(LanguageDetector.detect("서울시는 오늘 새로운 교통 정책을 발표했다") == "ko")
    }

    @Test func everyFieldHasAConfidenceBetweenZeroAndOne() {
        let release = ReleaseImporter.extract(text: "A headline for the test\n\nLONDON, March 3, 2021 - The council approved the plan on Tuesday after a long debate about costs.")
        for (key, value) in release.confidence.byKey {
            #expect((0...1).contains(value), "\(key)")
        }
        #expect(release.confidence.byKey.count == 13)
    }
}
