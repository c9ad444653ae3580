import Foundation
import Testing
@testable import ReleaseImport

/// Every regular expression written with hand-made hints (`needs`, `prefixes`, a `Precheck`
/// condition, `starts` or `from`) answers exactly as its plain pattern on many texts: same
/// match or none, same place, same groups. The patterns are not listed by hand: the test reads
/// the importer's sources for every `Rx(` call with a hint, and finds each one's instance in
/// `Rx.hinted`, where a hinted pattern registers itself by the place it is written.
@Suite struct HintedPatternTests {
    static let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../Sources/ReleaseImport").standardizedFileURL

    /// "ReleaseImport/File.swift:line" of every `Rx(` call in the sources with a hint among its
    /// arguments (read up to the line that closes the call's declaration).
    static func hintedSitesInSources() throws -> [String] {
        let hintLabel = try NSRegularExpression(pattern: #"\b(?:needs|prefixes|precheck|starts|from):\s"#)
        var sites: [String] = []
        for name in try FileManager.default.contentsOfDirectory(atPath: sources.path).sorted() where name.hasSuffix(".swift") {
            let lines = try String(contentsOf: sources.appendingPathComponent(name), encoding: .utf8).components(separatedBy: "\n")
            for (n, line) in lines.enumerated() where line.contains("Rx(") && !line.trimmingCharacters(in: .whitespaces).hasPrefix("///") {
                // The call's text: this line, and the following ones while they continue it
                // (more indented, not a new declaration or another pattern).
                var call = String(line[line.range(of: "Rx(")!.lowerBound...])
                var k = n + 1
                while k < lines.count, k <= n + 4, !lines[k].contains("Rx("), !lines[k].contains(" let "), !lines[k].trimmingCharacters(in: .whitespaces).isEmpty,
                      call.filter({ $0 == "(" }).count > call.filter({ $0 == ")" }).count {
                    call += "\n" + lines[k]
                    k += 1
                }
                if hintLabel.firstMatch(in: call, range: NSRange(call.startIndex..., in: call)) != nil {
                    sites.append("ReleaseImport/\(name):\(n + 1)")
                }
            }
        }
        return sites
    }

    /// Builds the importer's patterns (each `static let` is built when first used) by running
    /// it over texts and pages that take its many paths.
    static func buildPatterns() throws {
        let seed = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../Samples/seed-release.txt").standardizedFileURL
        var inputs = [try Data(contentsOf: seed), Data(RobustnessTests.htmlSeed.utf8)]
        let fragments = PrefilterTests.fragments
        inputs.append(Data(fragments.joined(separator: "\n").utf8))
        inputs.append(Data(fragments.joined(separator: "\n\n").utf8))
        inputs.append(Data(fragments.reversed().joined(separator: " ").utf8))
        inputs.append(Data(("<html><body><h1>Title</h1><p>" + fragments.joined(separator: "</p><p>") + "</p></body></html>").utf8))
        // A bracketed header dateline under the headline.
        inputs.append(Data("<html><body><h1>Orso marsicano</h1><p>( Pescasseroli, 14 Gennaio 20 )</p><p>Sono almeno nove le femmine di orso che si sono riprodotte nel Parco.</p></body></html>".utf8))
        // A short line under an image: a caption, or the page's labelled date.
        inputs.append(Data("<html><body><h1>Council approves bus lines</h1><p><img src=a.jpg></p><p>News date : 04/21/2022</p><p>The council approved three new bus lines on Tuesday.</p></body></html>".utf8))
        // A header with a labelled date; a heading naming the organization, then its description.
        inputs.append(Data("""
        Council approves three bus lines
        Date: March 3, 2021

        The council approved three new bus lines on Tuesday after a long debate about their cost and benefits.

        The plan takes effect in May, when the first buses run between the station and the hospital.

        Example Transit Group

        Example Transit Group is a non-profit alliance of riders and workers.
        """.utf8))
        for data in inputs { _ = try? ReleaseImporter.extract(data: data) }
        for f in fragments { _ = try? ReleaseImporter.extract(data: Data(("Headline of the release\n\n" + f + "\n\nThe council approved the plan on Tuesday after a long debate about costs and benefits.").utf8)) }
    }

    @Test func everyHintedPatternIsFound() throws {
        try Self.buildPatterns()
        let registered = Set(Rx.hinted.map(\.site))
        let inSources = try Self.hintedSitesInSources()
        #expect(inSources.count > 60, "the source scan found only \(inSources.count) hinted patterns")
        for site in inSources where !registered.contains(site) {
            Issue.record("\(site): a pattern with hints the test runs did not build; give buildPatterns an input that uses it")
        }
        for site in registered where site.hasPrefix("ReleaseImport/") && !inSources.contains(site) {
            Issue.record("\(site): registered but not found by the source scan")
        }
    }

    @Test func everyHintedPatternAnswersAsItsPlainForm() throws {
        try Self.buildPatterns()
        let patterns = Rx.hinted.filter { $0.site.hasPrefix("ReleaseImport/") }
        #expect(patterns.count > 60)
        var matched = 0
        for (site, rx) in patterns {
            for s in PrefilterTests.samples {
                let plain = rx.plainLocated(s)
                let hinted = rx.located(s)
                if plain != nil { matched += 1 }
                guard plain?.location == hinted?.location, plain?.length == hinted?.length, plain?.groups == hinted?.groups else {
                    Issue.record("\(site) answers \(String(describing: hinted)) where its plain pattern answers \(String(describing: plain)) on \(s.debugDescription)")
                    break
                }
                #expect(rx.test(s) == (plain != nil), "\(site) on \(s.debugDescription)")
            }
        }
        // Not a vacuous comparison: the samples match the patterns many times.
        #expect(matched > 5_000)
    }
}
