import ArgumentParser
import DatelineServer
import Foundation
import Logging

/// `dateline send-digest`: the daily digest now, of everything published since the last one,
/// and delivers it (with any other mail that is due) before returning.
struct SendDigest: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "send-digest",
        abstract: "Send the daily digest now to every daily subscriber, and wait until it is delivered."
    )

    @Option(help: "Give up waiting for delivery after this many seconds; what is left is sent by the worker later.")
    var timeout = 600

    func run() async throws {
        let settings = try loadSettings()
        var logger = Logger(label: "dateline-digest")
        logger.logLevel = .warning
        let hub = try openDatabase(settings, logger: logger, command: "send-digest")
        do {
            try await hub.migrate()
            let queued = try await DigestRun.now(hub: hub, settings: settings, logger: logger)
            let deliverer = try await OutboxDeliverer.load(hub: hub, settings: settings, logger: logger)
            let left = try await deliverer.drain(timeout: .seconds(timeout))
            print("Digest: \(queued) \(queued == 1 ? "message" : "messages") queued; \(left == 0 ? "all mail delivered" : "\(left) still waiting (the worker will retry them)").")
            await hub.shutdown()
            if left > 0 { throw ExitCode(75) }
        } catch let exit as ExitCode {
            throw exit
        } catch {
            printError("dateline send-digest: \(error)")
            await hub.shutdown()
            throw ExitCode.failure
        }
    }
}

/// `dateline subscriber import`: adds confirmed subscribers from a list, for sites moving from
/// another mailing list whose subscribers have already confirmed there.
struct Subscriber: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Manage subscribers.",
        subcommands: [ImportSubscribers.self, SubscriberLink.self]
    )
}

/// `dateline subscriber link EMAIL`: prints a subscriber's preferences link.
struct SubscriberLink: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "link",
        abstract: "Print a subscriber's preferences link (valid 30 days), for a reader who lost their last email."
    )

    @Argument(help: "The subscriber's email address.")
    var email: String

    func run() async throws {
        let settings = try loadSettings()
        var logger = Logger(label: "dateline-subscribers")
        logger.logLevel = .warning
        let hub = try openDatabase(settings, logger: logger, command: "subscriber link")
        do {
            try await hub.migrate()
            let link = try await SubscriberLinks.preferences(email: email, hub: hub, settings: settings)
            await hub.shutdown()
            guard let link else {
                printError("dateline subscriber link: nobody is subscribed with \(email.prefix(100)); check the address.")
                throw ExitCode(65)
            }
            print(link)
        } catch let exit as ExitCode {
            throw exit
        } catch {
            await hub.shutdown()
            printError("dateline subscriber link: \(error)")
            throw ExitCode(error is SubscriberLinkError ? 64 : 1)
        }
    }
}

struct ImportSubscribers: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Add subscribers who confirmed elsewhere: one address per line (a file, or - for standard input).",
        discussion: "Every address is checked first; if any is invalid, nothing is added and the bad lines are listed. Addresses already subscribed are left as they are."
    )

    @Argument(help: "The file of addresses, one per line; - reads standard input.")
    var file: String

    @Option(help: "instant (an alert per release) or daily (a digest).")
    var cadence = "daily"

    func run() async throws {
        let settings = try loadSettings()
        guard cadence == "daily" || cadence == "instant" else {
            printError("dateline subscriber import: --cadence must be daily or instant, not '\(cadence)'")
            throw ExitCode(64)
        }
        let text: String
        do {
            let data = file == "-" ? FileHandle.standardInput.readDataToEndOfFile() : try Data(contentsOf: URL(fileURLWithPath: file))
            text = String(decoding: data, as: UTF8.self)
        } catch {
            printError("dateline subscriber import: cannot read \(file): \(error.localizedDescription)")
            throw ExitCode(66)
        }
        var logger = Logger(label: "dateline-subscribers")
        logger.logLevel = .warning
        let hub = try openDatabase(settings, logger: logger, command: "subscriber import")
        do {
            try await hub.migrate()
            let result = try await SubscriberImport.run(lines: text.components(separatedBy: .newlines), instant: cadence == "instant", hub: hub)
            await hub.shutdown()
            switch result {
            case .added(let added, let existing):
                print("Added \(added) subscribers; \(existing) were already on the list.")
            case .invalid(let lines):
                printError("dateline subscriber import: nothing added; fix these lines and run it again:")
                for (number, problem) in lines.prefix(20) { printError("  line \(number): \(problem)") }
                if lines.count > 20 { printError("  … and \(lines.count - 20) more") }
                throw ExitCode(65)
            }
        } catch let exit as ExitCode {
            throw exit
        } catch {
            await hub.shutdown()
            printError("dateline subscriber import: \(error)")
            throw ExitCode.failure
        }
    }
}

func openDatabase(_ settings: Settings, logger: Logger, command: String) throws -> DatabaseHub {
    do {
        return try DatabaseHub(location: settings.database, logger: logger)
    } catch {
        printError("dateline \(command): cannot open the database: \(error)")
        throw ExitCode.failure
    }
}
