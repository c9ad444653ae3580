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

/// Hands rendered messages to the mail system, in two steps so that the outbox can record
/// "sending" at the one moment that decides delivery (see ``SMTPConnection``).
public protocol MailTransport: Sendable {
    /// A new session whose I/O runs on `eventLoop`, so that a caller on that loop drives it
    /// without handing work between threads.
    /// - Throws: ``SMTPError`` (or a file error) when no session can be opened.
    func openSession(on eventLoop: any EventLoop) async throws -> any MailSession
}

/// A connection (or its stand-in) that carries one message at a time. ``begin(from:to:message:)``
/// and ``finish(after:)`` are called on ``eventLoop`` and answer there, so the outbox can drive
/// many sessions from one thread.
public protocol MailSession: AnyObject, Sendable {
    /// The loop the session's I/O runs on; its two steps are called here.
    var eventLoop: any EventLoop { get }
    /// Everything but the step that makes the message delivered. A failure here leaves nothing
    /// sent. Call on ``eventLoop``.
    /// - Parameters:
    ///   - from: the envelope sender, a bare address; `to`: the recipients, bare addresses.
    ///   - message: the RFC 5322 message, lines ending in CRLF.
    func begin(from: String, to: [String], message: ByteBuffer) -> EventLoopFuture<Void>
    /// Makes the message delivered once `gate` succeeds with true, and not at all when it gives
    /// false. Call on ``eventLoop``.
    /// - Returns: a future of whether the message was delivered; it fails with ``SMTPError``.
    func finish(after gate: EventLoopFuture<Bool>) -> EventLoopFuture<Bool>
    /// Whether the session can take another message.
    var isUsable: Bool { get }
    func close() async
}

extension MailSession {
    /// ``begin(from:to:message:)`` from anywhere.
    func begin(from: String, to: [String], message: ByteBuffer) async throws {
        try await eventLoop.flatSubmit { self.begin(from: from, to: to, message: message) }.get()
    }

    /// ``finish(after:)`` from anywhere.
    func finish(after gate: EventLoopFuture<Bool>) async throws -> Bool {
        try await eventLoop.flatSubmit { self.finish(after: gate) }.get()
    }
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
        let session = try await transport.openSession(on: MultiThreadedEventLoopGroup.singleton.next())
        do {
            try await session.begin(from: composer.envelopeSender, to: [message.to], message: composer.render(message))
            _ = try await session.finish(after: session.eventLoop.makeSucceededFuture(true))
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

    public func openSession(on eventLoop: any EventLoop) async throws -> any MailSession {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return FolderSession(folder: folder, eventLoop: eventLoop)
    }

    /// `begin` writes a hidden part file; `finish` renames it, which is atomic, into the `.eml`
    /// that counts as delivered. The file work runs on NIO's thread pool, off the event loop.
    final class FolderSession: MailSession, @unchecked Sendable {
        let folder: URL
        let eventLoop: any EventLoop
        /// Touched only on `eventLoop`.
        private var pending: URL?

        init(folder: URL, eventLoop: any EventLoop) {
            self.folder = folder
            self.eventLoop = eventLoop
        }

        func begin(from: String, to: [String], message: ByteBuffer) -> EventLoopFuture<Void> {
            let name = "\(Int(Date().timeIntervalSince1970 * 1000))-\(UUID().uuidString.prefix(8).lowercased())"
            let part = folder.appendingPathComponent(".\(name).part")
            return NIOThreadPool.singleton.runIfActive(eventLoop: eventLoop) {
                try Data(message.readableBytesView).write(to: part)
            }.map { self.pending = part }
        }

        func finish(after gate: EventLoopFuture<Bool>) -> EventLoopFuture<Bool> {
            gate.hop(to: eventLoop).flatMap { proceed in
                guard proceed, let part = self.pending else { return self.eventLoop.makeSucceededFuture(false) }
                self.pending = nil
                let name = String(part.lastPathComponent.dropFirst().dropLast(".part".count)) + ".eml"
                let folder = self.folder
                return NIOThreadPool.singleton.runIfActive(eventLoop: self.eventLoop) {
                    try FileManager.default.moveItem(at: part, to: folder.appendingPathComponent(name))
                    return true
                }
            }
        }

        var isUsable: Bool { true }

        func close() async {
            let pending = try? await eventLoop.submit { self.pending }.get()
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

    public func openSession(on eventLoop: any EventLoop) async throws -> any MailSession {
        Session(connection: try await SMTPConnection.open(configuration, on: eventLoop))
    }

    final class Session: MailSession, @unchecked Sendable {
        let connection: SMTPConnection

        init(connection: SMTPConnection) {
            self.connection = connection
        }

        func begin(from: String, to: [String], message: ByteBuffer) -> EventLoopFuture<Void> {
            connection.beginOnLoop(from: from, to: to, message: message)
        }

        func finish(after gate: EventLoopFuture<Bool>) -> EventLoopFuture<Bool> {
            connection.finishOnLoop(after: gate)
        }

        var isUsable: Bool { connection.isOpen }

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
