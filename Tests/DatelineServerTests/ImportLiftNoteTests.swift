import DatelineServer
import Foundation
import Testing

/// `dateline import` says what it decided about a lift time in a daylight-saving change, in its
/// output (and beside the JSON with --json), instead of deciding silently.
@Suite("dateline import: lift-time notes")
struct ImportLiftNoteTests {
    @Test("The import summary and --json's standard error carry the note; the JSON itself is unchanged")
    func importSaysWhatItDecided() async throws {
        try await TestDatabase.withFresh { location in
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("dateline-lift-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: folder) }
            let repeated = folder.appendingPathComponent("fall-back.txt")
            try """
            EMBARGOED UNTIL 1:30 a.m. ET, November 1, 2026

            Report on wetlands finds recovery

            WASHINGTON - The report finds that the wetlands have recovered faster than expected.
            """.write(to: repeated, atomically: true, encoding: .utf8)
            let ordinary = folder.appendingPathComponent("ordinary.txt")
            try """
            EMBARGOED UNTIL 6:00 p.m. ET, November 1, 2026

            Report on rivers finds recovery

            WASHINGTON - The report finds that the rivers have recovered faster than expected.
            """.write(to: ordinary, atomically: true, encoding: .utf8)

            let stored = try runDateline(["import", "--organization", "Rivers Trust", repeated.path, ordinary.path], database: location)
            #expect(stored.status == 0, "\(stored.errors)")
            #expect(stored.output.contains("fall-back.txt: note: 01:30 on 2026-11-01 happens twice in America/New_York"), "\(stored.output)")
            #expect(stored.output.contains("  note    \(repeated.path): "), "the closing summary lists the note")
            #expect(!stored.output.contains("ordinary.txt: note"))

            let json = try runDateline(["import", "--json", repeated.path], database: location)
            #expect(json.status == 0)
            #expect(json.output.contains(#""embargo_until" : "2026-11-01T06:30:00Z""#) || json.output.contains(#""embargo_until":"2026-11-01T06:30:00Z""#), "\(json.output)")
            #expect(!json.output.contains("note"), "no field outside SCHEMA.md")
            #expect(json.errors.contains("note: 01:30 on 2026-11-01 happens twice"), "\(json.errors)")
        }
    }
}
