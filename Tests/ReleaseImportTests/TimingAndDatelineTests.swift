import Foundation
import Testing
@testable import ReleaseImport

@Suite struct TimingAndDatelineTests {
    private func instant(_ iso: String) -> Date? { ISO8601.parse(iso) }

    @Test func embargoLineResolvesToAnInstantInItsZone() {
        let text = """
        EMBARGOED UNTIL 10:00 a.m. EDT, June 2, 2020

        Headline of the Report

        WASHINGTON - The report finds that the agency has done what it should have done.
        """

        let release = ReleaseImporter.extract(text: text)

        #expect(release.releaseTiming == .embargoed)
        #expect(release.embargoUntil == instant("2020-06-02T14:00:00Z"))
    }

    @Test func timeOnlySperrfristTakesTheDayFromTheOtsTimestampAndTheZoneFromTheLanguage() {
        let text = """
        Umfrage: Mehrheit für neue Regeln

        01.04.2021 – 18:00

        WDR Westdeutscher Rundfunk

        Köln (ots)

        +++ Achtung Sperrfrist (Print, Radio und Online): 18.00 Uhr +++

        Nachrichtenagenturen: Keine Sendesperrfrist, bitte mit Sperrfristvermerk veröffentlichen

        In knapp einem halben Jahr wird in Deutschland ein neuer Bundestag gewählt, und die Umfrage zeigt das Bild.
        """

        let release = ReleaseImporter.extract(text: text)

        #expect(release.releaseTiming == .embargoed)
        #expect(release.embargoUntil == instant("2021-04-01T18:00:00+02:00"))
        #expect(release.datelineCity == "Köln")
        #expect(release.issuer == "WDR Westdeutscher Rundfunk")
        #expect(release.body.first?.hasPrefix("In knapp einem halben Jahr") == true)
        #expect(!release.body.joined().contains("Sperrfrist"))
    }

    @Test func anAdvisoryAboutAnEmbargoedReportIsNotEmbargoed() {
        let text = """
        Media advisory: Embargoed briefing on new report ranking child well-being
        WHAT: An on-the-record pre-embargoed press briefing. The report will be published at 00:01 GMT 3 September 2020.
        """

        let release = ReleaseImporter.extract(text: text)

        #expect(release.releaseTiming == nil)
        #expect(release.embargoUntil == nil)
        #expect(release.headline == "Media advisory: Embargoed briefing on new report ranking child well-being")
    }

    @Test func immediateReleaseAsTheLastCrumbOfABreadcrumb() {
        let text = """
        Home > Progressive Community > NewsWire > For Immediate Release
        AUGUST 28, 2002
        Most Censored News Stories of 2001-2002

        SONOMA STATE UNIVERSITY, CA - August 28 - The media research group announced today its list of stories.
        """

        let release = ReleaseImporter.extract(text: text)

        #expect(release.releaseTiming == .immediate)
        #expect(release.headline == "Most Censored News Stories of 2001-2002")
        #expect(release.datelineCity == "SONOMA STATE UNIVERSITY")
        #expect(release.date == "2002-08-28")
    }

    @Test func datelineWithCountryAndYearlessDate() {
        let dateline = DatelineParser.parse("BEIRUT, Lebanon, June 2 — Security forces must stop the attacks.")

        #expect(dateline?.city == "BEIRUT")
        #expect(dateline?.date == nil)
        #expect(dateline?.rest == "Security forces must stop the attacks.")
    }

    @Test(arguments: [
        ("WASHINGTON - Responding to the news, she said:", "WASHINGTON", nil as String?),
        ("(New York, February 4, 2011) - Egyptian authorities released them.", "New York", "2011-02-04"),
        ("HOUSTON, June 4, 2020 /PRNewswire/ -- Moleculin Biotech, Inc. today announced it.", "HOUSTON", "2020-06-04"),
        ("OTTAWA, Ontario--(BUSINESS WIRE)--Workers voted yesterday to join the union.", "OTTAWA", nil),
        ("BOSTON-Aug.19, 2008:University of Massachusetts President Jack M. Wilson announced awards.", "BOSTON", "2008-08-19"),
        ("Boston and Washington, D.C. - A new report finds that taxpayers pay.", "Boston and Washington, D.C.", nil),
        ("Madrid.- El pasado 26 de junio comenzó la campaña.", "Madrid", nil),
        ("نيويورك، 12 أيلول/سبتمبر 2019 – “قُتل طفلان يوم الجمعة الماضي", "نيويورك", "2019-09-12"),
    ])
    func datelineShapes(paragraph: String, city: String, date: String?) {
        let dateline = DatelineParser.parse(paragraph)

        #expect(dateline?.city == city)
        #expect(dateline?.date?.iso == date)
    }

    @Test(arguments: [
        "ARD-DeutschlandTrend: Söder bei K-Frage deutlich vor Laschet – Habeck und Baerbock eng beieinander",
        "Polizei- und Feuerwehrmeldungen am 07.08.2025 aus Mecklenburg-Vorpommern",
        "PRESS RELEASE - August 25, 2008",
        "WHAT: An on-the-record press briefing",
    ])
    func hyphenatedWordsAndLabelsAreNotDatelines(paragraph: String) {
        #expect(DatelineParser.parse(paragraph) == nil)
    }

    @Test func wireCreditFollowedByTheIssuerNamesTheIssuer() {
        let text = """
        MEDIA ADVISORY: Minister to announce support for research infrastructure
        DARTMOUTH, Nova Scotia , June 25, 2024 (GLOBE NEWSWIRE) -- Canada Foundation for Innovation
        The Honourable Minister will announce investments to help support research infrastructure across the country.
        """

        let release = ReleaseImporter.extract(text: text)

        #expect(release.datelineCity == "DARTMOUTH")
        #expect(release.date == "2024-06-25")
        #expect(release.issuer == "Canada Foundation for Innovation")
        #expect(release.body.first?.hasPrefix("The Honourable Minister") == true)
    }
}
