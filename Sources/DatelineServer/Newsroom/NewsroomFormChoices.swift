import DatelineCore
import Foundation
import ReleaseImport

/// The release form's lists: languages by name and IANA time zones, each with the current
/// value chosen, and times shown on a zone's wall clock.
enum NewsroomFormChoices {
    /// Languages newswires publish in most, by BCP 47 tag; a release in another keeps its tag
    /// as an extra choice.
    static let languageTags = [
        "ar", "bg", "bn", "ca", "cs", "da", "de", "el", "en", "es", "et", "eu", "fa", "fi", "fr", "ga", "he", "hi", "hr", "hu",
        "hy", "id", "is", "it", "ja", "ko", "lt", "lv", "ms", "mt", "nb", "ne", "nl", "nn", "pl", "pt", "pt-BR", "ro", "ru", "sk",
        "sl", "sq", "sr", "sv", "sw", "ta", "th", "tr", "uk", "ur", "vi", "yi", "zh", "zh-Hant",
    ]

    /// The languages by English name ("French (fr)"), `selected` chosen (added when not listed).
    static func languages(selected: String) -> [FormOption] {
        var tags = languageTags
        if !selected.isEmpty, !tags.contains(selected) { tags.append(selected) }
        return tags
            .map { tag in (tag, LanguageTag(tag).map(LanguageNames.english) ?? tag) }
            .sorted { $0.1.localizedStandardCompare($1.1) == .orderedAscending }
            .map { FormOption(value: $0.0, label: "\($0.1) (\($0.0))", selected: $0.0 == selected) }
    }

    /// The zone an IANA name (at most 64 characters) names, or nil.
    static func zone(named name: String) -> TimeZone? {
        name.count <= 64 ? TimeZone(identifier: name) : nil
    }

    /// UTC, then every IANA zone the system knows, `selected` chosen.
    static func zones(selected: String) -> [FormOption] {
        var names = ["UTC"] + TimeZone.knownTimeZoneIdentifiers.filter { $0 != "UTC" && $0.contains("/") }.sorted()
        // A zone stored under another name (GMT, CET) stays chosen, so a save keeps the time.
        if !names.contains(selected), TimeZone(identifier: selected) != nil { names.append(selected) }
        return names
            .map { FormOption(value: $0, label: $0.replacingOccurrences(of: "_", with: " "), selected: $0 == selected) }
    }

    /// `date` as a `datetime-local` value on the wall clock of `zone` (UTC if unknown).
    static func wallClock(_ date: Date, zone: String) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: zone) ?? TimeZone(identifier: "UTC")!
        formatter.dateFormat = "yyyy-MM-dd'T'HH:mm"
        return formatter.string(from: date)
    }

    /// `text` (as ``parseLocal(_:)`` reads it) on the wall clock of the zone named `zoneName`
    /// (UTC when empty). A time that happens twice in that zone is read as the later instant, a
    /// skipped one as the first instant after it; the resolution's note says so, for the page.
    /// Nil when `text` is not a readable time.
    /// - Throws: ``ReleaseDraftError/zone(_:)`` for a zone name that is not an IANA time zone.
    static func readWallClock(_ text: String?, zone zoneName: String?) throws -> LocalTime.Resolution? {
        guard let reading = text.flatMap(parseLocal) else { return nil }
        let name = (zoneName ?? "").trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty, name.uppercased() != "UTC" else { return LocalTime.Resolution(instant: reading, adjustment: nil, note: nil) }
        guard let zone = zone(named: name) else { throw ReleaseDraftError.zone(String(name.prefix(64))) }
        var utc = Calendar(identifier: .gregorian)
        utc.timeZone = TimeZone(identifier: "UTC")!
        let wall = utc.dateComponents([.year, .month, .day, .hour, .minute], from: reading)
        guard let year = wall.year, let month = wall.month, let day = wall.day, let hour = wall.hour, let minute = wall.minute else { return nil }
        return LocalTime.resolve(year: year, month: month, day: day, hour: hour, minute: minute, in: zone)
    }

    /// `YYYY-MM-DDTHH:MM` (an HTML `datetime-local` value), read as UTC.
    static func parseLocal(_ text: String) -> Date? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        for format in ["yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd HH:mm"] {
            formatter.dateFormat = format
            if let date = formatter.date(from: text.trimmingCharacters(in: .whitespaces)) { return date }
        }
        return nil
    }

    /// `date` as a `datetime-local` value in UTC.
    static func formatLocal(_ date: Date) -> String { wallClock(date, zone: "UTC") }
}
