import NIOCore

/// One SMTP reply (RFC 5321 §4.2): a three-digit code and its text lines, joined from a
/// multiline reply ("250-…" lines, then "250 …").
struct SMTPReply: Sendable, Equatable, CustomStringConvertible {
    var code: Int
    var lines: [String]

    /// 2yz: the command was accepted.
    var isPositiveCompletion: Bool { (200..<300).contains(code) }
    /// 3yz: go on (354 after DATA, 334 during AUTH).
    var isPositiveIntermediate: Bool { (300..<400).contains(code) }
    /// 4yz: refused for now; the same command may succeed later.
    var isTransientFailure: Bool { (400..<500).contains(code) }

    var description: String { "\(code) \(lines.joined(separator: " / "))" }
}

/// Splits the server's byte stream into ``SMTPReply`` values. A reply line longer than
/// ``maximumLineLength`` bytes (RFC 5321 §4.5.3.1.5 allows 512) or without a code is an error,
/// so a misbehaving server cannot make us buffer without limit.
struct SMTPReplyDecoder: ByteToMessageDecoder {
    typealias InboundOut = SMTPReply

    static let maximumLineLength = 4096
    private var pendingLines: [String] = []

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let newline = buffer.readableBytesView.firstIndex(of: UInt8(ascii: "\n")) else {
            if buffer.readableBytes > Self.maximumLineLength { throw SMTPError.malformedReply("a reply line longer than \(Self.maximumLineLength) bytes") }
            return .needMoreData
        }
        let length = newline - buffer.readerIndex + 1
        guard var line = buffer.readString(length: length) else { return .needMoreData }
        while line.last == "\n" || line.last == "\r" || line.last == "\r\n" { line.removeLast() }
        let bytes = Array(line.utf8)
        guard bytes.count >= 3, bytes[0...2].allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }),
              let code = Int(String(decoding: bytes[0...2], as: UTF8.self))
        else {
            throw SMTPError.malformedReply(String(line.prefix(200)))
        }
        let continues = bytes.count > 3 && bytes[3] == UInt8(ascii: "-")
        pendingLines.append(bytes.count > 4 ? String(decoding: bytes[4...], as: UTF8.self) : "")
        if !continues {
            context.fireChannelRead(wrapInboundOut(SMTPReply(code: code, lines: pendingLines)))
            pendingLines = []
        }
        return .continue
    }

    mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws -> DecodingState {
        while try decode(context: context, buffer: &buffer) == .continue {}
        return .needMoreData
    }
}

/// Hands each reply to the command that waits for it, in order: SMTP answers commands in the
/// order they were sent, also when several are pipelined (RFC 2920). A reply that does not come
/// within the timeout closes the connection and fails every waiting command.
final class SMTPReplyHandler: ChannelInboundHandler {
    typealias InboundIn = SMTPReply

    private var waiting = CircularBuffer<EventLoopPromise<SMTPReply>>()
    private var timeout: Scheduled<Void>?
    /// Set once the connection has closed: no reply can come any more.
    private var closed = false
    private let replyTimeout: TimeAmount
    private var context: ChannelHandlerContext?

    init(replyTimeout: TimeAmount) {
        self.replyTimeout = replyTimeout
    }

    /// The server's greeting, which it sends unasked as soon as the connection opens.
    private(set) var greeting: EventLoopFuture<SMTPReply>?

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        let promise = context.eventLoop.makePromise(of: SMTPReply.self)
        greeting = promise.futureResult
        waiting.append(promise)
        armTimeout()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
        closed = true
        failAll(SMTPError.connectionClosed)
    }

    /// Promises for the next `count` replies. Call on the channel's event loop, before writing the commands.
    func expect(_ count: Int, on eventLoop: any EventLoop) -> [EventLoopFuture<SMTPReply>] {
        // A closed connection answers nothing: fail at once rather than wait forever (no
        // timeout can be armed without a live channel).
        guard !closed, context != nil else {
            return (0..<count).map { _ in eventLoop.makeFailedFuture(SMTPError.connectionClosed) }
        }
        let promises = (0..<count).map { _ in eventLoop.makePromise(of: SMTPReply.self) }
        let wasIdle = waiting.isEmpty
        waiting.append(contentsOf: promises)
        if wasIdle { armTimeout() }
        return promises.map(\.futureResult)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let reply = unwrapInboundIn(data)
        guard let promise = waiting.popFirst() else {
            // A reply nobody asked for means the two sides disagree on the conversation.
            failAll(SMTPError.unexpectedReply(reply.description))
            context.close(promise: nil)
            return
        }
        timeout?.cancel()
        timeout = nil
        if !waiting.isEmpty { armTimeout() }
        promise.succeed(reply)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        closed = true
        failAll(error)
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        closed = true
        failAll(SMTPError.connectionClosed)
        context.fireChannelInactive()
    }

    private func armTimeout() {
        guard let context else { return }
        let loopBoundSelf = NIOLoopBound(self, eventLoop: context.eventLoop)
        timeout = context.eventLoop.scheduleTask(in: replyTimeout) {
            let handler = loopBoundSelf.value
            handler.failAll(SMTPError.timeout)
            handler.context?.close(promise: nil)
        }
    }

    private func failAll(_ error: any Error) {
        timeout?.cancel()
        timeout = nil
        while let promise = waiting.popFirst() { promise.fail(error) }
    }
}

/// Why a message could not be handed to the SMTP server.
public enum SMTPError: Error, CustomStringConvertible, Sendable {
    /// The server refused for now (4yz); the same message may be accepted later.
    case transient(String)
    /// The server refused for good (5yz), such as an unknown recipient.
    case permanent(String)
    /// The connection failed or closed.
    case connectionClosed
    case connectionFailed(String)
    /// No reply within the timeout.
    case timeout
    case malformedReply(String)
    case unexpectedReply(String)
    /// The configuration demands something the server does not offer (STARTTLS, AUTH).
    case unsupported(String)

    /// Whether trying the same message later might succeed.
    public var isTransient: Bool {
        if case .permanent = self { return false }
        if case .unsupported = self { return false }
        return true
    }

    public var description: String {
        switch self {
        case .transient(let reply): "the SMTP server refused for now: \(reply)"
        case .permanent(let reply): "the SMTP server refused: \(reply)"
        case .connectionClosed: "the SMTP server closed the connection"
        case .connectionFailed(let reason): "cannot connect to the SMTP server: \(reason)"
        case .timeout: "the SMTP server did not answer in time"
        case .malformedReply(let line): "the SMTP server sent a malformed reply: \(line)"
        case .unexpectedReply(let reply): "the SMTP server sent a reply nobody asked for: \(reply)"
        case .unsupported(let what): what
        }
    }

    static func refusal(_ reply: SMTPReply, to command: String) -> SMTPError {
        let text = "\(command) → \(reply)"
        return reply.isTransientFailure ? .transient(text) : .permanent(text)
    }
}
