/// The Unicode properties the importer asks of non-ASCII scalars, answered for the Basic
/// Multilingual Plane from one table made on first use (64 KB, a few milliseconds), and for
/// the planes above by the standard library as before.
///
/// Why: each `Unicode.Scalar.Properties` look-up searches the standard library's range
/// tables, and the importer asks for every letter of every non-English paragraph (word
/// counts, comparisons, language detection): about a twentieth of an import went to those
/// searches. The table holds the standard library's own answers, so nothing changes but the
/// time (the tests compare every scalar).
enum ScalarProperties {
    private static let alphabeticBit: UInt8 = 1 << 0
    private static let changesWhenLowercasedBit: UInt8 = 1 << 1
    /// Categories L*, M* and N*: CharacterSet.alphanumerics.
    private static let alphanumericBit: UInt8 = 1 << 2
    /// Categories Zs, Zl and Zp.
    private static let separatorBit: UInt8 = 1 << 3
    /// Category Zs.
    private static let spaceSeparatorBit: UInt8 = 1 << 4
    /// Category Nd, or unassigned.
    private static let digitOrUnassignedBit: UInt8 = 1 << 5
    /// A numeric type (Numeric_Type is not None).
    private static let numericBit: UInt8 = 1 << 6

    private static let table: [UInt8] = (0..<UInt32(0x10000)).map { v in Unicode.Scalar(v).map(flags) ?? 0 }

    private static func flags(_ u: Unicode.Scalar) -> UInt8 {
        let p = u.properties
        var f: UInt8 = 0
        if p.isAlphabetic { f |= alphabeticBit }
        if p.changesWhenLowercased { f |= changesWhenLowercasedBit }
        if p.numericType != nil { f |= numericBit }
        switch p.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
             .nonspacingMark, .spacingMark, .enclosingMark, .letterNumber, .otherNumber:
            f |= alphanumericBit
        case .decimalNumber:
            f |= alphanumericBit | digitOrUnassignedBit
        case .spaceSeparator:
            f |= separatorBit | spaceSeparatorBit
        case .lineSeparator, .paragraphSeparator:
            f |= separatorBit
        case .unassigned:
            f |= digitOrUnassignedBit
        default:
            break
        }
        return f
    }

    @inline(__always) private static func has(_ u: Unicode.Scalar, _ flag: UInt8) -> Bool {
        u.value < 0x10000 ? table[Int(u.value)] & flag != 0 : flags(u) & flag != 0
    }

    /// `u.properties.isAlphabetic`.
    static func isAlphabetic(_ u: Unicode.Scalar) -> Bool { has(u, alphabeticBit) }
    /// `u.properties.changesWhenLowercased`.
    static func changesWhenLowercased(_ u: Unicode.Scalar) -> Bool { has(u, changesWhenLowercasedBit) }
    /// General category L*, M* or N* (CharacterSet.alphanumerics).
    static func isAlphanumeric(_ u: Unicode.Scalar) -> Bool { has(u, alphanumericBit) }
    /// General category Zs, Zl or Zp.
    static func isSeparator(_ u: Unicode.Scalar) -> Bool { has(u, separatorBit) }
    /// General category Zs.
    static func isSpaceSeparator(_ u: Unicode.Scalar) -> Bool { has(u, spaceSeparatorBit) }
    /// General category Nd, or unassigned.
    static func isDigitOrUnassigned(_ u: Unicode.Scalar) -> Bool { has(u, digitOrUnassignedBit) }
    /// `u.properties.numericType != nil`.
    static func isNumeric(_ u: Unicode.Scalar) -> Bool { has(u, numericBit) }
}
