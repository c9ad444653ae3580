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
    /// "Embargoed until 3 June 2026, 00:01 UTC"; the lift time is formatted in the given zone.
    public func timingLine(in timeZone: TimeZone = TimeZone(identifier: "UTC")!) -> String {
        switch self {
        case .immediate:
            return "For Immediate Release"
        case .embargoed(let until):
            var style = Date.FormatStyle(date: .long, time: .shortened, locale: Locale(identifier: "en_US_POSIX"), timeZone: timeZone)
            style.timeZone = timeZone
            let zone = timeZone.abbreviation(for: until) ?? timeZone.identifier
            return "Embargoed until \(until.formatted(style)) \(zone)"
        }
    }
}
