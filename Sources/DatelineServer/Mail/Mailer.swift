import Foundation
import NIOCore
import NIOPosix

/// One email to send. Addresses are bare (`reader@example.org`); the sender comes from the
/// site's settings.
public struct MailMessage: Sendable, Equatable {
    public var to: String
    public var subject: String
    /// The text/plain part.
    public var text: String
    /// The text/html part, when there is one (then the message is multipart/alternative).
    public var html: String?
    /// List headers (RFC 2369, RFC 2919, RFC 8058) for mail sent to subscribers.
    public var list: MailingListHeaders?

    public init(to: String, subject: String, text: String, html: String? = nil, list: MailingListHeaders? = nil) {
        self.to = to
        self.subject = subject
        self.text = text
        self.html = html
        self.list = list
    }
}

/// The headers that let a mail program show "Unsubscribe" and unsubscribe in one click.
public struct MailingListHeaders: Sendable, Equatable {
    /// RFC 2919 list identifier, a dotted name such as `releases.wire.example.org`.
    public var id: String
    /// A descriptive name shown with the id.
    public var name: String
    /// The https address that unsubscribes on POST (RFC 8058 §3.1) and shows a button on GET.
    public var unsubscribeURL: String
}

/// Sends one message now. Subscribers' mail goes through the outbox instead
/// (``OutboxDeliverer``); this is for mail a person waits for, such as a password reset.
public protocol Mailer: Sendable {
    /// - Throws: ``SMTPError`` or a file error; the caller decides whether to retry.
    func send(_ message: MailMessage) async throws
}

/// Hands rendered messages to the mail system, letting the outbox record "sending" at the one
/// moment that decides delivery (see ``SMTPConnection``).
public protocol MailTransport: Sendable {
    func openSession() async throws -> any MailSession
}

/// A connection (or its stand-in) that carries one message at a time.
public protocol MailSession: AnyObject, Sendable {
    /// Hands over one message. Runs `record` on ``eventLoop`` once everything but the step that
    /// makes the message delivered is done, and, when it returns true, takes that step right
    /// after it on the same thread, with no hand-over in between: a crash can then hardly fall
    /// between the two.
    /// - Parameters:
    ///   - from: the envelope sender, a bare address.
    ///   - to: the recipients, bare addresses.
    ///   - message: the RFC 5322 message, lines ending in CRLF.
    ///   - then: the recipients of the next message on this session, when known: a transport may
    ///     start on it early (SMTP sends its envelope with this message's end). The next call
    ///     must then be for them, or the session closed.
    /// - Returns: whether the message was delivered (false, having sent nothing, when `record`
    ///   returned false; the session must then be closed).
    /// - Throws: what `record` throws (nothing was sent); ``UncertainDelivery`` when the last step
    ///   was taken but its outcome is unknown; else the transport's error, with nothing delivered
    ///   (``SMTPError`` refusals leave the session usable).
    func send(from: String, to: [String], message: ByteBuffer, then next: [String]?, recording record: @escaping @Sendable () throws -> Bool) async throws -> Bool
    /// Whether the session can take another message.
    var isUsable: Bool { get }
    /// Whether no message is under way (none started, no envelope sent ahead): only then may the
    /// session be kept for later; otherwise it must be closed.
    var isBetweenMessages: Bool { get }
    /// The loop the session's I/O runs on, where `record` of ``send(from:to:message:then:recording:)`` runs.
    var eventLoop: any EventLoop { get }
    func close() async
}

extension MailSession {
    /// ``send(from:to:message:then:recording:)`` with no next message in view.
    func send(from: String, to: [String], message: ByteBuffer, recording record: @escaping @Sendable () throws -> Bool) async throws -> Bool {
        try await send(from: from, to: to, message: message, then: nil, recording: record)
    }
}

/// The last step of a delivery was taken (the final "." written) but its outcome is unknown:
/// the connection failed or timed out before the answer. The message may have been delivered.
public struct UncertainDelivery: Error, CustomStringConvertible {
    public var underlying: any Error
    public var description: String { "no answer after the end of the message: \(underlying)" }
}

/// Sends one message at a time over a transport: a new session per message.
public struct TransportMailer: Mailer {
    let transport: any MailTransport
    let composer: MailComposer

    public init(transport: any MailTransport, composer: MailComposer) {
        self.transport = transport
        self.composer = composer
    }

    public func send(_ message: MailMessage) async throws {
        let session = try await transport.openSession()
        do {
            _ = try await session.send(from: composer.envelopeSender, to: [message.to], message: composer.render(message), recording: { true })
        } catch {
            await session.close()
            throw error
        }
        await session.close()
    }
}

/// For local use and tests when no SMTP server is configured: each message becomes an
/// RFC 5322 `.eml` file in a folder, the same bytes SMTP would carry. Open it with any mail
/// program, or read the link in it.
public struct DevelopmentMailTransport: MailTransport {
    public let folder: URL

    public init(folder: URL) {
        self.folder = folder
    }

    public func openSession() async throws -> any MailSession {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return FolderSession(folder: folder)
    }

    /// A message is first a hidden part file; after the record it is renamed, which is atomic,
    /// into the `.eml` that counts as delivered.
    final class FolderSession: MailSession, @unchecked Sendable {
        let folder: URL
        // The record is a blocking SQLite commit: not on the loops that serve pages.
        let eventLoop: any EventLoop = SMTPConnection.loops.next()
        private var pending: URL?

        init(folder: URL) {
            self.folder = folder
        }

        func send(from: String, to: [String], message: ByteBuffer, then next: [String]?, recording record: @escaping @Sendable () throws -> Bool) async throws -> Bool {
            let name = "\(Int(Date().timeIntervalSince1970 * 1000))-\(UUID().uuidString.prefix(8).lowercased())"
            let part = folder.appendingPathComponent(".\(name).part")
            try Data(message.readableBytesView).write(to: part)
            pending = part
            guard try await eventLoop.submit(record).get() else { return false }
            pending = nil
            try FileManager.default.moveItem(at: part, to: folder.appendingPathComponent(name + ".eml"))
            return true
        }

        var isUsable: Bool { true }

        var isBetweenMessages: Bool { pending == nil }

        func close() async {
            if let pending { try? FileManager.default.removeItem(at: pending) }
        }
    }
}

/// Delivery over SMTP, one connection per session (see ``SMTPConnection``).
public struct SMTPTransport: MailTransport {
    public let configuration: SMTPConfiguration

    public init(configuration: SMTPConfiguration) {
        self.configuration = configuration
    }

    public func openSession() async throws -> any MailSession {
        Session(connection: try await SMTPConnection.open(configuration))
    }

    final class Session: MailSession, @unchecked Sendable {
        let connection: SMTPConnection

        init(connection: SMTPConnection) {
            self.connection = connection
        }

        func send(from: String, to: [String], message: ByteBuffer, then next: [String]?, recording record: @escaping @Sendable () throws -> Bool) async throws -> Bool {
            try await connection.send(from: from, to: to, message: message, then: next, recording: record)
        }

        var isUsable: Bool { connection.isOpen }

        var isBetweenMessages: Bool { connection.isBetweenMessages }

        var eventLoop: any EventLoop { connection.eventLoop }

        func close() async {
            await connection.close()
        }
    }
}

extension Settings {
    /// SMTP when `DATELINE_SMTP_URL` is set, the mail folder otherwise.
    public var mailTransport: any MailTransport {
        if let smtp { return SMTPTransport(configuration: smtp) }
        return DevelopmentMailTransport(folder: mailDirectory)
    }
}
