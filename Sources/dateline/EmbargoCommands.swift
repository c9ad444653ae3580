import ArgumentParser
import DatelineServer
import Foundation

/// `dateline journalist add`: accredit a journalist for embargoed releases.
struct Journalist: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Accredited journalists.", subcommands: [Add.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Accredit a journalist (or update their name and outlet).")

        @Option(help: "Their email address.") var email: String
        @Option(help: "Their name.") var name: String
        @Option(help: "Their publication.") var outlet: String?

        func run() async throws {
            guard email.contains("@"), !email.contains(" ") else {
                printError("dateline journalist add: '\(email)' is not an email address")
                throw ExitCode.failure
            }
            try await withDatabase("journalist add") { _, hub in
                try await EmbargoLinks(hub: hub, settings: try loadSettings()).addJournalist(name: name, email: email, outlet: outlet)
                print("Accredited \(name) <\(email)>.")
            }
        }
    }
}

/// `dateline embargo-link RELEASE --journalist EMAIL`: a personal link to an embargoed release.
struct EmbargoLink: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "embargo-link",
        abstract: "Make a journalist's personal link to an embargoed release; it expires at the lift time and logs each view."
    )

    @Argument(help: "The release's slug or id.") var release: String
    @Option(help: "The accredited journalist's email address.") var journalist: String

    func run() async throws {
        try await withDatabase("embargo-link") { settings, hub in
            let url = try await EmbargoLinks(hub: hub, settings: settings).issue(release: release, journalistEmail: journalist)
            print(url.absoluteString)
        }
    }
}
