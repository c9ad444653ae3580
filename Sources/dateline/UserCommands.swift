import ArgumentParser
import DatelineCore
import DatelineServer
import Foundation

extension Role: ExpressibleByArgument {}

/// `dateline user create`: the first admin, and any account, from the command line.
struct User: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Newsroom accounts.", subcommands: [Create.self, ResetTwoFactor.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create an account.",
            discussion: """
            Without --password-stdin a strong password is generated and printed once. Admins and \\
            editors are asked to set up two-factor sign-in (an authenticator app) when they first sign in.
            """
        )

        @Option(help: "Their email address (they sign in with it).") var email: String
        @Option(help: "Their name.") var name: String?
        @Option(help: "admin, editor, member or journalist.") var role: Role
        @Option(name: .customLong("organization"), help: "An organization they write for, by slug or name (repeatable; for members).") var organizations: [String] = []
        @Flag(help: "Read the password from standard input instead of generating one.") var passwordStdin = false

        func run() async throws {
            let password: String
            if passwordStdin {
                password = (readLine(strippingNewline: true) ?? "")
            } else {
                password = Self.generatedPassword()
            }
            try await withDatabase("user create") { _, hub in
                try await Accounts(hub: hub).createUser(email: email, name: name ?? email, role: role, password: password, organizations: organizations)
                print("Created \(role.rawValue) \(email).")
                if !passwordStdin { print("Password (shown once): \(password)") }
            }
        }

        /// Five groups of five letters and digits: about 145 bits, easy to copy.
        static func generatedPassword() -> String {
            let alphabet = Array("abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789")
            var generator = SystemRandomNumberGenerator()
            return (0..<5).map { _ in String((0..<5).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] }) }.joined(separator: "-")
        }
    }
}

extension User {
    /// `dateline user reset-two-factor EMAIL`: for someone who lost their authenticator and
    /// their recovery codes. Recorded as an account event by `cli:operator`.
    struct ResetTwoFactor: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "reset-two-factor",
            abstract: "Remove a user's second factor and recovery codes and sign them out everywhere.",
            discussion: "They set up two-factor sign-in again when they next sign in. Check who is asking before you run this."
        )

        @Argument(help: "Their email address.") var email: String

        func run() async throws {
            try await withDatabase("user reset-two-factor") { _, hub in
                try await Accounts(hub: hub).resetTwoFactor(email: email, actor: "cli:operator")
                print("Reset the second factor of \(email.lowercased()); they set it up again at their next sign-in.")
            }
        }
    }
}
