import Foundation

/// Recognizes the release-timing line ("For Immediate Release", "EMBARGOED UNTIL ...",
/// "+++ Sperrfrist: 18.00 Uhr +++") and resolves an embargo to an instant.
///
/// Only a line that *states* the timing counts: "Embargoed briefing on new report" or
/// "early release of embargoed data" talk about an embargo without imposing one.
enum TimingLine {
    static let immediate = Rx(#"\b(?:for\s+immediate\s+release|immediate\s+release|zur\s+sofortigen\s+veröffentlichung|pour\s+(?:diffusion|publication)\s+immédiate|para\s+(?:su\s+)?(?:publicación|difusión)\s+inmediata)\b"#, needs: ["immediate", "sofortigen", "pour", "inmediata"])
    static let embargo = Rx(#"^[\W_]*(?:achtung\s+)?(?:(?:strictly\s+)?embargo(?:ed)?\s*(?:until|till|to|:|for\s+release\s+until|before)|under\s+embargo|not\s+for\s+(?:publication|release|broadcast)\s+(?:before|until)|hold\s+for\s+release|sperrfrist|sous\s+embargo|embargo\s+jusqu|embargo\s+hasta)"#, needs: ["embargo", "not", "hold", "sperrfrist"], precheck: Precheck.mayOpenEmbargo)
    static let timingBlock = Rx(#"sperrfrist"#, needs: ["sperrfrist"])

    /// `true` when `line` declares immediate release (also as the last crumb of a breadcrumb).
    static func isImmediate(_ line: String) -> Bool {
        test(immediate, line, ifAtMost: 200)
    }

    /// `true` when `line` imposes an embargo.
    static func isEmbargo(_ line: String) -> Bool {
        test(embargo, line, ifAtMost: 240)
    }

    /// Lines that qualify an embargo already declared ("Keine Sendesperrfrist, bitte mit
    /// Sperrfristvermerk veröffentlichen"): part of the timing block, not of the body.
    static func isTimingQualifier(_ line: String) -> Bool {
        test(timingBlock, line, ifAtMost: 160)
    }

    /// `line.count <= limit && re.test(line)`, counting Characters (slow for a long non-ASCII
    /// line) only after the pattern, whose byte prefilter rules out most lines, has matched.
    private static func test(_ re: Rx, _ line: String, ifAtMost limit: Int) -> Bool {
        line.utf8.count <= limit ? re.test(line) : re.test(line) && line.characterCount <= limit
    }

    /// Fixed offsets for zone abbreviations, in hours east of UTC.
    private static let abbreviations: [String: Double] = [
        "GMT": 0, "UTC": 0, "WET": 0, "BST": 1, "WEST": 1, "CET": 1, "MEZ": 1, "CEST": 2, "MESZ": 2,
        "EET": 2, "EEST": 3, "MSK": 3, "IST": 5.5, "SGT": 8, "HKT": 8, "JST": 9, "KST": 9,
        "AEST": 10, "AEDT": 11, "NZST": 12, "NZDT": 13,
        "EST": -5, "EDT": -4, "CST": -6, "CDT": -5, "MST": -7, "MDT": -6, "PST": -8, "PDT": -7,
        "AST": -4, "ADT": -3, "NST": -3.5, "NDT": -2.5, "AKST": -9, "AKDT": -8, "HST": -10,
    ]

    /// Generic zone names that follow daylight saving, so they need a region's rules.
    private static let regions: [String: String] = [
        "ET": "America/New_York", "EASTERN": "America/New_York", "CT": "America/Chicago", "CENTRAL": "America/Chicago",
        "MT": "America/Denver", "MOUNTAIN": "America/Denver", "PT": "America/Los_Angeles", "PACIFIC": "America/Los_Angeles",
    ]

    /// When the line names no zone, the zone the release's language implies: a German
    /// "18.00 Uhr" is Central European time.
    private static let languageZones: [String: String] = [
        "de": "Europe/Berlin", "fr": "Europe/Paris", "es": "Europe/Madrid", "it": "Europe/Rome",
        "nl": "Europe/Amsterdam", "pt": "Europe/Lisbon", "fa": "Asia/Tehran",
    ]

    private static let clock = Rx(#"\b(\d{1,2})(?:[:.h](\d{2}))?\s*(a\.?\s?m\.?|p\.?\s?m\.?|uhr|h\b)?"#)
    private static let zone = Rx(#"\b([A-Z]{2,5})\b"#, caseInsensitive: false)

    /// The instant an embargo line names. The day comes from the line or, when the line
    /// gives only a time (ots "Sperrfrist: 18.00 Uhr"), from `releaseDate`; the zone from the
    /// line, else from `language`, else UTC.
    static func resolve(_ line: String, releaseDate: String?, language: String) -> Date? {
        resolveLift(line, releaseDate: releaseDate, language: language)?.instant
    }

    /// As ``resolve(_:releaseDate:language:)``, with what was decided when the time falls in a
    /// daylight-saving change of the zone: a time that happens twice lifts at the later instant,
    /// a skipped time at the first instant after it (``LocalTime``), and the resolution's note
    /// says so.
    static func resolveLift(_ line: String, releaseDate: String?, language: String) -> LocalTime.Resolution? {
        var day: (Int, Int, Int)?
        var searchable = line
        if let found = DateParser.first(in: line, monthFirstNumeric: language == "en") {
            day = (found.year, found.month, found.day)
            searchable = (line as NSString).replacingCharacters(in: NSRange(location: found.location, length: found.length), with: " ")
        } else if let r = releaseDate {
            let parts = r.split(separator: "-").compactMap { Int($0) }
            if parts.count == 3 { day = (parts[0], parts[1], parts[2]) }
        }
        guard let (y, mo, d) = day else { return nil }

        var hour = 0, minute = 0, foundTime = false
        let lower = searchable.lowercased()
        if lower.contains("noon") { hour = 12; foundTime = true }
        if lower.contains("midnight") { hour = 0; foundTime = true }
        for g in clock.matches(searchable) where !foundTime {
            guard let h = g[1].flatMap({ Int($0) }) else { continue }
            let hasMinutes = g[2] != nil
            let suffix = g[3]?.lowercased().replacingOccurrences(of: ".", with: "").replacingOccurrences(of: " ", with: "")
            guard hasMinutes || suffix != nil, h <= 24 else { continue }
            hour = h
            minute = g[2].flatMap { Int($0) } ?? 0
            if suffix == "pm", hour < 12 { hour += 12 }
            if suffix == "am", hour == 12 { hour = 0 }
            foundTime = true
        }

        let tz = namedZone(searchable, line: line) ?? languageZones[language].flatMap(TimeZone.init(identifier:))
        return LocalTime.resolve(year: y, month: mo, day: d, hour: hour, minute: minute, in: tz ?? TimeZone(identifier: "UTC")!)
    }

    /// The zone the line names (an abbreviation, or a region's name with "time"), if any.
    private static func namedZone(_ searchable: String, line: String) -> TimeZone? {
        for g in zone.matches(searchable) {
            guard let name = g[1] else { continue }
            if let offset = abbreviations[name] { return TimeZone(secondsFromGMT: Int(offset * 3600)) }
            if let region = regions[name] { return TimeZone(identifier: region) }
        }
        for (word, region) in regions where word.count > 2 && line.uppercased().contains(word + " TIME") {
            return TimeZone(identifier: region)
        }
        return nil
    }

    private static let monthOrWeekday = Rx(
        #"\b(jan(uary)?|feb(ruary)?|mar(ch)?|apr(il)?|may|june?|july?|aug(ust)?|sep(t(ember)?)?|oct(ober)?|nov(ember)?|dec(ember)?|monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b"#
    )

    /// Why the lift time an embargo line gives rests on a guess, as a sentence for the person
    /// importing; nil when the line names its zone (or the release's language implies one) and
    /// names no day it does not also date in full. A guessed lift time may be hours or days early.
    static func uncertainty(_ line: String, language: String) -> String? {
        var reasons: [String] = []
        let found = DateParser.first(in: line, monthFirstNumeric: language == "en")
        var searchable = line
        if let found {
            searchable = (line as NSString).replacingCharacters(in: NSRange(location: found.location, length: found.length), with: " ")
        } else if monthOrWeekday.test(line) {
            reasons.append("it names a day without a full date, so the release's own date was used")
        }
        if namedZone(searchable, line: line) == nil, languageZones[language] == nil {
            reasons.append("it names no time zone this importer knows, so it was read as UTC")
        }
        guard !reasons.isEmpty else { return nil }
        return "Check the lift time (\"\(line.trimmingCharacters(in: .whitespaces).prefix(120))\"): " + reasons.joined(separator: "; ") + "."
    }
}
