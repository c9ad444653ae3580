import Foundation

/// Why a file could not be imported as a press release. Each description says what is
/// wrong and what to do about it, because the `dateline import` command prints it as is.
public enum ImportError: Error, Equatable, CustomStringConvertible {
    /// The file holds no text (zero bytes or only whitespace).
    case empty
    /// The file holds NUL bytes, so it is a binary file, not text.
    case binary
    /// The bytes are not valid UTF-8 (nor UTF-16 with a byte-order mark).
    case invalidUTF8
    /// The text has no headline; a stored release needs one.
    case noHeadline
    /// The file is larger than `limit` bytes.
    case tooLarge(limit: Int)

    /// A message a person can act on.
    public var description: String {
        switch self {
        case .empty:
            return "The file is empty. Save the press release's text into the file and import it again."
        case .binary:
            return "The file is binary (it contains NUL bytes), not plain text. Export the release as plain text (.txt, UTF-8) and import that file."
        case .invalidUTF8:
            return "The file is not valid UTF-8 text. Re-save it as UTF-8 (for example `iconv -f WINDOWS-1252 -t UTF-8 in.txt > out.txt`) and import it again."
        case .noHeadline:
            return "No headline was found in the text. Add the release's title as the first line and import it again, or enter the headline by hand."
        case .tooLarge(let limit):
            return "The file is larger than \(limit) bytes, too large for one press release. Check that it is a single release, or split it."
        }
    }
}
