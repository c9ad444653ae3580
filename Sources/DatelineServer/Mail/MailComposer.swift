import ExtrasBase64
import Foundation
import NIOConcurrencyHelpers
import NIOCore
import Syndication

/// Turns a ``MailMessage`` into the bytes of an RFC 5322 message: headers with RFC 2047
/// encoded words where the text is not ASCII, and a UTF-8 body in base64 (RFC 2045 §6.8) —
/// text/plain alone, or text/plain and text/html as multipart/alternative (RFC 2046 §5.1.4).
///
/// Written here because no reachable Swift package builds MIME messages.
public struct MailComposer: Sendable {
    /// The `From:` header, such as `Dateline <newsroom@wire.example.org>`.
    public let from: String
    /// The bare address in `from`, used as the envelope sender.
    public let envelopeSender: String
    /// The right-hand side of Message-IDs: the site's host name.
    public let messageIDDomain: String
    let clock: @Sendable () -> Date
    /// The last `Date:` header written and its second: a fan-out writes thousands a second.
    private let lastDate = NIOLockedValueBox<(second: Int64, header: String)?>(nil)

    /// - Parameter from: `Name <address>` or a bare address (`DATELINE_MAIL_FROM`).
    public init(from: String, messageIDDomain: String, clock: @escaping @Sendable () -> Date = { Date() }) {
        let address = MailAddress.bare(from)
        let name = from.firstIndex(of: "<").map { from[..<$0].trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\"")) } ?? ""
        self.from = name.isEmpty ? address : "\(EncodedWord.phrase(name)) <\(address)>"
        envelopeSender = address
        self.messageIDDomain = messageIDDomain
        self.clock = clock
    }

    public init(settings: Settings, clock: @escaping @Sendable () -> Date = { Date() }) {
        self.init(from: settings.mailFrom, messageIDDomain: settings.baseURL.host ?? "dateline.invalid", clock: clock)
    }

    /// The message, lines ending in CRLF.
    public func render(_ message: MailMessage) -> ByteBuffer {
        let unique = Self.uniqueToken()
        var head: [(String, String)] = [
            ("From", from),
            ("To", message.to),
            ("Subject", EncodedWord.text(message.subject)),
            ("Date", dateHeader(clock())),
            ("Message-ID", "<\(unique)@\(messageIDDomain)>"),
            ("MIME-Version", "1.0"),
        ]
        if let list = message.list {
            head.append(("List-Id", "\(EncodedWord.phrase(list.name)) <\(list.id)>"))
            head.append(("List-Unsubscribe", "<\(list.unsubscribeURL)>"))
            head.append(("List-Unsubscribe-Post", "List-Unsubscribe=One-Click"))
        }
        var out = ByteBuffer()
        out.reserveCapacity(message.text.utf8.count * 2 + (message.html?.utf8.count ?? 0) * 2 + 1024)
        for (name, value) in head { out.writeString("\(name): \(value)\r\n") }
        if let html = message.html {
            let boundary = "=_dateline_\(unique)"
            out.writeString("Content-Type: multipart/alternative; boundary=\"\(boundary)\"\r\n\r\n")
            out.writeString("This is a message in MIME format: plain text and HTML.\r\n")
            for (type, body) in [("text/plain", message.text), ("text/html", html)] {
                out.writeString("\r\n--\(boundary)\r\n")
                Self.writePart(type: type, body: body, into: &out)
            }
            out.writeString("\r\n--\(boundary)--\r\n")
        } else {
            Self.writePart(type: "text/plain", body: message.text, into: &out)
        }
        return out
    }

    private static func writePart(type: String, body: String, into out: inout ByteBuffer) {
        out.writeString("Content-Type: \(type); charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n")
        let encoded = Base64.encodeToBytes(bytes: crlfLines(body))
        // RFC 2045 §6.8: lines of at most 76 characters, copied in one pass over the buffer.
        let lines = (encoded.count + 75) / 76
        out.writeWithUnsafeMutableBytes(minimumWritableBytes: encoded.count + 2 * lines) { target in
            encoded.withUnsafeBytes { source in
                var written = 0
                var start = 0
                while start < source.count {
                    let end = min(start + 76, source.count)
                    target.baseAddress!.advanced(by: written).copyMemory(from: source.baseAddress!.advanced(by: start), byteCount: end - start)
                    written += end - start
                    target[written] = UInt8(ascii: "\r")
                    target[written + 1] = UInt8(ascii: "\n")
                    written += 2
                    start = end
                }
                return written
            }
        }
    }

    /// The text's UTF-8 bytes with every line ending as CRLF (RFC 5322 §2.3), whatever it had.
    static func crlfLines(_ text: String) -> [UInt8] {
        var text = text
        return text.withUTF8 { utf8 in
            var bytes: [UInt8] = []
            bytes.reserveCapacity(utf8.count + utf8.count / 16 + 2)
            var start = 0
            var index = 0
            while index < utf8.count {
                let byte = utf8[index]
                guard byte == UInt8(ascii: "\r") || byte == UInt8(ascii: "\n") else {
                    index += 1
                    continue
                }
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start..<index]))
                bytes.append(UInt8(ascii: "\r"))
                bytes.append(UInt8(ascii: "\n"))
                // CRLF, a lone CR and a lone LF each end one line.
                index += byte == UInt8(ascii: "\r") && index + 1 < utf8.count && utf8[index + 1] == UInt8(ascii: "\n") ? 2 : 1
                start = index
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start..<utf8.count]))
            return bytes
        }
    }

    /// 128 random bits as 32 hexadecimal digits, for the Message-ID (RFC 5322 §3.6.4) and the
    /// MIME boundary. `UUID()` would open and read /dev/urandom for each message.
    static func uniqueToken() -> String {
        var generator = SystemRandomNumberGenerator()
        let high = generator.next() as UInt64, low = generator.next() as UInt64
        let digits = String(high, radix: 16), rest = String(low, radix: 16)
        return String(repeating: "0", count: 16 - digits.utf8.count) + digits + String(repeating: "0", count: 16 - rest.utf8.count) + rest
    }

    private func dateHeader(_ now: Date) -> String {
        let second = Int64(now.timeIntervalSince1970.rounded(.down))
        if let last = lastDate.withLockedValue({ $0 }), last.second == second { return last.header }
        let header = Self.date(now)
        lastDate.withLockedValue { $0 = (second, header) }
        return header
    }

    /// RFC 5322 §3.3 date-time in UTC, `Mon, 30 Nov 2026 05:10:08 +0000`.
    static func date(_ date: Date) -> String {
        let http = IMFDate.string(from: date)
        return http.hasSuffix(" GMT") ? String(http.dropLast(4)) + " +0000" : http
    }
}

