/// The Unicode properties the importer asks of non-ASCII scalars, answered for the Basic
/// Multilingual Plane from one table made on first use (64 KB, a few milliseconds), and for
/// the planes above by the standard library as before.
///
/// Why: each `Unicode.Scalar.Properties` look-up searches the standard library's range
/// tables, and the importer asks for every letter of every non-English paragraph (word
/// counts, comparisons, language detection): about 4 % of an import went to those searches. The table holds the standard library's own answers, so nothing changes but the
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
        return f | flags(category: p.generalCategory)
    }

    /// The bits that follow from a general category.
    private static func flags(category: Unicode.GeneralCategory) -> UInt8 {
        var f: UInt8 = 0
        switch category {
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

    /// The table's bit for a BMP scalar; above it, `library` answers (one property, not all).
    @inline(__always) private static func has(_ u: Unicode.Scalar, _ flag: UInt8, else library: (Unicode.Scalar.Properties) -> Bool) -> Bool {
        u.value < 0x10000 ? table[Int(u.value)] & flag != 0 : library(u.properties)
    }

    /// `u.properties.isAlphabetic`.
    static func isAlphabetic(_ u: Unicode.Scalar) -> Bool { has(u, alphabeticBit) { $0.isAlphabetic } }
    /// `u.properties.changesWhenLowercased`.
    static func changesWhenLowercased(_ u: Unicode.Scalar) -> Bool { has(u, changesWhenLowercasedBit) { $0.changesWhenLowercased } }
    /// General category L*, M* or N* (CharacterSet.alphanumerics).
    static func isAlphanumeric(_ u: Unicode.Scalar) -> Bool { has(u, alphanumericBit) { flags(category: $0.generalCategory) & alphanumericBit != 0 } }
    /// General category Zs, Zl or Zp.
    static func isSeparator(_ u: Unicode.Scalar) -> Bool { has(u, separatorBit) { flags(category: $0.generalCategory) & separatorBit != 0 } }
    /// General category Zs.
    static func isSpaceSeparator(_ u: Unicode.Scalar) -> Bool { has(u, spaceSeparatorBit) { $0.generalCategory == .spaceSeparator } }
    /// General category Nd, or unassigned.
    static func isDigitOrUnassigned(_ u: Unicode.Scalar) -> Bool { has(u, digitOrUnassignedBit) { flags(category: $0.generalCategory) & digitOrUnassignedBit != 0 } }
    /// `u.properties.numericType != nil`.
    static func isNumeric(_ u: Unicode.Scalar) -> Bool { has(u, numericBit) { $0.numericType != nil } }
}
