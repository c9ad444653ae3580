import Testing
@testable import ReleaseImport

/// `ScalarProperties` answers as the standard library does, for every scalar.
@Suite struct ScalarPropertiesTests {
    @Test func everyScalarAsTheStandardLibrary() {
        var wrong: [String] = []
        for v in UInt32(0)...0x10FFFF {
            guard let u = Unicode.Scalar(v) else { continue }
            let p = u.properties
            let category = p.generalCategory
            let alphanumeric: Bool = switch category {
            case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
                 .nonspacingMark, .spacingMark, .enclosingMark, .decimalNumber, .letterNumber, .otherNumber: true
            default: false
            }
            let answers: [(String, Bool, Bool)] = [
                ("isAlphabetic", ScalarProperties.isAlphabetic(u), p.isAlphabetic),
                ("changesWhenLowercased", ScalarProperties.changesWhenLowercased(u), p.changesWhenLowercased),
                ("isAlphanumeric", ScalarProperties.isAlphanumeric(u), alphanumeric),
                ("isSeparator", ScalarProperties.isSeparator(u), [.spaceSeparator, .lineSeparator, .paragraphSeparator].contains(category)),
                ("isSpaceSeparator", ScalarProperties.isSpaceSeparator(u), category == .spaceSeparator),
                ("isDigitOrUnassigned", ScalarProperties.isDigitOrUnassigned(u), category == .decimalNumber || category == .unassigned),
                ("isNumeric", ScalarProperties.isNumeric(u), p.numericType != nil),
            ]
            for (name, table, library) in answers where table != library {
                wrong.append("U+\(String(v, radix: 16)) \(name)")
            }
        }
        #expect(wrong.isEmpty, "\(wrong.prefix(20))")
    }
}
