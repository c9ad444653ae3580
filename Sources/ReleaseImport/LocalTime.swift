import Foundation

/// Turns a wall-clock time in a zone into one instant, deciding the two cases where daylight
/// saving makes the wall clock ambiguous, in the direction that never lifts an embargo early:
///
/// - a time that happens twice (the hour repeated when clocks go back, "1:30 a.m." on the first
///   Sunday of November in New York) is the **later** of the two instants;
/// - a time that never happens (the hour skipped when clocks go forward, "2:30 a.m." on the second
///   Sunday of March in New York) is the **first valid instant after it**, the moment of the
///   change (3:00 a.m. new time).
///
/// Foundation's `Calendar.date(from:)` picks the earlier instant for a repeated time, which
/// lifted embargoes an hour early; this type decides from the zone's UTC offsets alone.
public enum LocalTime {
    /// One resolved wall-clock time.
    public struct Resolution: Equatable, Sendable {
        /// The instant chosen.
        public var instant: Date
        /// What was decided when the time was ambiguous or did not exist; nil for an ordinary time.
        public var adjustment: Adjustment?
        /// A sentence for the person who wrote the time, saying what was decided (nil when nothing was).
        public var note: String?

        /// A resolution made elsewhere (a time read in UTC, which has no daylight saving).
        public init(instant: Date, adjustment: Adjustment?, note: String?) {
            self.instant = instant
            self.adjustment = adjustment
            self.note = note
        }
    }

    /// How a wall-clock time that daylight saving made ambiguous was resolved.
    public enum Adjustment: Equatable, Sendable {
        /// The time happens twice; `instant` is the later one, `earlier` the one not taken.
        case repeated(earlier: Date)
        /// The time is skipped; `instant` is the first valid instant after it.
        case skipped
    }

    /// Resolves `year-month-day hour:minute` (second 0) in `zone`.
    /// - Returns: nil when Foundation cannot make a date of the components.
    public static func resolve(year: Int, month: Int, day: Int, hour: Int, minute: Int, in zone: TimeZone) -> Resolution? {
        var utc = Calendar(identifier: .gregorian)
        utc.timeZone = TimeZone(identifier: "UTC")!
        let components = DateComponents(year: year, month: month, day: day, hour: hour, minute: minute)
        // Out-of-range parts roll over as Foundation rolls them ("24:00" is the next day's 00:00).
        guard let wall = utc.date(from: components) else { return nil }
        // `wall` is the wall-clock reading taken as if it were UTC; the instant is wall − offset.
        let wallSeconds = wall.timeIntervalSince1970.rounded()
        let before = Date(timeIntervalSince1970: wallSeconds - 36 * 3600)
        let after = Date(timeIntervalSince1970: wallSeconds + 36 * 3600)
        let offsetBefore = zone.secondsFromGMT(for: before)
        let offsetAfter = zone.secondsFromGMT(for: after)
        guard offsetBefore != offsetAfter else {
            return Resolution(instant: Date(timeIntervalSince1970: wallSeconds - Double(offsetBefore)), adjustment: nil, note: nil)
        }
        let change = transition(in: zone, between: before, and: after)
        let early = wallSeconds - Double(offsetBefore)  // the reading on the old offset
        let late = wallSeconds - Double(offsetAfter)  // the reading on the new offset
        let earlyValid = early < change
        let lateValid = late >= change
        let description = Self.describe(year: year, month: month, day: day, hour: hour, minute: minute, zone: zone)
        switch (earlyValid, lateValid) {
        case (true, true):
            let chosen = max(early, late), other = min(early, late)
            let note = "\(description) happens twice in \(zone.identifier), as the clocks go back; the time is taken as the later one, \(utcText(chosen)), not \(utcText(other))."
            return Resolution(instant: Date(timeIntervalSince1970: chosen), adjustment: .repeated(earlier: Date(timeIntervalSince1970: other)), note: note)
        case (false, false):
            let note = "\(description) does not exist in \(zone.identifier), as the clocks go forward; the time is taken as the first moment after it, \(utcText(change)) (\(wallText(change, zone)) local time)."
            return Resolution(instant: Date(timeIntervalSince1970: change), adjustment: .skipped, note: note)
        default:
            return Resolution(instant: Date(timeIntervalSince1970: earlyValid ? early : late), adjustment: nil, note: nil)
        }
    }

    /// The first second (as seconds since 1970) at which `zone` has the offset it has at `upper`,
    /// searched between `lower` and `upper`, which must have different offsets.
    private static func transition(in zone: TimeZone, between lower: Date, and upper: Date) -> Double {
        let target = zone.secondsFromGMT(for: upper)
        var low = lower.timeIntervalSince1970.rounded(), high = upper.timeIntervalSince1970.rounded()
        while high - low > 1 {
            let middle = ((low + high) / 2).rounded(.down)
            if zone.secondsFromGMT(for: Date(timeIntervalSince1970: middle)) == target { high = middle } else { low = middle }
        }
        return high
    }

    private static func describe(year: Int, month: Int, day: Int, hour: Int, minute: Int, zone: TimeZone) -> String {
        String(format: "%02d:%02d on %04d-%02d-%02d", hour, minute, year, month, day)
    }

    private static func utcText(_ seconds: Double) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: Date(timeIntervalSince1970: seconds))
        return String(format: "%04d-%02d-%02d %02d:%02d UTC", c.year ?? 0, c.month ?? 0, c.day ?? 0, c.hour ?? 0, c.minute ?? 0)
    }

    private static func wallText(_ seconds: Double, _ zone: TimeZone) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let c = calendar.dateComponents([.hour, .minute], from: Date(timeIntervalSince1970: seconds))
        return String(format: "%02d:%02d", c.hour ?? 0, c.minute ?? 0)
    }
}
