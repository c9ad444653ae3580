import Hummingbird
import NIOCore

/// The request context of every route: Hummingbird's core context, the client's address (which
/// sign-in throttling counts), the newsroom identity that ``NewsroomSessionMiddleware`` found,
/// and the form decoder every newsroom and subscription form is read with.
public struct DatelineRequestContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The connected peer (the proxy's address when Dateline runs behind one).
    public let remoteAddress: SocketAddress?
    /// The signed-in newsroom user and their session; nil outside the newsroom and for visitors.
    var identity: NewsroomIdentity?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }

    /// Forms are `application/x-www-form-urlencoded` (`request.decode(as:context:)`).
    public var requestDecoder: URLEncodedFormDecoder { URLEncodedFormDecoder() }

    /// The largest form body read, in bytes (a pasted web page included); larger answers 413.
    public var maxUploadSize: Int { 1024 * 1024 }

    /// The client address as throttling keys it.
    var clientAddress: String { remoteAddress?.ipAddress ?? "unknown" }

    /// The identity the route group's ``NewsroomGateMiddleware`` let through.
    /// - Throws: `HTTPError(.notFound)` when there is none: a route registered outside the
    ///   signed-in groups asked for one.
    func signedIn() throws -> NewsroomIdentity {
        guard let identity else { throw HTTPError(.notFound) }
        return identity
    }
}
