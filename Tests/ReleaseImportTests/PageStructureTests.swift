import Foundation
import Testing
@testable import ReleaseImport

/// What a saved page's structure says beyond its text: which element holds the release
/// whatever its class names, which encoding its bytes are really in, and who owns the site.
@Suite struct PageStructureTests {
    static let prose = """
    <p>The council approved the budget for the coming year on Tuesday evening, after a debate that lasted four hours and drew a large crowd.</p>
    <p>The plan funds two new libraries and the repair of the river bridge, which has been closed to lorries since the spring floods.</p>
    """

    static func page(body: String, head: String = "<title>Council approves budget</title>", bodyAttributes: String = "") -> Data {
        Data("<!DOCTYPE html><html lang=\"en\"><head>\(head)</head><body \(bodyAttributes)>\(body)</body></html>".utf8)
    }

    @Test func aPagesRootIsNeverAWidgetWhateverItsClasses() throws {
        // WordPress describes the page's template on <body>: "mega-menu-primary", "cookies-not-set".
        let data = Self.page(body: "<h1>Council approves budget</h1>" + Self.prose,
                             bodyAttributes: "class=\"single-post mega-menu-primary cookies-not-set\"")
        let release = try ReleaseImporter.extract(data: data)
        #expect(release.headline == "Council approves budget")
        #expect(release.body.first?.hasPrefix("The council approved the budget") == true)
    }

    @Test func theElementHoldingMostOfThePagesProseIsItsContentWhateverItsName() throws {
        // A theme names the article's column after the sidebar beside it; the real sidebar still goes.
        let data = Self.page(body: """
        <div class="sidebar_content"><h1>Council approves budget</h1>\(Self.prose)</div>
        <div class="sidebar"><p>Our most read stories of the week, chosen by the readers themselves.</p></div>
        """)
        let release = try ReleaseImporter.extract(data: data)
        #expect(release.headline == "Council approves budget")
        #expect(release.body.contains { $0.hasPrefix("The council approved") })
        #expect(!release.body.contains { $0.contains("most read stories") })
    }

    @Test func taxonomyClassesDoNotMakeAnArticleAWidget() throws {
        // "tag-budget" on a WordPress <article> files the entry under a tag; it is not a tag cloud.
        // The article holds less than half of the page's prose, so only the class rule saves it.
        let data = Self.page(body: """
        <nav><a href="/">Home</a></nav>
        <article class="post type-post category-news tag-budget"><h1>Council approves budget</h1>\(Self.prose)</article>
        <section>\(Self.prose)\(Self.prose)</section>
        """)
        let release = try ReleaseImporter.extract(data: data)
        #expect(release.body.contains { $0.hasPrefix("The plan funds two new libraries") })
    }

    @Test func utf8BytesUnderAStaleLegacyCharsetAreReadAsUTF8() throws {
        // A page saved as UTF-8 that kept its <meta charset="Shift_JIS">.
        let data = Data("<html><head><meta charset=\"Shift_JIS\"></head><body><h1>新製品のお知らせ</h1><p>当社は本日、新しい製品を発表しました。</p></body></html>".utf8)
        #expect(TextEncodingSniffer.parserLabel(for: [UInt8](data)) == "UTF-8")
        #expect(try ReleaseImporter.extract(data: data).headline == "新製品のお知らせ")
        // Real Shift_JIS bytes are not valid UTF-8: the declaration still holds.
        let sjis = Array("<html><head><meta charset=\"Shift_JIS\"></head><body><h1>".utf8) + [0x93, 0xFA, 0x96, 0x7B] + Array("</h1></body></html>".utf8)
        #expect(TextEncodingSniffer.parserLabel(for: sjis).lowercased() == "shift_jis")
    }

    @Test func theFootersCopyrightNamesTheIssuerWhenTheTextDoesNot() throws {
        let data = Self.page(body: """
        <main><h1>Council approves budget</h1>\(Self.prose)</main>
        <footer><p>© 2022 Northfield Borough Council. All rights reserved.</p></footer>
        """)
        let release = try ReleaseImporter.extract(data: data)
        #expect(release.issuer == "Northfield Borough Council")
        #expect(!release.body.contains { $0.contains("rights reserved") })
    }

