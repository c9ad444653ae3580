@testable import ReleaseImport
import Testing

/// A lift time read with a guess is flagged, so that an import asked to publish keeps the release
/// a draft instead of lifting its embargo hours or days early.
@Suite("Lift times read with a guess")
struct LiftTimeDoubtTests {
    @Test("An embargo line with no zone the importer knows, or a day without a full date, is flagged; a complete one is not")
    func doubtfulLines() {
        for line in [
            "EMBARGOED UNTIL 3:00 a.m. Eastern Standard Time, December 7, 2026",
            "EMBARGOED UNTIL 00:01 local time, 9 December 2026",
            "Embargoed until 10:00, December 9, 2026",
        ] {
            let doubt = TimingLine.uncertainty(line, language: "en")
            #expect(doubt?.contains("time zone") == true, "\(line): \(doubt ?? "no doubt")")
        }
        for line in ["EMBARGOED UNTIL 10:00 a.m. ET, December 9", "EMBARGOED UNTIL 10:00 a.m. ET Wednesday"] {
            let doubt = TimingLine.uncertainty(line, language: "en")
            #expect(doubt?.contains("without a full date") == true, "\(line): \(doubt ?? "no doubt")")
        }
        for (line, language) in [
            ("EMBARGOED UNTIL 10:00 a.m. ET, December 9, 2026", "en"),
            ("EMBARGOED UNTIL 00:01 GMT, Wednesday 9 December 2026", "en"),
            ("Embargoed until 10:00 a.m. Eastern Time on December 9, 2026", "en"),
            ("Sperrfrist: 18.00 Uhr", "de"),
        ] {
            #expect(TimingLine.uncertainty(line, language: language) == nil, "\(line)")
        }
    }

    @Test("The extraction carries the flag and says why in its note")
    func extractionCarriesTheFlag() {
        let text = """
        EMBARGOED UNTIL 3:00 a.m. Eastern, December 9, 2026

        Rivers Trust reports cleaner rivers

        LONDON, December 7, 2026 — Rivers Trust today published its annual survey of river quality across the country.

        "Our rivers are recovering," said Ana Lima, director of Rivers Trust.
        """
        let release = ReleaseImporter.extract(text: text)
        #expect(release.releaseTiming == .embargoed)
        #expect(release.embargoUncertain)
        #expect(release.embargoNote?.contains("read as UTC") == true, "\(release.embargoNote ?? "no note")")
    }
}
