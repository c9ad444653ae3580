import Foundation

/// Entry points of the plain-text importer: bytes to text, text to an `ImportedRelease`,
/// and the extraction as the JSON that corpus SCHEMA.md "What an importer prints" defines.
public enum ReleaseImporter {
    /// Largest file accepted, in bytes: ten times the longest release in the corpus,
    /// so a mistaken whole-site dump is refused instead of parsed for minutes.
    public static let maximumBytes = 2_000_000

    /// Decodes raw file bytes as text.
    ///
    /// Accepts UTF-8 (with or without a byte-order mark) and UTF-16 with a byte-order mark.
    /// - Throws: `ImportError.empty` for no bytes or only whitespace, `.tooLarge` above
    ///   `maximumBytes`, `.binary` when the bytes hold NUL characters, `.invalidUTF8`
    ///   when they are not valid UTF-8.
    public static func decodeText(_ data: Data) throws(ImportError) -> String {
        if data.isEmpty { throw .empty }
        if data.count > maximumBytes { throw .tooLarge(limit: maximumBytes) }
        let bytes = [UInt8](data)
        if bytes.count >= 2, (bytes[0] == 0xFF && bytes[1] == 0xFE) || (bytes[0] == 0xFE && bytes[1] == 0xFF) {
            guard let text = String(data: data, encoding: .utf16) else { throw .invalidUTF8 }
            if text.trimmed.isEmpty { throw .empty }
            return text
        }
        if bytes.contains(0) { throw .binary }
        var body = bytes[...]
        if body.starts(with: [0xEF, 0xBB, 0xBF]) { body = body.dropFirst(3) }
        guard let text = String(validating: body, as: UTF8.self) else { throw .invalidUTF8 }
        if text.trimmed.isEmpty { throw .empty }
        return text
    }

    /// Extracts every field SCHEMA.md lists from the text of one release.
    ///
    /// Never throws and never traps: a field the text lacks comes back `nil` (or empty),
    /// and `missingRequiredFields` says whether the result can be stored. Deterministic,
    /// no network, no clock.
    public static func extract(text: String) -> ImportedRelease {
        var release = ReleaseExtractor(text: text).run()
        release.assessConfidence()
        return release
    }

    /// The extraction as pretty-printed JSON with snake_case keys, sorted, every key present
    /// and missing values as `null` (SCHEMA.md "What an importer prints").
    ///
    /// The bytes are JSONEncoder's with `[.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]`,
    /// written by `JSONOutput` because the encoder was a large share of the import time.
    public static func json(_ release: ImportedRelease) -> Data {
        Data(JSONOutput.encode(release, pretty: true))
    }

    /// The same object on one line, no spaces: the bytes JSONSerialization prints with
    /// `[.sortedKeys, .withoutEscapingSlashes]` for `json(_:)`'s output, as `import --json`
    /// prints one object per file — without decoding and re-encoding the pretty form.
    public static func jsonLine(_ release: ImportedRelease) -> Data {
        Data(JSONOutput.encode(release, pretty: false))
    }
}
