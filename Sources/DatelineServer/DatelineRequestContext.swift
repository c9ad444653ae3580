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

    /// Forms are `application/x-www-form-urlencoded`, or `multipart/form-data` for uploads
    /// (`request.decode(as:context:)`).
    public var requestDecoder: FormDecoder { FormDecoder() }

    /// The largest form body read, in bytes: 1 MiB (a pasted web page fits), more for the signed-in
    /// newsroom's uploads (``UploadLimitMiddleware``); larger answers 413.
    var uploadLimit = 1024 * 1024
    public var maxUploadSize: Int { uploadLimit }

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
