import Foundation
import Testing
@testable import ReleaseImport

/// One short text per kind of fault found in the handed corpus, with its right value.
@Suite struct CorpusFaultTests {
    @Test func phoneGluedToEmailIsSplit() {
        let contacts = ContactParser.contacts(fromBlock: ["Dana Rutherford, 202-555-0162drutherford@fwwatch.org"])

        #expect(contacts == [ImportedContact(name: "Dana Rutherford", email: "drutherford@fwwatch.org", phone: "202-555-0162")])
    }

    @Test func slashJoinedNamesAndExtensionsBecomeTwoContacts() {
        let text = """
        New Time for Science Update

        Darnell Brooks/Tamara Thornton
        Headquarters, Washington
        202-555-0172/0189

        WASHINGTON - A science update to discuss new views of the Jupiter system has moved to Tuesday.
        """

        let release = ReleaseImporter.extract(text: text)

        #expect(release.contacts.map(\.name) == ["Darnell Brooks", "Tamara Thornton"])
        #expect(release.contacts.map(\.phone) == ["202-555-0172", "202-555-0189"])
        #expect(release.headline == "New Time for Science Update")
    }

    @Test func twoNamesJoinedByOrShareOneNumberAndAYearRangeIsNoPhone() {
        let text = """
        CONTACT:  Project Censored
        Paul Pemberton or Tricia Bornhorst 707-555-0125
        Most Censored News Stories of 2001-2002

        SONOMA STATE UNIVERSITY, CA - August 28 - The research group announced its list today, as it does every year.
        """

        let release = ReleaseImporter.extract(text: text)

        #expect(release.contacts.map(\.name) == ["Paul Pemberton", "Tricia Bornhorst"])
        #expect(release.contacts.allSatisfy { $0.phone == "707-555-0125" && $0.organization == "Project Censored" })
        #expect(release.headline == "Most Censored News Stories of 2001-2002")
    }

    @Test func obfuscatedAndTruncatedEmailsAreDropped() {
        let contacts = ContactParser.contacts(fromBlock: [
            "Cassidy Shaw, 828-555-0190, [email protected]",
            "Katrin Dellmann, NABU-Pressesprecherin, Tel. 030-284 555 1577, pre...@nabu.de",
        ])

        #expect(contacts.map(\.name) == ["Cassidy Shaw", "Katrin Dellmann"])
        #expect(contacts.map(\.email) == [nil, nil])
        #expect(contacts.map(\.phone) == ["828-555-0190", "030-284 555 1577"])
    }

    @Test func bylineWithInitialsAndPhoneIsAContactButPhotoCreditIsNot() {
        let text = """
        UC Research Wins World Headlines

        The annual research report was presented today. The university counts coverage from many outlets.

        Date: 12/3/2007 12:00:00 AM
        By: K.T. Riordan
        Phone: (513) 555-0182
        Photos By: Laura Brennan

        The University of Cincinnati stands among the nation’s top 25 public research universities in the country.
        """

        let release = ReleaseImporter.extract(text: text)

        #expect(release.contacts.map(\.name) == ["K.T. Riordan"])
        #expect(release.date == "2007-12-03")
        #expect(release.subheadline?.hasPrefix("The annual research report") == true)
        #expect(release.body.first?.hasPrefix("The University of Cincinnati") == true)
    }

    @Test func allCapsHeadlineGluedToTheBodyIsSplit() {
        let text = """
        |
        News Release - July 23, 2009 FUNDING ANNOUNCED FOR PROJECTS AT THE UNIVERSITY OF REGINAThe federal and provincial governments were at the University of Regina today to announce $16.7 million in knowledge infrastructure funding.
        """

        let release = ReleaseImporter.extract(text: text)

        #expect(release.headline == "FUNDING ANNOUNCED FOR PROJECTS AT THE UNIVERSITY OF REGINA")
        #expect(release.date == "2009-07-23")
        #expect(release.body.first?.hasPrefix("The federal and provincial") == true)
    }

    @Test func longDonationAppealIsClutter() {
        #expect(ClutterFilter.isClutter("No paywalls. No advertising. No corporate sponsors. " + String(repeating: "Common Dreams is a news outlet for everyone. ", count: 10)))
    }

