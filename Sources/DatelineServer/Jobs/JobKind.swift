import Foundation

/// The kinds of durable job, and their payloads (JSON).
enum JobKind: String, Sendable {
    /// A release became public, changed, or was retracted: fan out to every consumer.
    /// Payload: ``ReleaseChanged``.
    case releaseChanged = "release-changed"
    /// Tell the WebSub hub that one feed changed. Payload: ``WebSubPing``.
    case webSubPing = "websub-ping"
}

/// Payload of ``JobKind/releaseChanged``.
struct ReleaseChanged: Codable, Sendable {
    var releaseID: String
}

/// Payload of ``JobKind/webSubPing``.
struct WebSubPing: Codable, Sendable {
    /// The feed's public URL (WebSub "topic").
    var topic: String
}

enum JobPayload {
    static func encode<T: Encodable>(_ value: T) throws -> String {
        String(decoding: try JSONEncoder().encode(value), as: UTF8.self)
    }

    static func decode<T: Decodable>(_ type: T.Type, from payload: String) throws -> T {
        try JSONDecoder().decode(type, from: Data(payload.utf8))
    }
}
