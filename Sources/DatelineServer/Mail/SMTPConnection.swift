import ExtrasBase64
import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import NIOSSL

/// One client connection to an SMTP server (RFC 5321), reused for many messages.
///
/// Written here because no reachable Swift package has an SMTP client. It speaks EHLO,
/// STARTTLS (RFC 3207) or implicit TLS (RFC 8314), AUTH PLAIN and LOGIN (RFC 4954, RFC 4616),
/// and PIPELINING (RFC 2920): the envelope and DATA of a message go in one write, and the next
/// message's envelope may go with the previous one's final ".".
///
/// A message is handed over in two steps, ``begin(from:to:message:)`` (envelope and text) and
/// ``finish(recording:)`` (the final "."): the server accepts a message only when it receives the
/// final "." line, so a caller that records "sending" between the two knows that a crash before
/// that record cannot have delivered it.
/// Not for use by two tasks at once.
final class SMTPConnection: @unchecked Sendable {
    private let channel: any Channel
    private let replies: NIOLoopBound<SMTPReplyHandler>
    private(set) var extensions: Set<String> = []
    private(set) var isEncrypted: Bool
    /// Set between a 354 and the final "." (the server reads everything as message text, so the
    /// only way out is to hang up) and after a failed exchange.
    private var hangUpOnClose = false
    private let configuration: SMTPConfiguration
    /// The next message's envelope, written with the previous message's final "."; its replies
    /// follow the answer to that ".".
    private let envelopeAhead = NIOLockedValueBox<EnvelopeAhead?>(nil)

    private struct EnvelopeAhead: Sendable {
        var from: String
        var recipients: [String]
        var replies: EventLoopFuture<[SMTPReply]>
    }

    private init(channel: any Channel, replies: NIOLoopBound<SMTPReplyHandler>, encrypted: Bool, configuration: SMTPConfiguration) {
        self.channel = channel
        self.replies = replies
        isEncrypted = encrypted
        self.configuration = configuration
    }

