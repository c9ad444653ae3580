/// What a person may do on the newswire.
public enum Role: String, CaseIterable, Sendable, Codable {
    /// Runs the site: organizations, users, topics, settings.
    case admin
    /// Reviews submitted releases and publishes, schedules, embargoes or returns them.
    case editor
    /// Writes and submits releases for the organizations they belong to.
    case member
    /// An accredited journalist: receives embargoed releases through personal links.
    case journalist

    /// Admins and editors can publish, so a stolen password alone must not be enough:
    /// they must sign in with a second factor (TOTP).
    public var requiresTwoFactor: Bool { self == .admin || self == .editor }
}
