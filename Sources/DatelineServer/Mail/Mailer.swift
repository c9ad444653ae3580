import Foundation

/// One email to send: plain text for now (HTML parts come with SMTP delivery).
public struct MailMessage: Sendable, Equatable {
    public var to: String
    public var subject: String
    public var text: String

    public init(to: String, subject: String, text: String) {
        self.to = to
        self.subject = subject
        self.text = text
    }
}

/// Sends mail. The development mailer writes messages to a folder; SMTP delivery implements
/// the same interface.
public protocol Mailer: Sendable {
    /// - Throws: when the message cannot be handed over; the caller decides whether to retry.
    func send(_ message: MailMessage) async throws
}

/// Writes each message as an RFC 5322 `.eml` file into a folder, for local use and tests:
/// open it with any mail program, or read the link in it.
public struct DevelopmentMailer: Mailer {
    public let folder: URL
    let from: String

    public init(folder: URL, from: String) {
        self.folder = folder
        self.from = from
    }

    public func send(_ message: MailMessage) async throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let date = Date()
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss '+0000'"
        // RFC 2047 encoded-word, so a subject in any language survives.
        let subject = "=?UTF-8?B?\(Data(message.subject.utf8).base64EncodedString())?="
        let eml = """
        From: \(from)\r
        To: \(message.to)\r
        Subject: \(subject)\r
        Date: \(formatter.string(from: date))\r
        Message-ID: <\(UUID().uuidString.lowercased())@dateline.invalid>\r
        MIME-Version: 1.0\r
        Content-Type: text/plain; charset=utf-8\r
        Content-Transfer-Encoding: 8bit\r
        \r
        \(message.text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\n", with: "\r\n"))\r

        """
        let name = "\(Int(date.timeIntervalSince1970 * 1000))-\(UUID().uuidString.prefix(8)).eml"
        try Data(eml.utf8).write(to: folder.appendingPathComponent(name), options: .atomic)
    }
}