/// Addresses as the site accepts them from readers.
public enum MailAddress {
    /// The bare address in `Name <address>`, or the text itself.
    static func bare(_ text: String) -> String {
        if let open = text.lastIndex(of: "<"), let close = text.lastIndex(of: ">"), open < close {
            return String(text[text.index(after: open)..<close]).trimmingCharacters(in: .whitespaces)
        }
        return text.trimmingCharacters(in: .whitespaces)
    }

    /// The address in a canonical form (trimmed, lower-cased: one subscription per mailbox,
    /// since mail systems in practice ignore case), or the reason it was refused.
    ///
    /// Accepts the dot-atom addresses people use (RFC 5321 §4.1.2 Mailbox, without quoted local
    /// parts or address literals): at most 64 bytes before the "@", 254 in all, a domain with a
    /// dot and labels of letters, digits and hyphens. Non-ASCII addresses (RFC 6531) are refused
    /// because they need SMTPUTF8 from every server on the way.
    public static func validate(_ input: String) -> Result<String, AddressProblem> {
        let text = input.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { return .failure(.empty) }
        guard text.utf8.count <= 254 else { return .failure(.tooLong) }
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else { return .failure(.shape) }
        let local = parts[0], domain = parts[1].lowercased()
        guard local.utf8.count <= 64 else { return .failure(.tooLong) }
        let localAllowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&'*+/=?^_`{|}~-.".unicodeScalars)
        guard local.unicodeScalars.allSatisfy(localAllowed.contains), !local.hasPrefix("."), !local.hasSuffix("."), !local.contains("..") else {
            return .failure(.characters)
        }
        let labels = domain.split(separator: ".", omittingEmptySubsequences: false)
        let labelAllowed = Set("abcdefghijklmnopqrstuvwxyz0123456789-".unicodeScalars)
        guard labels.count >= 2, labels.allSatisfy({ !$0.isEmpty && $0.utf8.count <= 63 && !$0.hasPrefix("-") && !$0.hasSuffix("-") && $0.unicodeScalars.allSatisfy(labelAllowed.contains) }),
              labels.last.map({ $0.contains(where: \.isLetter) }) == true
        else {
            return .failure(.domain)
        }
        return .success("\(local.lowercased())@\(domain)")
    }