    /// Connects, reads the greeting, says EHLO, starts TLS and authenticates as configured.
    /// - Throws: ``SMTPError``; `.unsupported` when STARTTLS is required but not offered, or
    ///   credentials would go over a plain connection to another machine.
    static func open(_ configuration: SMTPConfiguration, group: any EventLoopGroup = SMTPConnection.loops) async throws -> SMTPConnection {
        let timeout = TimeAmount.seconds(Int64(configuration.timeoutSeconds))
        let tlsContext = try makeTLSContext(configuration)
        let implicitTLS = configuration.security == .implicitTLS
        let channel: any Channel
        do {
            channel = try await ClientBootstrap(group: group)
                .connectTimeout(timeout)
                .channelOption(.socketOption(.tcp_nodelay), value: 1)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        if implicitTLS {
                            try channel.pipeline.syncOperations.addHandler(
                                try NIOSSLClientHandler(context: tlsContext, serverHostname: serverName(configuration.host)))
                        }
                        try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(SMTPReplyDecoder()))
                        try channel.pipeline.syncOperations.addHandler(SMTPReplyHandler(replyTimeout: timeout))
                    }
                }
                .connect(host: configuration.host, port: configuration.port).get()
        } catch {
            throw SMTPError.connectionFailed("\(configuration.host):\(configuration.port): \(error)")
        }
        let handler = try await channel.eventLoop.submit {
            NIOLoopBound(try channel.pipeline.syncOperations.handler(type: SMTPReplyHandler.self), eventLoop: channel.eventLoop)
        }.get()
        let connection = SMTPConnection(channel: channel, replies: handler, encrypted: implicitTLS, configuration: configuration)
        do {
            let greeting = try await channel.eventLoop.submit { handler.value.greeting }.get()
            guard let greeting else { throw SMTPError.connectionClosed }
            try expectPositive(try await greeting.get(), to: "greeting")
            try await connection.hello()
            if !implicitTLS, connection.extensions.contains("STARTTLS"), configuration.security != .implicitTLS {
                try await connection.startTLS(tlsContext)
            } else if configuration.security == .startTLS {
                throw SMTPError.unsupported("the SMTP server \(configuration.host) does not offer STARTTLS, which smtp+starttls:// requires")
            }
            if let username = configuration.username {
                try await connection.authenticate(username: username, password: configuration.password ?? "")
            }
            return connection
        } catch {
            try? await channel.close()
            throw error
        }
    }

    /// The threads that SMTP connections run on by default, one per core up to four. The outbox
    /// writes each message and its `sending` record on its connection's thread, with blocking
    /// SQLite calls (see ``SendingRecorder``) that must not hold up the shared loops that serve
    /// web pages.
    static let loops: any EventLoopGroup = MultiThreadedEventLoopGroup(numberOfThreads: min(4, max(1, System.coreCount)))

    /// Whether the connection can take another message.
    var isOpen: Bool { channel.isActive }

    /// The loop the connection's I/O runs on.
    var eventLoop: any EventLoop { channel.eventLoop }

    /// Sends the envelope and DATA (one write with PIPELINING), waits for the server's 354, and
    /// sends the message — all but its final "." line.
    /// - Parameters:
    ///   - from: the envelope sender (bounce address), a bare address.
    ///   - to: the recipients, bare addresses.
    ///   - message: the RFC 5322 message, lines ending in CRLF; it is dot-stuffed here.
    /// - Throws: ``SMTPError``; `.permanent` when the server refuses the sender or a recipient.
    func begin(from: String, to recipients: [String], message: ByteBuffer) async throws {
        let commands = Self.envelope(from: from, to: recipients)
        var replies: [SMTPReply] = []
        if extensions.contains("PIPELINING") {
            replies = try await awaitReplies(commands.count, writing: commands.map { $0 + "\r\n" }.joined())
        } else {
            for line in commands {
                let reply = try await command(line)
                replies.append(reply)
                if !reply.isPositiveCompletion && !reply.isPositiveIntermediate { break }
            }
        }
        try await checkEnvelope(commands, replies)
        hangUpOnClose = true
        try await channel.writeAndFlush(Self.dotStuffed(message))
    }

    /// After ``begin(from:to:message:)``: runs `record` on the connection's loop and, when it
    /// returns true, writes the final "." right after it on the same thread, then waits for the
    /// answer. The server takes a message only at its final "." (RFC 5321 §4.1.1.4), so a record
    /// made in `record` is made before any delivery, and a crash can fall between the two only in
    /// the microseconds of a return.
    /// - Returns: false, having sent nothing, when `record` returns false; the transaction is then
    ///   still open, and the connection must be closed.
    /// - Throws: what `record` throws (nothing sent); ``SMTPError`` for a refusal (4yz, 5yz: the
    ///   message was not delivered); ``UncertainDelivery`` after a closed connection or timeout
    ///   (nobody can tell).
    func finish(recording record: @escaping @Sendable () throws -> Bool) async throws -> Bool {
        let replies = self.replies
        let channel = self.channel
        let answer = try await channel.eventLoop.submit { () throws -> EventLoopFuture<SMTPReply>? in
            try Self.writeFinalDot(channel, replies, after: record)?.answer
        }.get()
        guard let answer else { return false }
        hangUpOnClose = false
        return try await Self.accepted(answer)
    }

    /// A whole message as one exchange on the connection's loop: the envelope and DATA, the
    /// text once the server's 354 is in, then `record` and the final "." as in
    /// ``finish(recording:)``. The caller's task wakes once per message rather than at each
    /// step. Without PIPELINING, ``begin(from:to:message:)`` then ``finish(recording:)``.
    ///
    /// With `then`, the next message's envelope goes out in the same write as the final "."
    /// (RFC 2920 §3.1 lets message text open a group, so the MAIL FROM of the next transaction
    /// may follow it), which saves the next message a round trip. The next call must then be for
    /// those recipients, or the connection closed.
    /// - Parameter then: the recipients of the message to follow, when known.
    /// - Returns: false, having sent nothing, when `record` returns false; the connection must
    ///   then be closed.
    /// - Throws: ``SMTPError`` (a refusal of the envelope or of the message: nothing delivered;
    ///   any other: nothing delivered either, the connection is lost), what `record` throws
    ///   (nothing sent), or ``UncertainDelivery``.
    func send(from: String, to recipients: [String], message: ByteBuffer, then next: [String]? = nil, recording record: @escaping @Sendable () throws -> Bool) async throws -> Bool {
        guard extensions.contains("PIPELINING") else {
            try await begin(from: from, to: recipients, message: message)
            return try await finish(recording: record)
        }
        let ahead = envelopeAhead.withLockedValue { ahead in
            defer { ahead = nil }
            return ahead
        }
        if let ahead, ahead.from != from || ahead.recipients != recipients {
            // The server waits for the text of another message: nothing can be sent on this connection.
            hangUpOnClose = true
            throw SMTPError.unexpectedReply("a message for \(recipients.joined(separator: ", ")) where the envelope for \(ahead.recipients.joined(separator: ", ")) was already sent")
        }
        let commands = Self.envelope(from: from, to: recipients)
        let envelope = ByteBuffer(string: commands.map { $0 + "\r\n" }.joined())
        let nextCommands = next.map { Self.envelope(from: from, to: $0) }
        let text = Self.dotStuffed(message)
        let replies = self.replies
        let channel = self.channel
        let loop = channel.eventLoop
        let envelopeAhead = self.envelopeAhead
        let exchange = loop.flatSubmit { () -> EventLoopFuture<Exchange> in
            let envelopeReplies: EventLoopFuture<[SMTPReply]>
            if let ahead {
                envelopeReplies = ahead.replies
            } else {
                let answers = replies.value.expect(commands.count, on: loop)
                channel.writeAndFlush(envelope, promise: nil)
                envelopeReplies = EventLoopFuture.whenAllSucceed(answers, on: loop)
            }
            return envelopeReplies.flatMap { got -> EventLoopFuture<Exchange> in
                guard Self.envelopeAccepted(commands, got) else { return loop.makeSucceededFuture(.refused(got)) }
                // The kernel holds the text until the "." joins it: one segment, and one wake-up
                // of the server, per message instead of two.
                channel.holdWrites(true)
                return channel.writeAndFlush(text).flatMap { () -> EventLoopFuture<Exchange> in
                    defer { channel.holdWrites(false) }
                    do {
                        guard let written = try Self.writeFinalDot(channel, replies, after: record, then: nextCommands) else {
                            return loop.makeSucceededFuture(.notRecorded)
                        }
                        if let nextReplies = written.nextReplies, let next {
                            envelopeAhead.withLockedValue { $0 = EnvelopeAhead(from: from, recipients: next, replies: nextReplies) }
                        }
                        return loop.makeSucceededFuture(.dotWritten(written.answer))
                    } catch {
                        return loop.makeFailedFuture(error)
                    }
                }.flatMapErrorThrowing { error in
                    channel.holdWrites(false)
                    throw error
                }
            }
        }
        let step: Exchange
        do {
            step = try await exchange.get()
        } catch {
            hangUpOnClose = true
            throw error
        }
        switch step {
        case .refused(let got):
            try await checkEnvelope(commands, got)
            throw SMTPError.unexpectedReply("the envelope was refused and then accepted")
        case .notRecorded:
            hangUpOnClose = true
            return false
        case .dotWritten(let answer):
            return try await Self.accepted(answer)
        }
    }

    /// Where ``send(from:to:message:then:recording:)`` stands once its part on the loop is done.
    private enum Exchange: Sendable {
        case refused([SMTPReply])
        case notRecorded
        case dotWritten(EventLoopFuture<SMTPReply>)
    }

    private static func envelope(from: String, to recipients: [String]) -> [String] {
        ["MAIL FROM:<\(from)>"] + recipients.map { "RCPT TO:<\($0)>" } + ["DATA"]
    }

    private static func envelopeAccepted(_ commands: [String], _ replies: [SMTPReply]) -> Bool {
        replies.count == commands.count && zip(commands, replies).allSatisfy { command, reply in
            command == "DATA" ? reply.code == 354 : reply.isPositiveCompletion
        }
    }

    /// Throws the refusal among `replies`, if any, after ending the transaction.
    private func checkEnvelope(_ commands: [String], _ replies: [SMTPReply]) async throws {
        for (command, reply) in zip(commands, replies) {
            let accepted = command == "DATA" ? reply.code == 354 : reply.isPositiveCompletion
            if !accepted {
                // With pipelining the server may still have answered DATA with 354 after a refused
                // RCPT; a lone "." then ends that empty transaction before we reset.
                if replies.last?.code == 354 { _ = try? await awaitReplies(1, writing: ".\r\n") }
                _ = try? await self.command("RSET")
                throw SMTPError.refusal(reply, to: command.components(separatedBy: ":").first ?? command)
            }
        }
    }

    /// On the channel's loop: `record`, then, when it allows, the final "." with nothing in
    /// between. Everything the "." needs is ready before the record; a refused record leaves
    /// the answer's promise to the hang-up.
    /// - Returns: the answer to come, or nil when `record` refused.
    /// With `next`, that envelope follows the "." in the same write, and its replies are awaited
    /// after the answer to the ".".
    private static func writeFinalDot(
        _ channel: any Channel, _ replies: NIOLoopBound<SMTPReplyHandler>, after record: () throws -> Bool, then next: [String]? = nil
    ) throws -> (answer: EventLoopFuture<SMTPReply>, nextReplies: EventLoopFuture<[SMTPReply]>?)? {
        let dot = ByteBuffer(string: ".\r\n" + (next ?? []).map { $0 + "\r\n" }.joined())
        let expected = replies.value.expect(1 + (next?.count ?? 0), on: channel.eventLoop)
        guard try record() else { return nil }
        channel.writeAndFlush(dot, promise: nil)
        let nextReplies = next.map { _ in EventLoopFuture.whenAllSucceed(Array(expected.dropFirst()), on: channel.eventLoop) }
        return (expected[0], nextReplies)
    }

    /// The server's answer to a final ".".
    private static func accepted(_ answer: EventLoopFuture<SMTPReply>) async throws -> Bool {
        let reply: SMTPReply
        do {
            reply = try await answer.get()
        } catch {
            throw UncertainDelivery(underlying: error)
        }
        guard reply.isPositiveCompletion else { throw SMTPError.refusal(reply, to: "end of data") }
        return true
    }

    /// One whole message, with nothing to record: ``send(from:to:message:then:recording:)``.
    func send(from: String, to recipients: [String], message: ByteBuffer) async throws {
        _ = try await send(from: from, to: recipients, message: message, recording: { true })
    }

    /// Whether no message is under way: no text being sent, no envelope sent ahead.
    var isBetweenMessages: Bool {
        !hangUpOnClose && envelopeAhead.withLockedValue { $0 == nil }
    }

    /// Says goodbye (unless a message is open, or an envelope was sent ahead, when a QUIT would
    /// only become part of a message's text) and closes. Never a "." to end such a transaction:
    /// that would deliver an empty message nobody recorded.
    func close() async {
        if channel.isActive && isBetweenMessages { _ = try? await awaitReplies(1, writing: "QUIT\r\n") }
        try? await channel.close()
    }

    // MARK: - Conversation

    private func hello() async throws {
        let reply = try await command("EHLO \(configuration.heloName)")
        if reply.isPositiveCompletion {
            // The first line greets; each further line names an extension and its parameters.
            extensions = Set(reply.lines.dropFirst().map { $0.split(separator: " ").first.map { String($0).uppercased() } ?? "" })
            authMechanisms = Set(reply.lines.dropFirst()
                .filter { $0.uppercased().hasPrefix("AUTH ") || $0.uppercased().hasPrefix("AUTH=") }
                .flatMap { $0.dropFirst(5).split(separator: " ").map { $0.uppercased() } })
        } else {
            try Self.expectPositive(try await command("HELO \(configuration.heloName)"), to: "HELO")
            extensions = []
        }
    }

    private var authMechanisms: Set<String> = []

    private func startTLS(_ context: NIOSSLContext) async throws {
        try Self.expectPositive(try await command("STARTTLS"), to: "STARTTLS")
        let tlsHandler = try NIOSSLClientHandler(context: context, serverHostname: Self.serverName(configuration.host))
        try await channel.pipeline.addHandler(tlsHandler, position: .first).get()
        isEncrypted = true
        // RFC 3207 §4.2: forget what was learnt before TLS and ask again.
        try await hello()
    }

    private func authenticate(username: String, password: String) async throws {
        guard isEncrypted || configuration.isLoopback else {
            throw SMTPError.unsupported("refusing to send the SMTP password unencrypted to \(configuration.host): the server offers no STARTTLS; use smtps:// or a server with STARTTLS")
        }
        if authMechanisms.contains("PLAIN") || !authMechanisms.contains("LOGIN") {
            // RFC 4616: authorization identity (empty), NUL, user, NUL, password.
            let credentials = Base64.encodeToString(bytes: Array(("\0" + username + "\0" + password).utf8))
            try Self.expectPositive(try await command("AUTH PLAIN \(credentials)"), to: "AUTH PLAIN")
        } else {
            let start = try await command("AUTH LOGIN")
            guard start.code == 334 else { throw SMTPError.refusal(start, to: "AUTH LOGIN") }
            let user = try await command(Base64.encodeToString(bytes: Array(username.utf8)))
            guard user.code == 334 else { throw SMTPError.refusal(user, to: "AUTH LOGIN user name") }
            try Self.expectPositive(try await command(Base64.encodeToString(bytes: Array(password.utf8))), to: "AUTH LOGIN password")
        }
    }

    private func command(_ line: String) async throws -> SMTPReply {
        try await awaitReplies(1, writing: line + "\r\n")[0]
    }

    /// Registers promises for the next `count` replies, then writes `text` (when given), so a
    /// fast reply cannot arrive before its promise exists.
    private func awaitReplies(_ count: Int, writing text: String) async throws -> [SMTPReply] {
        let replies = self.replies
        let channel = self.channel
        let futures = try await channel.eventLoop.submit { () -> [EventLoopFuture<SMTPReply>] in
            let futures = replies.value.expect(count, on: channel.eventLoop)
            channel.writeAndFlush(ByteBuffer(string: text), promise: nil)
            return futures
        }.get()
        var result: [SMTPReply] = []
        for future in futures { result.append(try await future.get()) }
        return result
    }

    private static func expectPositive(_ reply: SMTPReply, to command: String) throws {
        guard reply.isPositiveCompletion else { throw SMTPError.refusal(reply, to: command) }
    }

    // MARK: - Helpers

    private static func makeTLSContext(_ configuration: SMTPConfiguration) throws -> NIOSSLContext {
        var tls = TLSConfiguration.makeClientConfiguration()
        if let file = configuration.trustedCertificatesFile {
            tls.trustRoots = .file(file)
        }
        return try NIOSSLContext(configuration: tls)
    }

    /// SNI takes a name, not an address (RFC 6066 §3).
    private static func serverName(_ host: String) -> String? {
        host.contains(":") || host.split(separator: ".").allSatisfy({ Int($0) != nil }) ? nil : host
    }

    /// The message as DATA carries it (RFC 5321 §4.5.2): a line that starts with "." gets another,
    /// and the message ends with CRLF so the final "." stands on its own line.
    static func dotStuffed(_ message: ByteBuffer) -> ByteBuffer {
        let bytes = message.readableBytesView
        let endsWithNewline = bytes.last == UInt8(ascii: "\n")
        // Our own messages (base64 parts, folded headers) never have a line starting with ".":
        // then the bytes go out as they are.
        if bytes.first != UInt8(ascii: "."), !containsNewlineDot(bytes) {
            guard !endsWithNewline else { return message }
            var output = message
            output.writeString("\r\n")
            return output
        }
        var output = ByteBuffer()
        output.reserveCapacity(bytes.count + 64)
        var atLineStart = true
        var last: UInt8 = 0
        for byte in bytes {
            if atLineStart && byte == UInt8(ascii: ".") { output.writeInteger(UInt8(ascii: ".")) }
            output.writeInteger(byte)
            atLineStart = byte == UInt8(ascii: "\n")
            last = byte
        }
        if last != UInt8(ascii: "\n") { output.writeString("\r\n") }
        return output
    }

    /// Whether a line other than the first starts with ".": memchr from newline to newline,
    /// since this runs over every message's few kilobytes on the event loop.
    private static func containsNewlineDot(_ bytes: ByteBufferView) -> Bool {
        bytes.withUnsafeBytes { buffer in
            guard let base = buffer.baseAddress else { return false }
            var offset = 0
            while offset < buffer.count, let found = memchr(base + offset, Int32(UInt8(ascii: "\n")), buffer.count - offset) {
                let next = base.distance(to: UnsafeRawPointer(found)) + 1
                if next < buffer.count && buffer[next] == UInt8(ascii: ".") { return true }
                offset = next
            }
            return false
        }
    }
}
