import FluentKit
import Foundation
import SQLKit

extension Accounts {
    /// Resets a user's second factor, for someone who lost their authenticator and their
    /// recovery codes: the key, its last used step and every recovery code are removed and every
    /// session of the user ends, in one transaction, recorded as an account event by `actor` (an
    /// admin's email, or `cli:operator`). At the next sign-in the user enrols again (editors and
    /// admins must).
    /// - Throws: ``AccountError/unknownUser(_:)`` when no user has that address; nothing is written then.
    public func resetTwoFactor(email rawEmail: String, actor: String, at now: Date = Date()) async throws {
        let email = rawEmail.trimmingCharacters(in: .whitespaces).lowercased()
        try await hub.write { database in
            guard let user = try await UserModel.query(on: database).filter(\.$email == email).first(), let userID = user.id else {
                throw AccountError.unknownUser(email)
            }
            let sql = database as! any SQLDatabase
            try await sql.update(UserModel.schema)
                .set("totp_secret", to: SQLLiteral.null)
                .set("totp_enabled", to: false)
                .set("totp_last_step", to: SQLLiteral.null)
                .where("id", .equal, userID)
                .run()
            try await RecoveryCodeModel.query(on: database).filter(\.$user.$id == userID).delete()
            try await SessionModel.query(on: database).filter(\.$user.$id == userID).delete()
            try await AccountEventModel(userID: userID, kind: "two-factor-reset", actor: actor, at: now).create(on: database)
        }
    }
}
