import Foundation

/// When a release may be read: at once ("For Immediate Release"), or not before its lift time
/// ("EMBARGOED UNTIL 00:01 GMT, 3 June 2026").
public enum ReleaseTiming: Hashable, Sendable {
    case immediate
    /// Embargoed until the given instant, the lift time.
    case embargoed(until: Date)

    /// The lift time, or `nil` for an immediate release.
    public var liftTime: Date? {
        if case .embargoed(let until) = self { return until }
        return nil
    }

    /// Whether the release may be shown to the public at the given instant.
    public func isLifted(at now: Date) -> Bool {
        switch self {
        case .immediate: true
        case .embargoed(let until): now >= until
        }
    }

    /// The timing line a newswire prints above the headline, e.g. "For Immediate Release" or
    /// "Embargoed until June 3, 2026 at 12:01 AM EDT (UTC−04:00)", the lift time in the given
    /// zone (``liftTimeText(_:in:)``). Once `lifted`, the line keeps the embargo and says it has
    /// lifted ("… — lifted"), as a wire's archive does: a reader sees the release was embargoed
    /// and until when, and that it no longer is.
    public func timingLine(in timeZone: TimeZone = TimeZone(identifier: "UTC")!, lifted: Bool = false) -> String {
        switch self {
        case .immediate:
            return "For Immediate Release"
        case .embargoed(let until):
            return "Embargoed until \(Self.liftTimeText(until, in: timeZone))" + (lifted ? " — lifted" : "")
        }
    }

    /// An instant as a newsroom states a lift time: long date and time in `timeZone`, then the
    /// zone's abbreviation with its UTC offset ("December 8, 2026 at 9:00 AM EST (UTC−05:00)");
    /// "UTC" alone for UTC, the offset alone where the zone has no abbreviation of its own.
    public static func liftTimeText(_ date: Date, in timeZone: TimeZone) -> String {
        var style = Date.FormatStyle(date: .long, time: .shortened, locale: Locale(identifier: "en_US_POSIX"), timeZone: timeZone)
        style.timeZone = timeZone
        return "\(date.formatted(style)) \(zoneLabel(timeZone, at: date))"
    }

    /// "EST (UTC−05:00)", "UTC+05:30", "GMT (UTC+00:00)" or "UTC".
    static func zoneLabel(_ timeZone: TimeZone, at date: Date) -> String {
        let seconds = timeZone.secondsFromGMT(for: date)
        if seconds == 0, ["UTC", "GMT", "Etc/UTC", "Etc/GMT"].contains(timeZone.identifier) { return "UTC" }
        let magnitude = abs(seconds)
        let offset = "UTC" + (seconds < 0 ? "\u{2212}" : "+") + String(format: "%02d:%02d", magnitude / 3600, magnitude % 3600 / 60)
        var style = Date.FormatStyle(locale: Locale(identifier: "en_US"), timeZone: timeZone).timeZone(.specificName(.short))
        style.timeZone = timeZone
        let abbreviation = date.formatted(style)
        guard !abbreviation.isEmpty, abbreviation.rangeOfCharacter(from: CharacterSet(charactersIn: "+-0123456789")) == nil, abbreviation != "UTC" else {
            return offset
        }
        return "\(abbreviation) (\(offset))"
    }
}