    @Test func aboutHeadingEndingInIncIntroducesTheBoilerplate() {
        let text = """
        Moleculin Announces Submission to Expand Clinical Sites

        HOUSTON, June 4, 2020 /PRNewswire/ -- Moleculin Biotech, Inc. today announced that it has submitted requests.

        Moleculin currently has 5 clinical sites for the trial operating in Europe.

        About Moleculin Biotech, Inc.

        Moleculin Biotech, Inc. is a clinical stage pharmaceutical company focused on oncology.
        """

        let release = ReleaseImporter.extract(text: text)

        #expect(release.body.last == "Moleculin currently has 5 clinical sites for the trial operating in Europe.")
        #expect(release.boilerplate?.hasPrefix("Moleculin Biotech, Inc. is a clinical") == true)
        #expect(release.issuer == "Moleculin Biotech, Inc.")
    }

    @Test func sentenceOpeningWithThisIsNotBoilerplate() {
        let body = ["The awards were announced today by the president.", "This is the fifth year for the awards; 38 projects have been funded."]

        #expect(BoilerplateDetector.find(in: body, afterContact: [], fullText: body.joined(separator: "\n")) == nil)
    }

    @Test func surnameAttributionExpandsAndHonorificIsDropped() {
        let text = """
        Olympian Sir Mo Farah heartbroken by the impact of climate change

        HARGEISA, 9 July 2024 – On a journey back to his birthplace, Save the Children ambassador Sir Mo Farah met mothers.

        Farah said:

        “It’s absolutely heartbreaking to see children in these conditions through no fault of their own.”
        """

        let release = ReleaseImporter.extract(text: text)

        #expect(release.quotes.map(\.speaker) == ["Mo Farah"])
        #expect(release.quotes.first?.text.hasPrefix("It’s absolutely heartbreaking") == true)
        #expect(release.date == "2024-07-09")
    }

    @Test func middleInitialStaysInTheSpeakersName() {
        let para = "\"Faculty scholarship and research are at the core of a world-class university,\" said University of Massachusetts President Jack M. Wilson. \"Through these programs, we continue.\""

        let speaker = QuoteParser.inlineSpeaker(para, fullText: para)

        #expect(speaker?.name == "Jack M. Wilson")
        #expect(speaker?.role == "University of Massachusetts President")
    }

