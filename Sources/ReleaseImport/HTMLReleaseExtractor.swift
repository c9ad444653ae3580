import Foundation

/// Turns a parsed web page into an `ImportedRelease`. The page's markup settles what plain
/// text can only guess — which line is the headline, whether the line under it is a deck or
/// the first paragraph — so the header is read here; the rest goes through the same extractor
/// as a plain-text release. What the page declares (JSON-LD, Open Graph, `<time>`,
/// `<html lang>`) then fills the fields the text leaves empty.
enum HTMLReleaseExtractor {
    /// How many lines after the headline may still belong to the header.
    private static let headerWindow = 16

    static func extract(_ page: HTMLPage) -> ImportedRelease {
        let meta = PageMetadata(page: page)
        let header = page.headline != nil ? readHeader(page) : nil
        var lines = page.lines
        if let header {
            lines = [page.lines[0], ""]
            if let s = header.subheadline { lines += [s, ""] }
            if let d = header.dateLine { lines += [d, ""] }
            lines += page.lines[header.bodyStart...]
        }
        lines = Self.endingAtSiteSections(lines)
        var release = ReleaseExtractor(text: lines.joined(separator: "\n")).run()

        if let h = page.headline, !h.isEmpty {
            release.headline = h
        } else if release.headline == nil, let h = meta.headline {
            release.headline = h
        }
        if let header {
            release.subheadline = header.subheadline
            let titles = Set([release.headline, release.subheadline].compactMap { $0?.comparable })
            release.body.removeAll { titles.contains($0.comparable) }
        }
        if release.subheadline?.comparable == release.headline?.comparable { release.subheadline = nil }
        if release.date == nil { release.date = header?.date ?? meta.date }
        if let lang = meta.language, let primary = lang.split(separator: "-").first.map({ $0.lowercased() }),
           primary.count >= 2, primary.count <= 3, primary.allSatisfy(\.isLetter) {
            release.language = primary
        }
        if release.issuer == nil { release.issuer = meta.organization }
        return release
    }

    /// Headings with which a site follows the article with its own content: related posts,
    /// "read more" teasers, comment threads. Whatever comes after one is not the release.
    private static let siteSection = Rx(#"^(?:related(?:\s+(?:posts?|news|articles?|stories|content|releases?|links))?|read\s+(?:more|next|further\b.*)|more\s+(?:news|stories|posts|from\b.*)|you\s+(?:may|might)\s+also\s+like|also\s+from\s+this\s+source|recommended(?:\s+for\s+you)?|popular\s+posts?|next\s+post|previous\s+post|(?:\d+\s+)?comments?|leave\s+a\s+(?:reply|comment)|post\s+a\s+comment)\b[\s\p{P}\p{S}\p{Lo}]*$"#, needs: ["related", "read", "more", "also", "recommended", "popular", "post", "comment", "reply"])

    /// Puts an end mark before the first site-section heading that follows some prose, so
    /// the text extractor ends the body there. What follows is still read for contacts (as
    /// after "###" in a plain-text release): some newsrooms print the media contact below
    /// their related-news list.
    static func endingAtSiteSections(_ lines: [String]) -> [String] {
        var prose = 0
        for (k, line) in lines.enumerated() {
            if ReleaseExtractor.isProse(line) { prose += 1; continue }
            if prose >= 2, line.wordCount <= 6, siteSection.test(line) {
                return Array(lines[..<k]) + ["", "###", ""] + lines[k...]
            }
        }
        return lines
    }

    struct Header {
        var subheadline: String?
        var dateLine: String?
        var date: String?
        /// Index in `page.lines` of the first body line.
        var bodyStart: Int
    }

    /// Reads the lines between the headline (line 0) and the body. Labels, bylines and
    /// type tags there are dropped; a list there is the deck (so there is no one-line
    /// subheadline); a line of six words or more is the deck when it is not a sentence, or
    /// when it stands in another element than the paragraphs that follow it.
    /// `nil` when no body start is found within `headerWindow` lines.
    static func readHeader(_ page: HTMLPage) -> Header? {
        let lines = page.lines
        var header = Header(bodyStart: lines.count)
        var sawList = false
        var k = 1
        var found = false
        while k < min(lines.count, headerWindow + 1) {
            defer { k += 1 }
            let t = lines[k]
            if t.isEmpty { continue }
            if t.hasPrefix("• ") { sawList = true; continue }
            if t.wordCount <= 12, let d = DateParser.first(in: t, monthFirstNumeric: true) ?? DateParser.first(in: t) {
                if header.date == nil { header.date = d.iso; header.dateLine = t }
                continue
            }
            if DatelineParser.parse(t) != nil || DatelineParser.parseStandalone(t) != nil && t.wordCount <= 4 {
                header.bodyStart = k; found = true; break
            }
            if t.wordCount < 6 { continue }
            if header.subheadline == nil, !sawList {
                if !t.endsSentence { header.subheadline = t; continue }
                if let next = nextProse(after: k, in: lines), page.containers[next] != page.containers[k] {
                    header.subheadline = t; continue
                }
            }
            header.bodyStart = k; found = true; break
        }
        return found ? header : nil
    }

    private static func nextProse(after k: Int, in lines: [String]) -> Int? {
        lines.indices.dropFirst(k + 1).first { lines[$0].wordCount >= 10 && !lines[$0].hasPrefix("• ") }
    }
}
