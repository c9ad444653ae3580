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
        rawValue = Self.random128()
    }

    /// Accepts an identifier written as 32 hexadecimal digits (either case); `nil` for anything else.
    public init?(_ text: String) {
        guard let valid = Self.validated(text) else { return nil }
        rawValue = valid
    }

    public var description: String { rawValue }

    /// 128 fresh random bits as 32 lowercase hexadecimal digits (also media ids, ``MediaID``).
    static func random128() -> String {
        var generator = SystemRandomNumberGenerator()
        return hex(generator.next() as UInt64) + hex(generator.next() as UInt64)
    }

    /// `text` lowercased when it is 32 hexadecimal digits; nil otherwise.
    static func validated(_ text: String) -> String? {
        let lowered = text.lowercased()
        guard lowered.utf8.count == 32, lowered.utf8.allSatisfy({ isHexDigit($0) }) else { return nil }
        return lowered
    }

    private static func hex(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }

    private static func isHexDigit(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte)
    }
}
