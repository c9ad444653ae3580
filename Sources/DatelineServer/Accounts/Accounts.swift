import DatelineCore
import FluentKit
import Foundation
import HummingbirdBcrypt

/// Creating users. Passwords are hashed with bcrypt (HummingbirdBcrypt).
public struct Accounts: Sendable {
    let hub: DatabaseHub
    /// bcrypt's cost factor (log2 of rounds): 12 in production; tests use less to stay quick.
    let bcryptCost: UInt8

    public init(hub: DatabaseHub, bcryptCost: UInt8 = 12) {
        self.hub = hub
        self.bcryptCost = bcryptCost
    }

    /// Shortest password accepted, in characters (NIST SP 800-63B asks at least 8; we ask more).
    public static let minimumPasswordLength = 12
    /// bcrypt reads at most 72 bytes; a longer password would be silently cut, so it is refused.
    public static let maximumPasswordBytes = 72

    /// Creates a user, member of the given organizations (by slug or name).
    /// - Throws: ``AccountError`` for an invalid email, a weak or overlong password, a taken
    ///   email or an unknown organization; nothing is written then.
    public func createUser(email: String, name: String, role: Role, password: String, organizations: [String] = []) async throws {
        let email = email.trimmingCharacters(in: .whitespaces).lowercased()
        guard Self.isEmailAddress(email) else { throw AccountError.invalidEmail(email) }
        guard password.count >= Self.minimumPasswordLength else { throw AccountError.weakPassword }
        guard password.utf8.count <= Self.maximumPasswordBytes else { throw AccountError.longPassword }
        let hash = Bcrypt.hash(password, cost: bcryptCost)
        try await hub.write { database in
            guard try await UserModel.query(on: database).filter(\.$email == email).count() == 0 else {
                throw AccountError.emailTaken(email)
            }
            let user = UserModel()
            user.email = email
            user.name = name.trimmingCharacters(in: .whitespaces)
            user.passwordHash = hash
            user.role = role.rawValue
            user.totpEnabled = false
            try await user.create(on: database)
            for reference in organizations {
                let slug = Slug(validating: reference) ?? Slug(making: reference)
                guard let slug, let organization = try await OrganizationModel.query(on: database).filter(\.$slug == slug.rawValue).first() else {
                    throw AccountError.unknownOrganization(reference)
                }
                try await user.$organizations.attach(organization, on: database)
            }
        }
    }

    static func isEmailAddress(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        return parts.count == 2 && !parts[0].isEmpty && parts[1].contains(".") && !parts[1].hasPrefix(".") && !parts[1].hasSuffix(".")
            && text.count <= 254 && !text.contains(where: { $0.isWhitespace || $0 == "<" || $0 == ">" })
    }
}

/// An account that could not be created or a sign-in that was refused; the description says what to do.
public enum AccountError: Error, CustomStringConvertible, Equatable {
    case invalidEmail(String)
    case weakPassword
    case longPassword
    case emailTaken(String)
    case unknownOrganization(String)
    case unknownUser(String)

    public var description: String {
        switch self {
        case .invalidEmail(let email): "'\(email)' is not an email address"
        case .weakPassword: "the password is too short: use at least \(Accounts.minimumPasswordLength) characters (a phrase of several words is easy to remember)"
        case .longPassword: "the password is longer than \(Accounts.maximumPasswordBytes) bytes, which bcrypt would cut short: use a shorter one"
        case .emailTaken(let email): "a user with the address \(email) exists already"
        case .unknownOrganization(let reference): "no organization is called '\(reference)'; import one of its releases first, or check the slug"
        case .unknownUser(let email): "no user has the address \(email); check it (dateline user create makes accounts)"
        }
    }
}
