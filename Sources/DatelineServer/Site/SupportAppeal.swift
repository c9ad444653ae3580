import FluentKit
import Foundation
import SQLKit

/// The site's appeal for support ("free to all … please support our reporting") and the ways
/// to give. Shown on release pages and in digests; edited by admins. Dateline takes no payments:
/// each method is a link out to where the giving happens.
struct SupportAppeal: Codable, Equatable, Sendable {
    /// A heading, such as "This newswire is free to all".
    var heading: String
    /// The appeal itself, plain text; blank lines separate paragraphs.
    var text: String
    var methods: [DonationMethod]

    struct DonationMethod: Codable, Equatable, Sendable {
        /// What the reader sees, such as "Monthly gift".
        var name: String
        /// An http or https address.
        var url: String
        /// A short line under the name, may be empty.
        var note: String
    }

    var isEmpty: Bool { heading.isEmpty && text.isEmpty && methods.isEmpty }

    /// The paragraphs of `text`.
    var paragraphs: [String] {
        // Lines end at any line break ("\r\n" is one Character); a blank line, spaces aside, ends a paragraph.
        var paragraphs: [String] = []
        var lines: [Substring] = []
        let textLines: [Substring] = text.split(omittingEmptySubsequences: false, whereSeparator: { $0.isNewline })
        for line in textLines + [Substring("")] {
            if line.allSatisfy({ $0.isWhitespace }) {
                let paragraph = lines.joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
                if !paragraph.isEmpty { paragraphs.append(paragraph) }
                lines = []
            } else {
                lines.append(line)
            }
        }
        return paragraphs
    }

    static let none = SupportAppeal(heading: "", text: "", methods: [])
    static let settingKey = "support-appeal"

    /// The current appeal; ``none`` when no admin has written one.
    static func load(on database: any Database) async throws -> SupportAppeal {
        // One row read by its key, without the model layer: every uncached release page asks.
        let row = try await (database as! any SQLDatabase).raw("SELECT value FROM site_settings WHERE key = \(bind: settingKey)").first()
        guard let stored = try row?.decode(column: "value", as: String.self) else { return .none }
        return (try? JSONDecoder().decode(SupportAppeal.self, from: Data(stored.utf8))) ?? .none
    }

    /// Stores the appeal; `database` is a write's (``DatabaseHub/write(_:)``).
    func save(on database: any Database) async throws {
        let json = String(decoding: try JSONEncoder().encode(self), as: UTF8.self)
        if let stored = try await SiteSettingModel.find(Self.settingKey, on: database) {
            stored.value = json
            try await stored.update(on: database)
        } else {
            try await SiteSettingModel(key: Self.settingKey, value: json).create(on: database)
        }
        // Release pages show the appeal.
        try await PageCacheInvalidation.record([.appeal], on: database)
    }

    /// Checks what an admin typed.
    /// - Throws: ``AppealError`` saying which method is wrong and how.
    func validated() throws(AppealError) -> SupportAppeal {
        var clean = SupportAppeal(
            heading: heading.trimmingCharacters(in: .whitespacesAndNewlines),
            text: text.trimmingCharacters(in: .whitespacesAndNewlines),
            methods: []
        )
        guard clean.heading.count <= 200 else { throw AppealError(message: "The heading is longer than 200 characters.") }
        guard clean.text.count <= 4000 else { throw AppealError(message: "The appeal is longer than 4,000 characters.") }
        for (index, method) in methods.enumerated() {
            let name = method.name.trimmingCharacters(in: .whitespacesAndNewlines)
            let url = method.url.trimmingCharacters(in: .whitespacesAndNewlines)
            let note = method.note.trimmingCharacters(in: .whitespacesAndNewlines)
            if name.isEmpty && url.isEmpty && note.isEmpty { continue }
            guard !name.isEmpty else { throw AppealError(message: "Donation method \(index + 1) has no name.") }
            guard let parsed = URL(string: url), let scheme = parsed.scheme?.lowercased(), scheme == "https" || scheme == "http", parsed.host != nil else {
                throw AppealError(message: "Donation method \(index + 1) (\(name)) needs an address starting with https://, such as https://example.org/donate.")
            }
            clean.methods.append(DonationMethod(name: name, url: url, note: note))
        }
        return clean
    }
}

struct AppealError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}

/// The appeal as templates use it (`{{#appeal}}…{{/appeal}}` shows nothing when there is none).
struct AppealView {
    var heading: String
    var paragraphs: [String]
    var methods: [SupportAppeal.DonationMethod]
    var hasMethods: Bool

    init?(_ appeal: SupportAppeal) {
        guard !appeal.isEmpty else { return nil }
        heading = appeal.heading
        paragraphs = appeal.paragraphs
        methods = appeal.methods
        hasMethods = !methods.isEmpty
    }
}
