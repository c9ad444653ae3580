import FluentKit
import Foundation

/// A subscriber's preferences link on request from the operator (`dateline subscriber link`):
/// for a reader who lost their last email, and for benchmarks of the preference page.
public enum SubscriberLinks {
    /// The absolute preferences link of the subscriber with this address, valid for 30 days
    /// like the one in every email; nil when nobody with that address is subscribed.
    /// - Throws: ``SubscriberLinkError`` for an address that is not one; database errors.
    public static func preferences(email: String, hub: DatabaseHub, settings: Settings, now: Date = Date()) async throws -> String? {
        guard case .success(let address) = MailAddress.validate(email) else {
            throw SubscriberLinkError(message: "“\(email.prefix(100))” is not an email address.")
        }
        guard let subscriber = try await SubscriberModel.query(on: try hub.database).filter(\.$email == address).first(),
              let id = subscriber.id
        else { return nil }
        let token = SubscriptionToken.issue(.manage, for: id, now: now, key: try await SubscriptionTokenKey.load(from: hub))
        return SiteURL.subscription(token: token).absoluteString(base: settings.baseURL)
    }
}

/// An operator's input the link cannot be made for; the message says what was wrong.
public struct SubscriberLinkError: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
