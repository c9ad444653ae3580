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

    @Test func aJapaneseLineIsMeasuredByItsLettersNotItsSpaces() {
        #expect("2025年3月4日 09時00分".wordEquivalents <= 6)
        #expect("和菓子メーカーのみどり製菓株式会社は、春限定の新商品を全国の百貨店で発売いたします。".wordEquivalents >= 20)
        #expect("The council approved the plan".wordEquivalents == 5)
    }

    @Test func aLongJapaneseLeadMentioningADateIsTheBodyNotTheHeaderDateLine() throws {
        // setup: the header's own date line, then a lead sentence in its own element that names
        // another date; it has few spaces, so counted in words it looked as short as a date line.
        let page = """
        <html lang="ja"><body><h1>みどり製菓、春の新商品「さくら最中」を全国で発売</h1><p>2025年3月4日 09時00分</p>
        <div><p>和菓子メーカーのみどり製菓株式会社（本社：京都府京都市　代表取締役：山本 一郎）は、2025年4月1日より春限定の新商品「さくら最中」を全国の百貨店およびオンラインストアで発売いたします。</p></div>
        <div><p>さくら最中は、桜の葉の塩漬けを練り込んだ白餡を香ばしい最中の皮で包んだ季節限定の和菓子です。</p>
        <p>販売は五月末までを予定しております。</p></div></body></html>
        """
        // MUT
        let release = try ReleaseImporter.extract(data: Data(page.utf8))
        // validation
        #expect(release.date == "2025-03-04")
        #expect(release.subheadline == nil)
        #expect(release.body.first?.hasPrefix("和菓子メーカーのみどり製菓株式会社") == true)
    }

    @Test func aJapaneseLinkTitleOfManyLettersIsNotPageFurniture() {
        #expect(!HTMLReleaseExtractor.isTrailingFurniture("春の新商品に関するお問い合わせが増えています（2024/5/10）"))
        #expect(HTMLReleaseExtractor.isTrailingFurniture("お知らせ一覧"))
        #expect(HTMLReleaseExtractor.isTrailingFurniture("Download the pictures"))
    }

    @Test func aJapaneseCompanyProfileHeadingStartsTheBoilerplate() {
        let body = [
            "みどり製菓株式会社は、春限定の新商品「さくら最中」を全国の百貨店で発売いたします。",
            "販売は五月末までを予定しております。",
            "【みどり製菓株式会社　会社概要】",
            "会社名：みどり製菓株式会社",
            "所在地：京都府京都市中京区",
        ]
        let found = BoilerplateDetector.find(in: body, afterContact: [], fullText: body.joined(separator: "\n"))
        #expect(found?.heading == 2)
        #expect(found?.start == 3)
        #expect(found?.organization == "みどり製菓株式会社")
        // A heading that is not a profile leaves the body alone.
        #expect(BoilerplateDetector.find(in: ["新商品の概要", "さくら最中は季節限定の和菓子です。"], afterContact: [], fullText: "") == nil)
    }

    @Test func aPDFLinkNamingTheHeadlineIsTheReleaseAsADocument() throws {
        // setup: the download sits in a "related" box, which the body never reads; the href is
        // relative to <base>; another PDF (a report) is named otherwise.
        let page = """
        <html lang="en"><head><base href="https://harbour.example.org/"></head><body>
        <h1>Harbour board approves the new ferry timetable</h1>
        <p>The harbour board approved on Monday a timetable that adds two evening ferries to the island from June.</p>
        <p><a href="/docs/annual-report-2024.pdf">Annual report 2024 (PDF, 2 MB)</a></p>
        <div class="related"><h2>Download</h2><a href="/press/2025/ferry-timetable.pdf?v=2">Harbour board approves the new ferry timetable (PDF, 120 KB)</a></div>
        </body></html>
        """
        // MUT
        let release = try ReleaseImporter.extract(data: Data(page.utf8))
        // validation
        #expect(release.statementURL == "https://harbour.example.org/press/2025/ferry-timetable.pdf?v=2")
    }

    @Test func aPDFLinkNamingSomethingElseOrUnresolvableIsNoStatement() throws {
        let other = """
        <html lang="en"><body><h1>Harbour board approves the new ferry timetable</h1>
        <p>The harbour board approved on Monday a timetable that adds two evening ferries to the island from June.</p>
        <p><a href="https://harbour.example.org/docs/annual-report-2024.pdf">Annual report 2024 (PDF)</a></p></body></html>
        """
        #expect(try ReleaseImporter.extract(data: Data(other.utf8)).statementURL == nil)
        // The headline's PDF, relative, on a page that names no address of its own.
        let relative = """
        <html lang="en"><body><h1>Harbour board approves the new ferry timetable</h1>
        <p>The harbour board approved on Monday a timetable that adds two evening ferries to the island from June.</p>
        <p><a href="/press/ferry-timetable.pdf">Harbour board approves the new ferry timetable</a></p></body></html>
        """
        #expect(try ReleaseImporter.extract(data: Data(relative.utf8)).statementURL == nil)
    }

    @Test func aJapaneseSentenceAfterAPictureIsTextNotACaption() throws {
        // A caption is short and no sentence; a Japanese sentence has few spaces and ends with 。.
        let page = """
        <html lang="ja"><body><h1>みどり製菓、春の新商品「さくら最中」を全国で発売</h1>
        <p><img src="sakura.jpg" alt=""></p>
        <p>さくら最中は、桜の葉の塩漬けを練り込んだ白餡を香ばしい最中の皮で包んだ季節限定の和菓子です。</p>
        <p>販売は全国の百貨店およびオンラインストアで五月末までを予定しております。</p></body></html>
        """
        let release = try ReleaseImporter.extract(data: Data(page.utf8))
        #expect(release.body.first?.hasPrefix("さくら最中は") == true)
    }

    @Test func aLongJapaneseSentenceAboveTheHeadlineIsNoPostDate() throws {
        // Only a date line above the headline (a post date) is moved under it; a sentence that
        // names a date there is the site's, whatever its count of spaces.
        let page = """
        <html lang="ja"><body><div><p>当店では2024年5月1日より営業時間を変更し、平日は午前十時から午後六時までの営業となりますのでご注意ください。</p></div>
        <h1>みどり製菓、春の新商品「さくら最中」を全国で発売</h1><p>2025年3月4日 09時00分</p>
        <div><p>和菓子メーカーのみどり製菓株式会社は、春限定の新商品「さくら最中」を全国の百貨店およびオンラインストアで発売いたします。</p></div></body></html>
        """
        let release = try ReleaseImporter.extract(data: Data(page.utf8))
        #expect(release.date == "2025-03-04")
        #expect(release.subheadline == nil)
        #expect(!release.body.joined().contains("営業時間を変更"))
    }

    @Test func aShortJapaneseSentenceSetApartAboveTheTextIsTheDeck() throws {
        // As in a Latin-script page: a sentence of at most 40 words in another element than the
        // paragraphs that follow it is the deck; the paragraphs are measured by their letters.
        let page = """
        <html lang="ja"><body><h1>みどり製菓、春の新商品「さくら最中」を全国で発売</h1>
        <div class="lead"><p>桜の葉を練り込んだ白餡の季節限定品を五月末まで販売します。</p></div>
        <div><p>和菓子メーカーのみどり製菓株式会社は、春限定の新商品「さくら最中」を全国の百貨店およびオンラインストアで発売いたします。</p>
        <p>販売は全国の百貨店およびオンラインストアで五月末までを予定しております。</p></div></body></html>
        """
        let release = try ReleaseImporter.extract(data: Data(page.utf8))
        #expect(release.subheadline == "桜の葉を練り込んだ白餡の季節限定品を五月末まで販売します。")
        #expect(release.body.first?.hasPrefix("和菓子メーカーの") == true)
    }

    @Test func aLetterheadFlattenedBesideItsContactColumnIsTheIssuerNotTheHeadline() {
        // setup: a two-column letterhead read as lines: name and contact, timing and phone.
        let text = """
        TOWN OF HALLOWAY Contact: Dana Whitfield

        FOR IMMEDIATE RELEASE Phone: 555-010-2030

        Bridge Closure on Mill Street on May 3, 2021

        HALLOWAY, ME (May 1, 2021) – Mill Street bridge will be closed from 9am to 3pm for repairs, and drivers should use Elm Street instead.

        The work may move to another day if it rains.
        """
        // MUT
        let release = ReleaseImporter.extract(text: text)
        // validation: the title under the timing line may name a day; the dateline's date is in brackets.
        #expect(release.headline == "Bridge Closure on Mill Street on May 3, 2021")
        #expect(release.subheadline == nil)
        #expect(release.issuer == "TOWN OF HALLOWAY")
        #expect(release.releaseTiming == .immediate)
        #expect(release.datelineCity == "HALLOWAY")
        #expect(release.date == "2021-05-01")
        #expect(release.contacts.first?.name == "Dana Whitfield")
        #expect(release.contacts.first?.phone == "555-010-2030")
        #expect(release.body.first?.hasPrefix("Mill Street bridge") == true)
    }

    @Test func aHeadlineAboveTheTimingLineStaysTheHeadline() {
        // A long title above "For immediate release" is no letterhead.
        let text = """
        Workers at the transit yard vote to strike over unsafe conditions

        FOR IMMEDIATE RELEASE

        OTTAWA – Workers at the yard voted almost unanimously on Monday to strike if their safety demands are not met.
        """
        #expect(ReleaseImporter.extract(text: text).headline == "Workers at the transit yard vote to strike over unsafe conditions")
        // A short title (not in capitals) above the timing line with a longer deck under it stays the title.
        let short = """
        Acme Unveils Rocket Skates

        FOR IMMEDIATE RELEASE

        New footwear lets commuters glide to work at twice walking speed

        SPRINGFIELD – Acme today unveiled skates that run on a small electric motor and a battery.
        """
        let release = ReleaseImporter.extract(text: short)
        #expect(release.headline == "Acme Unveils Rocket Skates")
        #expect(release.subheadline == "New footwear lets commuters glide to work at twice walking speed")
        // A quotation asking for an "immediate release" below the dateline is no timing line above a title.
        let quoted = """
        Free Them Now

        LONDON – Amnesty International today condemned the arrest of three journalists.

        "We call for their immediate release," said Jane Doe.

        More text follows here about the arrests.
        """
        #expect(ReleaseImporter.extract(text: quoted).headline == "Free Them Now")
    }

    @Test func aFilingsExhibitLabelAndMarkdownMarksAreNotPartOfTheHeadline() {
        let exhibit = """
        EXHIBIT 99.1

        Acme Widgets CEO to Step Down

        MOCKSVILLE, N.C., June 10, 2019 -- Acme Widgets, Inc. (NYSE American: ACME) announced today that its chief executive will step down at the end of the month.
        """
        let release = ReleaseImporter.extract(text: exhibit)
        #expect(release.headline == "Acme Widgets CEO to Step Down")
        #expect(release.subheadline == nil)
        let markdown = """
        # Animal shelter gala honours its longtime volunteer

        SAN JOSE, Calif., March 20, 2024 -- The shelter will honour Judy Marks at its spring gala for twenty years of work with animals in need.
        """
        #expect(ReleaseImporter.extract(text: markdown).headline == "Animal shelter gala honours its longtime volunteer")
    }

    @Test func aRunOfLinkLinesUnderTheLastParagraphIsNotTheBodysEnd() {
        let text = """
        Press Release Cover

        Statement from the sheriff on the shooting

        I turned the investigation over to the state agency on the night of the shooting, and it will gather the evidence.

        I ask the community for patience while we all wait for the truth.

        Previous Post

        Next Post

        MISSING
        """
        let release = ReleaseImporter.extract(text: text)
        #expect(release.body.last == "I ask the community for patience while we all wait for the truth.")
        // "Cover" after the type label is named nowhere in the text: no issuer from it.
        #expect(release.issuer == nil)
        // A single short line, or field lines, under the text stay: they may be the release's own.
        let fields = """
        Minister to announce funding for ocean research

        DARTMOUTH, N.S. – The minister will announce funding for ocean research at the institute on Wednesday.

        The minister will be available to media following the announcement.

        Time: 10:15 a.m. ADT

        Location: Dartmouth, Nova Scotia
        """
        #expect(ReleaseImporter.extract(text: fields).body.last == "Location: Dartmouth, Nova Scotia")
        // Nor a closing list, nor a signature.
        let list = """
        Acme ships its new camping kit

        SPRINGFIELD – Acme today began shipping a camping kit for families who travel light.

        The kit includes:

        Two rechargeable lamps

        A folding stove
        """
        #expect(ReleaseImporter.extract(text: list).body.last == "A folding stove")
        let signed = """
        Shelter thanks its volunteers

        SPRINGFIELD – The shelter thanked the two hundred volunteers who walked its dogs this year.

        We could not do it without you.

        Jane Smith

        Executive Director
        """
        #expect(ReleaseImporter.extract(text: signed).body.suffix(2) == ["Jane Smith", "Executive Director"])
    }

    @Test func aPageCopiedWholeOpensWithItsTitleAndRepeatsTheHeadlineUnderTheMenu() {
        let text = """
        Bridge closed for repairs - City of Northfield
        HOME
        GET HELP
        REPORT A PROBLEM
        FOR IMMEDIATE RELEASE
        Monday, October 26, 2015
        Bridge closed for repairs
        Drivers should use Elm Street until Friday
        The city closed the Mill Street bridge on Monday for repairs that will last until Friday, the public works department said.
        """
        let release = ReleaseImporter.extract(text: text)
        #expect(release.headline == "Bridge closed for repairs")
        #expect(release.subheadline == "Drivers should use Elm Street until Friday")
        #expect(release.date == "2015-10-26")
        #expect(release.issuer == "City of Northfield")
        #expect(release.body.first?.hasPrefix("The city closed") == true)
    }
}
