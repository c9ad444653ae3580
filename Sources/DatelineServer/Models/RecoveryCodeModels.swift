import FluentKit
import Foundation

/// A single-use recovery code (`recovery_codes`): signs in in place of an authenticator code
/// once. Only the SHA-256 of the normalized code is stored (``RecoveryCodes``).
final class RecoveryCodeModel: Model, @unchecked Sendable {
    static let schema = "recovery_codes"

    @ID(key: .id) var id: UUID?
    @Parent(key: "user_id") var user: UserModel
    @Field(key: "code_hash") var codeHash: String
    @Field(key: "created_at") var createdAt: Date
    @OptionalField(key: "used_at") var usedAt: Date?

    init() {}
}

/// Something done to an account that someone answers for (`account_events`): `kind` is
/// `two-factor-reset` or `recovery-codes-issued`; `actor` the admin's email or `cli:operator`.
final class AccountEventModel: Model, @unchecked Sendable {
    static let schema = "account_events"

    @ID(key: .id) var id: UUID?
    @Parent(key: "user_id") var user: UserModel
    @Field(key: "kind") var kind: String
    @Field(key: "actor") var actor: String
    @Field(key: "at") var at: Date

    init() {}

    init(userID: UUID, kind: String, actor: String, at: Date) {
        self.$user.id = userID
        self.kind = kind
        self.actor = actor
        self.at = at
    }
}
