import Foundation
import NIOCore
import NIOPosix

extension Channel {
    /// Holds back (`true`) or lets go of (`false`) what is written to this TCP socket: TCP_CORK
    /// on Linux, where while it is set the kernel sends no partial segment, and clearing it sends
    /// what is held (so does closing the socket). Elsewhere, and on non-TCP sockets, nothing.
    /// Call on the channel's event loop.
    func holdWrites(_ hold: Bool) {
        #if os(Linux)
        let cork = ChannelOptions.Types.SocketOption(level: .tcp, name: NIOBSDSocket.Option(rawValue: Int32(TCP_CORK)))
        try? syncOptions?.setOption(cork, value: hold ? 1 : 0)
        #endif
    }
}
