import FluentKit
import Foundation
import SQLKit

/// Recovery codes for a second factor that is lost: ten at a time, shown once, each good for
/// one sign-in in place of an authenticator code. A code is ten characters of Crockford's base32
/// (50 random bits), printed in two groups ("7KQ2M-9XH4D"); it is read without case, spaces
/// or dashes, and only its SHA-256 is stored.
enum RecoveryCodes {
    static let count = 10
    private static let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ")

    /// New codes for the user, replacing every earlier one, on the caller's transaction, and the
    /// event recorded. - Returns: the codes, to be shown once.
    static func issue(for userID: UUID, actor: String, at now: Date, on database: any Database) async throws -> [String] {
        // The user's row is locked first (PostgreSQL; SQLite's writer holds the database), so two
        // requests for new codes at once leave one set, not both.
        try await (database as! any SQLDatabase).update(UserModel.schema).set("id", to: SQLIdentifier("id")).where("id", .equal, userID).run()
        try await RecoveryCodeModel.query(on: database).filter(\.$user.$id == userID).delete()
        var generator = SystemRandomNumberGenerator()
        var codes: [String] = []
        while codes.count < count {
            let characters = (0..<10).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] }
            let code = String(characters[0..<5]) + "-" + String(characters[5...])
            // A code holds a letter, so it is never read as an authenticator's six digits.
            if characters.contains(where: \.isLetter), !codes.contains(code) { codes.append(code) }
        }
        for code in codes {
            let model = RecoveryCodeModel()
            model.$user.id = userID
            model.codeHash = SignIn.hash(normalized(code))
            model.createdAt = now
            try await model.create(on: database)
        }
        try await AccountEventModel(userID: userID, kind: "recovery-codes-issued", actor: actor, at: now).create(on: database)
        return codes
    }

    /// Whether `text` has the shape of a recovery code (ten base32 characters once spaces and
    /// dashes are gone), so that it is not read as an authenticator code.
    static func looksLikeCode(_ text: String) -> Bool {
        let code = normalized(text)
        return code.count == 10 && code.allSatisfy { alphabet.contains($0) } && code.contains(where: \.isLetter)
    }

    /// Uses a code: marks it used only if it is one of the user's unused codes (one conditional
    /// update, so a code posted twice at once signs in once). - Returns: whether it was.
    static func redeem(_ text: String, userID: UUID, at now: Date, on sql: any SQLDatabase) async throws -> Bool {
        let used = try await sql.update(RecoveryCodeModel.schema)
            .set("used_at", to: now)
            .where("user_id", .equal, userID)
            .where("code_hash", .equal, SignIn.hash(normalized(text)))
            .where("used_at", .is, SQLLiteral.null)
            .returning("id")
            .all()
        return !used.isEmpty
    }

    /// The user's unused codes.
    static func remaining(for userID: UUID, on database: any Database) async throws -> Int {
        try await RecoveryCodeModel.query(on: database).filter(\.$user.$id == userID).filter(\.$usedAt == nil).count()
    }

    /// Upper case, without spaces or dashes; Crockford's look-alikes read as digits (O as 0, I and L as 1).
    static func normalized(_ text: String) -> String {
        String(text.uppercased().compactMap { character -> Character? in
            switch character {
            case " ", "-", "\t": nil
            case "O": "0"
            case "I", "L": "1"
            default: character
            }
        })
    }
}