    @Test func aSiteNameThatIsThePagesTitleGivesWayToTheOwnersClues() throws {
        // og:site_name filled with the page's title says nothing; the title's short last part,
        // the handle and the footer agree on the owner (by its brand or its full name).
        let head = """
        <title>Citizens may invest in the Steinheim wind farm | EnBW</title>
        <meta property="og:site_name" content="Citizens may invest in the Steinheim wind farm">
        <meta name="twitter:site" content="@EnBW">
        """
        let data = Self.page(body: """
        <main><h1>Wind farm opens to citizens' money</h1>\(Self.prose)</main>
        <footer><span>© EnBW Energie Baden-Württemberg AG 2022. Alle Rechte vorbehalten</span></footer>
        """, head: head)
        let release = try ReleaseImporter.extract(data: data)
        #expect(release.issuer == "EnBW" || release.issuer == "EnBW Energie Baden-Württemberg AG")
    }

    @Test func theSitesHandleSupportsTheNameItAgreesWith() {
        // A title's site part alone loses to a copyright line naming the web agency; the site's
        // handle agreeing with the title's site part tips it.
        var clues = IssuerFinder.Clues()
        clues.titleSite = "Northfield Borough Council"
        clues.copyright = "Acme Web Agency"
        let text = "The council approved the budget."
        #expect(IssuerFinder.weigh(clues, fullText: text, pageText: text, exclude: []).issuer == "Acme Web Agency")
        clues.handle = "@Northfield"
        #expect(IssuerFinder.weigh(clues, fullText: text, pageText: text, exclude: []).issuer == "Northfield Borough Council")
    }

    @Test func aTypeLabelsWordNamesTheIssuerOnlyWhenTheTextNamesItAsAWord() {
        var clues = IssuerFinder.Clues()
        clues.label = "LDH"
        let named = "La LDH apprend avec consternation la décision du ministère."
        #expect(IssuerFinder.weigh(clues, fullText: named, pageText: named, exclude: []).issuer == "LDH")
        clues.label = "Cover"
        let unnamed = "The recovery of the stolen goods will take weeks, officers said."
        #expect(IssuerFinder.weigh(clues, fullText: unnamed, pageText: unnamed, exclude: []).issuer == nil)
    }

    @Test func theSiteNamesBlockIsNoHeadline() throws {
        // The title's site part stands in a block of its own; the <h1> words the title differently.
        let data = Self.page(body: """
        <div class="site-name">City of Greensboro</div>
        <main><h1>Summit Avenue closed for water main repairs</h1>\(Self.prose)</main>
        """, head: "<title>Road Closure on Summit Avenue | City of Greensboro</title>")
        #expect(try ReleaseImporter.extract(data: data).headline == "Summit Avenue closed for water main repairs")
        #expect(HTMLDocumentReader.namesTitle("article-title"))
        #expect(!HTMLDocumentReader.namesTitle("pre-title"))
        #expect(!HTMLDocumentReader.namesTitle("sub-title"))
    }

    @Test func aSiteNamedByItsDomainIsNamedByItsLabel() {
        var clues = IssuerFinder.Clues()
        clues.siteName = "TINE.no"
        let finding = IssuerFinder.weigh(clues, fullText: "TINE Fotballskole ends its season.", pageText: "TINE Fotballskole ends its season.", exclude: [])
        #expect(finding.issuer == "TINE")
    }

    @Test func aListedCompanyMayOpenWithADigit() {
        let text = """
        3D Systems Announces CFO Transition

        ROCK HILL, S.C., Sept. 21, 2023 -- 3D Systems (NYSE:DDD) today announced that its chief financial officer is stepping down, effective October 15, 2023.

        The company has initiated an executive search to identify a permanent finance leader for the years ahead.
        """
        #expect(ReleaseImporter.extract(text: text).issuer == "3D Systems")
    }

