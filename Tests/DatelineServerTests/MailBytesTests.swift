import NIOCore
import Testing

@testable import DatelineServer

/// The byte-level helpers every subscriber's message goes through, checked against plain
/// definitions of what they must do, over many generated texts.
@Suite("Message bytes: line endings and dot-stuffing")
struct MailBytesTests {
    /// Line breaks of every kind, dots at line starts, and multi-byte characters at the edges.
    static func texts(count: Int) -> [String] {
        var generator = SystemRandomNumberGenerator()
        let pieces = ["a", "Ab ", ".", "..", "\r", "\n", "\r\n", "\n\r", "فارسی", "é", "👩🏽‍💻", " ", "-- ", "=?"]
        return (0..<count).map { _ in
            (0..<Int.random(in: 0...40, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }.joined()
        } + ["", "\r", "\n", ".", "\r\n.", "x\r", "x\n", "\n.\n", "."]
    }

    @Test("crlfLines ends every line in CRLF, whatever it ended in, and changes nothing else")
    func lineEndings() {
        for text in Self.texts(count: 3000) {
            // The definition: split on CRLF, lone CR or lone LF, and join with CRLF.
            var expected: [UInt8] = []
            let bytes = Array(text.utf8)
            var index = 0
            while index < bytes.count {
                let byte = bytes[index]
                if byte == UInt8(ascii: "\r") || byte == UInt8(ascii: "\n") {
                    expected += [13, 10]
                    index += byte == UInt8(ascii: "\r") && index + 1 < bytes.count && bytes[index + 1] == UInt8(ascii: "\n") ? 2 : 1
                } else {
                    expected.append(byte)
                    index += 1
                }
            }
            #expect(MailComposer.crlfLines(text) == expected, "\(text.debugDescription)")
        }
    }

    @Test("dotStuffed doubles a dot that starts a line and ends the message with CRLF")
    func dotStuffing() {
        for text in Self.texts(count: 3000) {
            let bytes = Array(text.utf8)
            var expected: [UInt8] = []
            var atLineStart = true
            for byte in bytes {
                if atLineStart && byte == UInt8(ascii: ".") { expected.append(byte) }
                expected.append(byte)
                atLineStart = byte == UInt8(ascii: "\n")
            }
            if expected.last != UInt8(ascii: "\n") { expected += [13, 10] }
            let stuffed = SMTPConnection.dotStuffed(ByteBuffer(bytes: bytes))
            #expect(Array(stuffed.readableBytesView) == expected, "\(text.debugDescription)")
        }
    }
}
