import AsyncHTTPClient
import Foundation
import NIOCore

/// Tells a WebSub hub that a feed changed, with the publish ping hubs accept
/// (`hub.mode=publish&hub.url=…`, form-encoded; W3C WebSub leaves this step to hubs, and this is
/// the form the common ones take).
struct WebSubNotifier: Sendable {
    let hubURL: URL?
    /// How long to wait for the hub before counting the attempt as failed.
    let timeout: Duration

    /// - Throws: ``WebSubError`` when the hub refuses or cannot be reached; the job is retried.
    func notify(topic: String) async throws {
        guard let hubURL else { return }
        var request = HTTPClientRequest(url: hubURL.absoluteString)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
        request.headers.add(name: "User-Agent", value: "Dateline (WebSub publisher)")
        // Pings are rare: a kept-alive connection would only hold the hub's resources open.
        request.headers.add(name: "Connection", value: "close")
        request.body = .bytes(ByteBuffer(string: "hub.mode=publish&hub.url=\(Self.formEncode(topic))"))
        let response: HTTPClientResponse
        do {
            response = try await HTTPClient.shared.execute(request, timeout: .nanoseconds(Int64(timeout.components.seconds) * 1_000_000_000 + timeout.components.attoseconds / 1_000_000_000))
        } catch {
            throw WebSubError.unreachable(hub: hubURL.absoluteString, reason: "\(error)")
        }
        guard (200..<300).contains(Int(response.status.code)) else {
            throw WebSubError.refused(hub: hubURL.absoluteString, status: Int(response.status.code))
        }
    }

    /// `application/x-www-form-urlencoded` value encoding (WHATWG URL, urlencoded serializer).
    static func formEncode(_ value: String) -> String {
        value.addingPercentEncoding(withAllowedCharacters: CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789*-._")) ?? value
    }
}

enum WebSubError: Error, CustomStringConvertible {
    case unreachable(hub: String, reason: String)
    case refused(hub: String, status: Int)

    var description: String {
        switch self {
        case .unreachable(let hub, let reason): "the WebSub hub \(hub) could not be reached: \(reason)"
        case .refused(let hub, let status): "the WebSub hub \(hub) answered HTTP \(status)"
        }
    }
}
