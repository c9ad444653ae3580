import Foundation
import NIOCore
import Testing

@testable import DatelineServer

/// The byte-level helpers every subscriber's message goes through, checked against plain
/// definitions of what they must do, over many generated texts.
@Suite("Message bytes: line endings, dot-stuffing, header words")
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

    @Test("Header values: plain ASCII is kept as it is (line breaks as spaces); anything else becomes encoded words that decode to it")
    func encodedWords() throws {
        for text in Self.texts(count: 300) + ["Plain subject", "Mentions =? literally", String(repeating: "x", count: 901)] {
            let flattened = text.replacingOccurrences(of: "\r", with: " ").replacingOccurrences(of: "\n", with: " ")
            let plain = flattened.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7F } && !flattened.contains("=?") && flattened.utf8.count <= 900
            let header = EncodedWord.text(text)
            if plain {
                #expect(header == flattened, "\(text.debugDescription)")
                continue
            }
            var decoded: [UInt8] = []
            for word in header.components(separatedBy: "\r\n ") where !word.isEmpty {
                #expect(word.hasPrefix("=?UTF-8?B?") && word.hasSuffix("?=") && word.utf8.count <= 75, "\(word)")
                decoded += try #require(Data(base64Encoded: String(word.dropFirst(10).dropLast(2))), "\(word)")
            }
            #expect(String(decoding: decoded, as: UTF8.self) == flattened, "\(text.debugDescription)")
        }
        #expect(EncodedWord.phrase("Dateline Wire") == "Dateline Wire")
        #expect(EncodedWord.phrase("Wire, Inc.") == "\"Wire, Inc.\"")
        #expect(EncodedWord.phrase("Say \"hi\"") == "\"Say \\\"hi\\\"\"")
        #expect(EncodedWord.phrase("خبرگزاری").hasPrefix("=?UTF-8?B?"))
    }

    @Test("Message-IDs and boundaries: 32 hexadecimal digits, none repeated")
    func uniqueTokens() {
        let tokens = (0..<2_000).map { _ in MailComposer.uniqueToken() }
        #expect(Set(tokens).count == tokens.count)
        #expect(tokens.allSatisfy { $0.utf8.count == 32 && $0.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) } })
    }
}