    @Test func anH1WithNoTextAfterItIsAWidgetsAndATitleBlockTheDeclaredTitleHoldsIsTheHeadline() throws {
        // The release's title is a paragraph set over two lines; the only <h1> is a translation
        // box's after the footer.
        let data = Self.page(body: """
        <p>Top &gt; News releases &gt; Budget</p>
        <p>2019.03.05</p>
        <p class="title">Council approves budget<br>for the coming year</p>
        \(Self.prose)
        <footer><p>© Northfield Borough Council</p></footer>
        <div class="box"><h1>Original text</h1><p>Contribute a better translation</p></div>
        """, head: "<title>[News] Council approves budget for the coming year</title>")
        let release = try ReleaseImporter.extract(data: data)
        #expect(release.headline == "Council approves budget for the coming year")
        #expect(release.date == "2019-03-05")
        #expect(release.body.first?.hasPrefix("The council approved") == true)
        #expect(!release.body.contains { $0.contains("News releases") || $0.contains("translation") })
    }

    @Test func yearFirstDatesAndBreadcrumbTrails() {
        #expect(DateParser.first(in: "2019.03.05")?.iso == "2019-03-05")
        #expect(DateParser.first(in: "公開日 2021/7/9")?.iso == "2021-07-09")
        #expect(DateParser.first(in: "2019.03/05") == nil)
        #expect(ClutterFilter.isClutter("トップ > ニュースリリース > 薄型キーボード"))
        #expect(!ClutterFilter.isClutter("Growth of 5% > inflation > wages, the report says, over the decade to 2020 and beyond that year"))
    }

    @Test func aWiresCreditMayCarryTheDateAndNoCJKTextIsAWireCredit() {
        let wired = DatelineParser.parse("SAN FRANCISCO, CA--(Marketwired - April 06, 2016) - Segment, the customer data platform, today released Sources.")
        #expect(wired?.city == "SAN FRANCISCO")
        #expect(wired?.date?.iso == "2016-04-06")
        #expect(wired?.rest.hasPrefix("Segment, the customer data platform") == true)
        #expect(DatelineParser.parse("HALTOM CITY, TX, March 11, 2024 /24-7PressRelease/ -- Are you registered to vote?")?.city == "HALTOM CITY")
        // Slashes between Japanese words are no "/PRNewswire/" credit.
        #expect(DatelineParser.parse("接続タイプ/サイズ/マウス付きなどで選べる6モデルを発売")?.issuer == nil)
    }

    @Test func aHeadingsTitlePartLeavesItsKickerAndDate() throws {
        let data = Self.page(body: """
        <h1><span class="supertitle"><time datetime="2022-02-01">1. Februar 2022</time></span>
        <span class="title">Council approves budget for the coming year</span></h1>
        \(Self.prose)
        """)
        let release = try ReleaseImporter.extract(data: data)
        #expect(release.headline == "Council approves budget for the coming year")
        #expect(release.date == "2022-02-01")
    }

    @Test func aSentenceGivingAnAddressEndsTheBody() {
        let text = """
        Investment conference opens in Montego Bay

        MONTEGO BAY – Participants can expect a range of activities and business meetings over five days at the convention centre.

        Registration for the conference is now open and can be completed at www.example-conference.com.
        """
        #expect(ReleaseImporter.extract(text: text).body.last == "Registration for the conference is now open and can be completed at www.example-conference.com.")
    }

    @Test func linkLinesKeepPhoneNumbersNotYears() throws {
        let data = Self.page(body: """
        <main><h1>Council approves budget</h1>\(Self.prose)
        <p><a href="/contact">Press office 0800 20 20 11</a></p>
        <ul><li><a href="/news/2017">News 2017/18</a></li><li><a href="/programme">Funding call 2022 and 2023</a></li></ul></main>
        """)
        // The lines the page hands to the text extractor.
        let text = ReleaseImporter.debugPageText(data)
        #expect(text.contains("Press office 0800 20 20 11"))
        #expect(!text.contains("2017/18") && !text.contains("2022 and 2023"))
    }

    @Test func copyrightMarks() {
        func marked(_ s: String) -> Bool { Array(s.utf8).withUnsafeBufferPointer { !HTMLDocumentReader.copyrightMarkOffsets($0, limit: 1).isEmpty } }
        #expect(marked("© 2020 Acme"))
        #expect(marked("Copyright 2020 Acme"))
        #expect(marked("ALL CONTENT COPYRIGHT ACME"))
        #expect(marked("text under copyright"))
        #expect(!marked("copy right, y, opy, Y"))
        #expect(!marked(""))
    }
}
