import HummingbirdCore
import NIOHTTPTypes
import NIOCore

/// Closes a connection whose request body has not arrived in full within `limit` of its head.
///
/// The server's idle timeout (``Settings/connectionIdleTimeout``) cuts off a client that stalls,
/// but a client that trickles a body a byte at a time is never idle, and a few thousand of them
/// hold as many connections for as long as they like (the "slow body" attack). This handler sits
/// after Hummingbird's HTTP/1 decoding: a request head starts the clock, the request's end stops
/// it, and the deadline closes the channel.
final class RequestBodyDeadlineHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart

    let limit: TimeAmount
    private var deadline: Scheduled<Void>?
    /// A request's head has arrived and its end has not.
    private var inRequest = false

    init(limit: TimeAmount) {
        self.limit = limit
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head:
            deadline?.cancel()
            deadline = nil
            inRequest = true
        case .end:
            deadline?.cancel()
            deadline = nil
            inRequest = false
        case .body:
            break
        }
        context.fireChannelRead(data)
    }

    /// The clock starts once the read that brought the head is over and the request is still
    /// unfinished: a request that arrives whole (a GET) never schedules one.
    func channelReadComplete(context: ChannelHandlerContext) {
        if inRequest, deadline == nil {
            let loopBound = NIOLoopBound(context, eventLoop: context.eventLoop)
            deadline = context.eventLoop.scheduleTask(in: limit) {
                loopBound.value.close(promise: nil)
            }
        }
        context.fireChannelReadComplete()
    }

    func channelInactive(context: ChannelHandlerContext) {
        deadline?.cancel()
        deadline = nil
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        deadline?.cancel()
        deadline = nil
    }
}
