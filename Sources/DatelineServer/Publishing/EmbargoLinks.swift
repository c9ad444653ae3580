import Crypto
import DatelineCore
import FluentKit
import Foundation

/// Personal links that let one accredited journalist read one embargoed release before its lift
/// time. The token is 256 random bits; only its SHA-256 is stored. The link expires at the lift
/// time, and every view is logged with the journalist, so a leak can be traced to its source.
public struct EmbargoLinks: Sendable {
    let hub: DatabaseHub
    let settings: Settings
    let clock: @Sendable () -> Date

    public init(hub: DatabaseHub, settings: Settings, clock: @escaping @Sendable () -> Date = { Date() }) {
        self.hub = hub
        self.settings = settings
        self.clock = clock
    }

    /// Accredits a journalist, or updates their name and outlet.
    public func addJournalist(name: String, email: String, outlet: String?) async throws {
        let email = email.trimmingCharacters(in: .whitespaces).lowercased()
        try await hub.write { database in
            let journalist = try await JournalistModel.query(on: database).filter(\.$email == email).first() ?? JournalistModel()
            journalist.name = name
            journalist.email = email
            journalist.outlet = outlet
            try await journalist.save(on: database)
        }
    }

    /// Makes a personal link to an embargoed release.
    /// - Returns: the link (`BASE/embargoed/TOKEN`); the token is shown only this once.
    /// - Throws: ``ReleaseChangeError`` when the release is not embargoed or the journalist unknown.
    public func issue(release reference: String, journalistEmail: String) async throws -> URL {
        let database = try hub.database
        let release = try await ReleaseCorrections.find(reference, on: database)
        guard release.releaseStatus == .embargoed, let lift = release.embargoUntil, lift > clock() else {
            throw ReleaseChangeError.notEmbargoed(reference)
        }
        let email = journalistEmail.trimmingCharacters(in: .whitespaces).lowercased()
        guard let journalist = try await JournalistModel.query(on: database).filter(\.$email == email).first() else {
            throw ReleaseChangeError.unknownJournalist(email)
        }
        let token = Self.newToken()
        let link = EmbargoLinkModel()
        link.tokenHash = Self.hash(token)
        link.$release.id = release.id!
        link.$journalist.id = try journalist.requireID()
        link.expiresAt = lift
        try await hub.write { try await link.create(on: $0) }
        return SiteURL.embargoed(token: token).absolute(base: settings.baseURL)
    }

    /// 256 random bits, base64url without padding (RFC 4648 §5): safe in a URL path.
    static func newToken() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    static func hash(_ token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}
