import Foundation

/// A social network on which an organization can be followed.
public enum SocialNetwork: String, CaseIterable, Sendable, Codable {
    case mastodon, bluesky, x, facebook, linkedin

    /// The network's name as readers know it.
    public var displayName: String {
        switch self {
        case .mastodon: "Mastodon"
        case .bluesky: "Bluesky"
        case .x: "X"
        case .facebook: "Facebook"
        case .linkedin: "LinkedIn"
        }
    }

    /// Reads a network name as releases write it ("Twitter" is X).
    public init?(name: String) {
        switch name.lowercased().trimmingCharacters(in: .whitespaces) {
        case "mastodon": self = .mastodon
        case "bluesky", "bsky": self = .bluesky
        case "x", "twitter": self = .x
        case "facebook": self = .facebook
        case "linkedin": self = .linkedin
        default: return nil
        }
    }
}

/// An organization's profile on one social network: a full URL, or a handle as the release gave it.
public struct SocialProfile: Hashable, Sendable, Codable {
    public var network: SocialNetwork
    /// A profile URL (`https://mastodon.social/@amnesty`) or a handle (`@amnesty`, `amnesty.org`).
    public var handleOrURL: String

    public init(network: SocialNetwork, handleOrURL: String) {
        self.network = network
        self.handleOrURL = handleOrURL
    }

    /// A link to the profile when one can be made: the URL itself, or the network's URL for a handle.
    /// `nil` when the value is a name rather than a handle ("Follow Amnesty International USA on Twitter").
    public var url: URL? {
        let value = handleOrURL.trimmingCharacters(in: .whitespaces)
        if let url = URL(string: value), let scheme = url.scheme?.lowercased(), scheme == "https" || scheme == "http", url.host != nil {
            return url
        }
        guard !value.contains(" "), !value.isEmpty else { return nil }
        let handle = value.hasPrefix("@") ? String(value.dropFirst()) : value
        switch network {
        case .x: return URL(string: "https://x.com/\(handle)")
        case .bluesky: return URL(string: "https://bsky.app/profile/\(handle)")
        case .facebook: return URL(string: "https://www.facebook.com/\(handle)")
        case .linkedin: return URL(string: "https://www.linkedin.com/company/\(handle)")
        case .mastodon:
            // A Mastodon handle is @user@server: its profile lives on that server.
            let parts = handle.split(separator: "@")
            guard parts.count == 2 else { return nil }
            return URL(string: "https://\(parts[1])/@\(parts[0])")
        }
    }
}