    @Test func statementWithoutQuoteMarksAfterIssuedTheFollowingStatement() {
        let body = [
            "In response to today's vote, Maren Ostrowski, deputy director of economic policy at Friends of the Earth, issued the following statement:",
            "The climate emergency requires that the United States robustly engage multilaterally.",
        ]

        let quotes = QuoteParser.parse(body: body, fullText: body.joined(separator: "\n"), statementSpeaker: nil, issuer: nil)

        #expect(quotes == [ImportedQuote(speaker: "Maren Ostrowski", role: "deputy director of economic policy at Friends of the Earth",
                                         text: "The climate emergency requires that the United States robustly engage multilaterally.")])
    }

    @Test func wholeBodyQuoteIsCreditedToTheStatementTitlesSpeaker() {
        let text = """
        Congress Must Act on Climate

        Statement by Wenonah Hauter, Executive Director, Food & Water Watch

        WASHINGTON

        "Two recent studies indicate that the Earth is warming faster than previously thought.

        "Stopping this bill is just the beginning of what we need to do."
        """

        let release = ReleaseImporter.extract(text: text)

        #expect(release.subheadline == "Statement by Wenonah Hauter, Executive Director, Food & Water Watch")
        #expect(release.datelineCity == "WASHINGTON")
        #expect(release.quotes.map(\.speaker) == ["Wenonah Hauter"])
        #expect(release.quotes.first?.role == "Executive Director, Food & Water Watch")
    }

    @Test func hardWrappedSubheadlineIsJoinedButTheHeadlineAboveItIsNot() {
        let text = """
        Einladung zum Pressegespräch
        Bundesregierung will Wald zum Rohstofflager degradieren
        BUND und NABU fordern Neufassung der Waldstrategie 2020 und stellen
        im Internationalen Jahr der Wälder einen eigenen Plan vor

        der wirtschaftliche Nutzungsdruck auf den Wald steigt auch in
        Deutschland. Mit ihrem Entwurf will die Bundesregierung diesem Druck
        offenbar nachgeben und den Wald zum Rohstofflager degradieren, was
        die Verbände ablehnen und mit einem eigenen Plan beantworten wollen.
        """

        let release = ReleaseImporter.extract(text: text)

        #expect(release.headline == "Bundesregierung will Wald zum Rohstofflager degradieren")
        #expect(release.subheadline == "BUND und NABU fordern Neufassung der Waldstrategie 2020 und stellen im Internationalen Jahr der Wälder einen eigenen Plan vor")
        #expect(release.body.first?.hasPrefix("der wirtschaftliche Nutzungsdruck") == true)
        #expect(release.language == "de")
    }

    @Test func acronymIssuerIsNamedByItsExpansion() {
        #expect(IssuerFinder.find(IssuerFinder.Clues(roles: ["TTD President"]),
                                  fullText: "leaders of the AFL-CIO’s Transportation Trades Department (TTD) vowed today",
                                  exclude: []) == "Transportation Trades Department")
    }

    @Test func issuerFromRoleBeforeTheTitle() {
        #expect(IssuerFinder.organization(inRole: "Greenpeace USA Executive Director") == "Greenpeace USA")
        #expect(IssuerFinder.organization(inRole: "Senior Director of Programs at Amnesty International USA") == "Amnesty International USA")
        #expect(IssuerFinder.organization(inRole: "Executive Director of the ACLU of Florida") == "ACLU of Florida")
    }

    @Test func closingSignatureGivesPlaceAndDateAndIsNotBody() {
        let text = """
        Le gouvernement doit respecter le droit de manifester

        Communiqué LDH

        La LDH apprend avec consternation que le ministère a transmis les photos, dimanche 22 novembre 2015, au procureur.

        Paris, le 25 novembre 2015

        Laisser un commentaire
        """

        let release = ReleaseImporter.extract(text: text)

        #expect(release.datelineCity == "Paris")
        #expect(release.date == "2015-11-25")
        #expect(release.issuer == "LDH")
        #expect(release.body == ["La LDH apprend avec consternation que le ministère a transmis les photos, dimanche 22 novembre 2015, au procureur."])
    }

    @Test(arguments: [
        ("بیانیه خانه مطبوعات استان مازندران در پی تجاوز و جنایت وحشیانه رژیم صهیونیستی", "fa"),
        ("تصريح المديرة التنفيذية لليونيسف حول مقتل الأطفال في قطاع غزة", "ar"),
        ("Un mes después del lanzamiento de la campaña, más de 60.000 personas han pedido el fin de la tortura", "es"),
    ])
    func languageIsDetectedFromTheText(text: String, language: String) {
        #expect(LanguageDetector.detect(text) == language)
    }

    @Test func jsonHasEveryKeyInSnakeCaseWithNulls() throws {
        let data = ReleaseImporter.json(ImportedRelease(headline: "H", language: "en"))

        let object = try #require(JSONSerialization.jsonObject(with: data) as? [String: Any])

        #expect(Set(object.keys) == ["headline", "subheadline", "release_timing", "embargo_until", "dateline_city", "date",
                                     "language", "issuer", "contacts", "quotes", "body", "boilerplate", "statement_url", "social_profiles",
                                     "confidence"])
        // The confidence object names every extracted field, each between 0 and 1.
        let confidence = try #require(object["confidence"] as? [String: Double])
        #expect(Set(confidence.keys) == ["headline", "subheadline", "release_timing", "embargo_until", "dateline_city", "date",
                                         "language", "issuer", "contacts", "quotes", "body", "boilerplate", "statement_url"])
        #expect(confidence.values.allSatisfy { (0...1).contains($0) })
        #expect(object["subheadline"] is NSNull)
        #expect(object["embargo_until"] is NSNull)
    }

    @Test func jsonRoundTripsAnEmbargo() throws {
        let release = ImportedRelease(headline: "H", releaseTiming: .embargoed,
                                      embargoUntil: ISO8601.parse("2021-04-01T18:00:00+02:00"), language: "de",
                                      statementURL: "https://example.org/s")

        let decoded = try JSONDecoder().decode(ImportedRelease.self, from: ReleaseImporter.json(release))

        #expect(decoded == ImportedRelease(headline: "H", releaseTiming: .embargoed, embargoUntil: release.embargoUntil,
                                           language: "de", statementURL: "https://example.org/s", hasStatementLine: true))
    }
}