    /// Why an address was refused, in words for the person who typed it.
    public enum AddressProblem: Error, CustomStringConvertible {
        case empty, tooLong, shape, characters, domain

        public var description: String {
            switch self {
            case .empty: "Please enter your email address."
            case .tooLong: "That email address is too long."
            case .shape: "An email address has one @ with a name before it and a domain after it, such as name@example.org."
            case .characters: "The part before the @ has characters an email address cannot have. Check for spaces, quotes or two dots in a row."
            case .domain: "The part after the @ is not a domain name, such as example.org."
            }
        }
    }
}

/// RFC 2047 encoded words, so that a subject or a name in any script survives 7-bit headers.
enum EncodedWord {
    /// The text as it is when it is printable ASCII, or as "B" encoded words of at most 75
    /// characters each (RFC 2047 §2), folded onto continuation lines.
    static func text(_ text: String) -> String {
        if isPlain(text, within: 900) { return text }
        let flattened = text.replacingOccurrences(of: "\r", with: " ").replacingOccurrences(of: "\n", with: " ")
        if flattened.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value < 0x7F }) && !flattened.contains("=?") && flattened.utf8.count <= 900 {
            return flattened
        }
        return words(flattened).joined(separator: "\r\n ")
    }

    /// A display name: quoted when it is ASCII with specials, encoded otherwise.
    static func phrase(_ name: String) -> String {
        if isPlain(name, within: .max), !name.utf8.contains(where: { Self.phraseSpecials.contains($0) }) { return name }
        if name.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value < 0x7F }) && !name.contains("=?") {
            let specials = CharacterSet(charactersIn: "()<>[]:;@\\,.\"")
            if name.rangeOfCharacter(from: specials) == nil { return name }
            return "\"" + name.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
        }
        return words(name).joined(separator: " ")
    }

    /// RFC 5322 §3.2.3 specials, which a display name may hold only inside quotes.
    private static let phraseSpecials = Set("()<>[]:;@\\,.\"".utf8)

    /// Printable ASCII of at most `limit` bytes, with no "=?" that a reader could take for the
    /// start of an encoded word: a header value as it is. One pass over the bytes, since every
    /// message of a fan-out asks.
    private static func isPlain(_ text: String, within limit: Int) -> Bool {
        guard text.utf8.count <= limit else { return false }
        var previous: UInt8 = 0
        for byte in text.utf8 {
            guard byte >= 0x20, byte < 0x7F, !(previous == UInt8(ascii: "=") && byte == UInt8(ascii: "?")) else { return false }
            previous = byte
        }
        return true
    }

    /// Splits on whole characters so that no word ends inside a UTF-8 sequence (§5 rule 3):
    /// 45 bytes of text make 60 base64 characters, 72 with the "=?UTF-8?B?" and "?=" around them.
    private static func words(_ text: String) -> [String] {
        var words: [String] = []
        var chunk: [UInt8] = []
        for character in text {
            let bytes = Array(String(character).utf8)
            if chunk.count + bytes.count > 45, !chunk.isEmpty {
                words.append("=?UTF-8?B?\(Base64.encodeToString(bytes: chunk))?=")
                chunk = []
            }
            chunk += bytes
        }
        if !chunk.isEmpty { words.append("=?UTF-8?B?\(Base64.encodeToString(bytes: chunk))?=") }
        return words
    }
}
