import Foundation
import Testing
@testable import ReleaseImport

/// Lift times that fall in a daylight-saving change: a time the clocks pass twice lifts at the
/// later instant, a time they skip at the first instant after it, and the extraction says so.
@Suite struct DaylightSavingLiftTests {
    private func instant(_ iso: String) -> Date? { ISO8601.parse(iso) }

    private func english(_ lift: String) -> ImportedRelease {
        ReleaseImporter.extract(text: """
        EMBARGOED UNTIL \(lift)

        Headline of the Report

        WASHINGTON - The report finds that the agency has done what it should have done.
        """)
    }

    private func german(_ lift: String) -> ImportedRelease {
        ReleaseImporter.extract(text: """
        Umfrage: Mehrheit für neue Regeln

        +++ Sperrfrist: \(lift) +++

        Köln (ots)

        In knapp einem halben Jahr wird in Deutschland ein neuer Bundestag gewählt, und die Umfrage zeigt das Bild der Wählerinnen und Wähler.
        """)
    }

    @Test("US Eastern, clocks go back: 1:30 a.m. happens twice and the embargo lifts at the later one (EST)")
    func easternFallBack() {
        let release = english("1:30 a.m. ET, November 1, 2026")
        #expect(release.releaseTiming == .embargoed)
        #expect(release.embargoUntil == instant("2026-11-01T06:30:00Z"), "not 05:30Z, an hour early")
        #expect(release.embargoNote?.contains("happens twice in America/New_York") == true, "\(release.embargoNote ?? "no note")")
        #expect(release.embargoNote?.contains("2026-11-01 06:30 UTC") == true)
    }

    @Test("US Eastern, clocks go forward: 2:30 a.m. does not exist and the embargo lifts at 3:00 a.m. EDT")
    func easternSpringForward() {
        let release = english("2:30 a.m. ET, March 8, 2026")
        #expect(release.embargoUntil == instant("2026-03-08T07:00:00Z"))
        #expect(release.embargoNote?.contains("does not exist in America/New_York") == true, "\(release.embargoNote ?? "no note")")
    }

    @Test("Central Europe, clocks go back: 2.30 Uhr happens twice and the embargo lifts at the later one (CET)")
    func berlinFallBack() {
        let release = german("25.10.2026, 2.30 Uhr")
        #expect(release.language == "de")
        #expect(release.releaseTiming == .embargoed)
        #expect(release.embargoUntil == instant("2026-10-25T01:30:00Z"), "not 00:30Z, an hour early")
        #expect(release.embargoNote?.contains("happens twice in Europe/Berlin") == true, "\(release.embargoNote ?? "no note")")
    }

    @Test("Central Europe, clocks go forward: 2.30 Uhr does not exist and the embargo lifts at 3.00 Uhr CEST")
    func berlinSpringForward() {
        let release = german("29.03.2026, 2.30 Uhr")
        #expect(release.embargoUntil == instant("2026-03-29T01:00:00Z"))
        #expect(release.embargoNote?.contains("does not exist in Europe/Berlin") == true, "\(release.embargoNote ?? "no note")")
    }

    @Test("Ordinary times, and times with a fixed offset, are unchanged and carry no note")
    func ordinaryTimes() {
        let evening = english("6:00 p.m. ET, November 1, 2026")
        #expect(evening.embargoUntil == instant("2026-11-01T23:00:00Z"))
        #expect(evening.embargoNote == nil)
        let summer = english("10:00 a.m. EDT, June 2, 2020")
        #expect(summer.embargoUntil == instant("2020-06-02T14:00:00Z"))
        #expect(summer.embargoNote == nil)
        let fixed = english("1:30 a.m. EST, November 1, 2026")
        #expect(fixed.embargoUntil == instant("2026-11-01T06:30:00Z"), "EST names the offset, so nothing is ambiguous")
        #expect(fixed.embargoNote == nil)
        #expect(ReleaseImporter.json(evening) == ReleaseImporter.json(english("6:00 p.m. ET, November 1, 2026")), "the JSON has no new field")
    }

    @Test("LocalTime chooses the later of two instants and the change itself for a skipped time, in any zone")
    func localTimeDirectly() throws {
        let sydney = try #require(TimeZone(identifier: "Australia/Sydney"))
        // Sydney goes back at 03:00 AEDT on 2026-04-05 (to 02:00 AEST): 02:30 happens twice.
        let repeated = try #require(LocalTime.resolve(year: 2026, month: 4, day: 5, hour: 2, minute: 30, in: sydney))
        #expect(repeated.instant == instant("2026-04-04T16:30:00Z"))
        #expect(repeated.adjustment == .repeated(earlier: instant("2026-04-04T15:30:00Z")!))
        // Sydney goes forward at 02:00 AEST on 2026-10-04 (to 03:00 AEDT): 02:30 is skipped.
        let skipped = try #require(LocalTime.resolve(year: 2026, month: 10, day: 4, hour: 2, minute: 30, in: sydney))
        #expect(skipped.instant == instant("2026-10-03T16:00:00Z"))
        #expect(skipped.adjustment == .skipped)
        let plain = try #require(LocalTime.resolve(year: 2026, month: 7, day: 1, hour: 9, minute: 0, in: sydney))
        #expect(plain.instant == instant("2026-06-30T23:00:00Z"))
        #expect(plain.adjustment == nil && plain.note == nil)
    }
}
