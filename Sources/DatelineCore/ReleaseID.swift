import Foundation

/// The identifier of a release: 128 random bits, written as 32 lowercase hexadecimal digits.
///
/// Unpublished releases are worth money to thieves, so their identifiers must never be
/// guessable: no sequences, no dates, no counters. The bits come from the system's
/// cryptographically secure generator (`getrandom(2)` on Linux).
public struct ReleaseID: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The identifier as 32 lowercase hexadecimal digits.
    public let rawValue: String

    /// Makes a new identifier from 128 fresh random bits.
    public init() {
        var generator = SystemRandomNumberGenerator()
        let high = generator.next() as UInt64
        let low = generator.next() as UInt64
        rawValue = Self.hex(high) + Self.hex(low)
    }

    /// Accepts an identifier written as 32 hexadecimal digits (either case); `nil` for anything else.
    public init?(_ text: String) {
        let lowered = text.lowercased()
        guard lowered.utf8.count == 32, lowered.utf8.allSatisfy({ Self.isHexDigit($0) }) else { return nil }
        rawValue = lowered
    }

    public var description: String { rawValue }

    private static func hex(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }

    private static func isHexDigit(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte)
    }
}
