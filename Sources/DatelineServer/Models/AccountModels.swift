import DatelineCore
import FluentKit
import Foundation

/// A person who signs in (`users`).
final class UserModel: Model, @unchecked Sendable {
    static let schema = "users"

    @ID(key: .id) var id: UUID?
    /// Lowercased.
    @Field(key: "email") var email: String
    @Field(key: "name") var name: String
    /// bcrypt.
    @Field(key: "password_hash") var passwordHash: String
    /// A ``Role`` raw value.
    @Field(key: "role") var role: String
    /// The shared TOTP key (RFC 6238), set when enrolment starts.
    @OptionalField(key: "totp_secret") var totpSecret: String?
    /// Whether sign-in asks for the TOTP code; set once the person has confirmed a code.
    @Field(key: "totp_enabled") var totpEnabled: Bool
    /// The 30-second step of the last code accepted, so that no code works twice.
    @OptionalField(key: "totp_last_step") var totpLastStep: Int64?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    /// The IANA zone this person reads newsroom times in; nil until chosen.
    @OptionalField(key: "time_zone") var timeZone: String?

    @Siblings(through: MembershipModel.self, from: \.$user, to: \.$organization) var organizations: [OrganizationModel]

    init() {}

    var userRole: Role { Role(rawValue: role) ?? .journalist }
}

/// A user's membership of an organization (`memberships`).
final class MembershipModel: Model, @unchecked Sendable {
    static let schema = "memberships"

    @ID(key: .id) var id: UUID?
    @Parent(key: "user_id") var user: UserModel
    @Parent(key: "organization_id") var organization: OrganizationModel

    init() {}
}

/// A signed-in browser (`sessions`). The cookie carries a random token; only its SHA-256 is
/// stored, so a copy of the table signs nobody in.
final class SessionModel: Model, @unchecked Sendable {
    static let schema = "sessions"

    @ID(key: .id) var id: UUID?
    @Field(key: "token_hash") var tokenHash: String
    @Parent(key: "user_id") var user: UserModel
    /// The token every form of this session must carry (synchronizer token pattern).
    @Field(key: "csrf_token") var csrfToken: String
    /// False until the TOTP code is given, for users who have two-factor sign-in.
    @Field(key: "second_factor_passed") var secondFactorPassed: Bool
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "expires_at") var expiresAt: Date
    /// Second-factor codes tried in this session, counted before each is checked.
    @Field(key: "code_attempts") var codeAttempts: Int

    init() {}
}

/// One sign-in attempt (`sign_in_attempts`), counted by the throttle.
final class SignInAttemptModel: Model, @unchecked Sendable {
    static let schema = "sign_in_attempts"

    @ID(key: .id) var id: UUID?
    @Field(key: "email") var email: String
    /// The client's address as the server saw it.
    @Field(key: "client") var client: String
    @Field(key: "succeeded") var succeeded: Bool
    @Field(key: "at") var at: Date
    /// The known device the attempt came from (``KnownDeviceModel``), or nil for a new device.
    @OptionalField(key: "device_id") var deviceID: UUID?

    init() {}
}

/// A password reset link (`password_resets`): single use, expiring, only its hash stored.
final class PasswordResetModel: Model, @unchecked Sendable {
    static let schema = "password_resets"

    @ID(key: .id) var id: UUID?
    @Field(key: "token_hash") var tokenHash: String
    @Parent(key: "user_id") var user: UserModel
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "expires_at") var expiresAt: Date
    @OptionalField(key: "used_at") var usedAt: Date?

    init() {}
}
