import FluentKit
import Foundation
import Logging

/// Adds subscribers who confirmed on another list (`dateline subscriber import`): all or
/// nothing, in one transaction, after every line has been checked.
public enum SubscriberImport {
    public enum Result: Equatable, Sendable {
        case added(Int, alreadySubscribed: Int)
        /// Line numbers (from 1) and what is wrong with each; nothing was added.
        case invalid([(Int, String)])

        public static func == (lhs: Result, rhs: Result) -> Bool {
            switch (lhs, rhs) {
            case let (.added(a, b), .added(c, d)): a == c && b == d
            case let (.invalid(a), .invalid(b)): a.map(\.0) == b.map(\.0)
            default: false
            }
        }
    }

    /// - Parameters:
    ///   - lines: one address per line; blank lines and lines starting with `#` are skipped.
    ///   - instant: alerts per release instead of the daily digest.
    public static func run(lines: [String], instant: Bool, hub: DatabaseHub) async throws -> Result {
        var addresses: [String] = []
        var problems: [(Int, String)] = []
        for (index, line) in lines.enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            switch MailAddress.validate(trimmed) {
            case .success(let address): addresses.append(address)
            case .failure(let problem): problems.append((index + 1, "'\(trimmed)': \(problem)"))
            }
        }
        guard problems.isEmpty else { return .invalid(problems) }
        let unique = Array(Set(addresses))
        let now = Date()
        return try await hub.write { database in
            var existing = Set<String>()
            for chunk in stride(from: 0, to: unique.count, by: 500).map({ Array(unique[$0..<min($0 + 500, unique.count)]) }) {
                existing.formUnion(try await SubscriberModel.query(on: database).filter(\.$email ~~ chunk).all().map(\.email))
            }
            let fresh = unique.filter { !existing.contains($0) }
            for chunk in stride(from: 0, to: fresh.count, by: 500).map({ Array(fresh[$0..<min($0 + 500, fresh.count)]) }) {
                let models = chunk.map { email -> SubscriberModel in
                    let subscriber = SubscriberModel(email: email)
                    subscriber.id = UUID()
                    subscriber.status = SubscriberStatus.confirmed.rawValue
                    subscriber.cadence = (instant ? DeliveryCadence.instant : .daily).rawValue
                    subscriber.confirmedAt = now
                    return subscriber
                }
                try await models.create(on: database)
            }
            return .added(fresh.count, alreadySubscribed: existing.count)
        }
    }
}

/// `dateline send-digest`'s entry point.
public enum DigestRun {
    /// Queues a digest of everything published since the last one.
    /// - Returns: how many messages were queued.
    public static func now(hub: DatabaseHub, settings: Settings, logger: Logger) async throws -> Int {
        try await DailyDigest(hub: hub, settings: settings, logger: logger).runNow(now: Date())
    }
}
