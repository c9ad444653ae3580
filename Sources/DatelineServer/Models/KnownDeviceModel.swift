import FluentKit
import Foundation

/// A browser where a user has signed in with every factor (`known_devices`). The browser keeps a
/// 256-bit random token in the `dateline_device` cookie; only its SHA-256 is stored. Failed
/// sign-ins from strangers lock new devices only, so a known device still gets in (see
/// ``SignIn``).
final class KnownDeviceModel: Model, @unchecked Sendable {
    static let schema = "known_devices"

    @ID(key: .id) var id: UUID?
    @Parent(key: "user_id") var user: UserModel
    @Field(key: "token_hash") var tokenHash: String
    @Field(key: "created_at") var createdAt: Date
    /// Last successful sign-in from this device; a device unused for ``SignIn/deviceLifetime`` is forgotten.
    @Field(key: "last_used_at") var lastUsedAt: Date

    init() {}
}
