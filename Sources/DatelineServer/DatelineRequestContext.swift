import Hummingbird
import NIOCore

/// The request context of every route: Hummingbird's core context plus the client's address,
/// which sign-in throttling counts.
public struct DatelineRequestContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The connected peer (the proxy's address when Dateline runs behind one).
    public let remoteAddress: SocketAddress?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }

    /// The client address as throttling keys it.
    var clientAddress: String { remoteAddress?.ipAddress ?? "unknown" }
}
