import Foundation

/// Where and how to hand mail over: read from `DATELINE_SMTP_URL`.
///
/// Forms (RFC 5321 submission; the scheme chooses the transport security):
/// - `smtp://[user:password@]host[:port]` — port 25 by default; STARTTLS (RFC 3207) when the
///   server offers it, plain otherwise.
/// - `smtp+starttls://…` — port 587 by default; STARTTLS is required.
/// - `smtps://…` — port 465 by default; TLS from the first byte (RFC 8314 §3.3).
///
/// User name and password are percent-decoded and used with AUTH PLAIN or LOGIN (RFC 4954).
/// Credentials are never sent over an unencrypted connection except to a loopback address.
public struct SMTPConfiguration: Sendable, Equatable {
    public enum Security: String, Sendable {
        /// STARTTLS if offered.
        case opportunistic
        /// STARTTLS or fail.
        case startTLS
        /// TLS from the start.
        case implicitTLS
    }

    public var host: String
    public var port: Int
    public var security: Security
    public var username: String?
    public var password: String?
    /// The name we give in EHLO: the host of the site's base URL.
    public var heloName: String
    /// A PEM file of certificates to trust instead of the system's (a private CA), or `nil`.
    public var trustedCertificatesFile: String?
    /// How long to wait for a connection and for each reply, in seconds.
    public var timeoutSeconds: Int = 30

    /// Reads the `DATELINE_SMTP_URL` value.
    /// - Throws: ``SettingsError`` naming the variable and the forms expected.
    public init(parsing text: String, heloName: String) throws(SettingsError) {
        let expected = "expected smtp://user:password@host:25, smtp+starttls://user:password@host:587 or smtps://user:password@host:465"
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
              let host = components.host, !host.isEmpty
        else {
            throw SettingsError(variable: "DATELINE_SMTP_URL", problem: "'\(DatabaseLocation.redacted(text))' is not an SMTP URL; \(expected)")
        }
        switch scheme {
        case "smtp": security = .opportunistic; port = components.port ?? 25
        case "smtp+starttls": security = .startTLS; port = components.port ?? 587
        case "smtps": security = .implicitTLS; port = components.port ?? 465
        default:
            throw SettingsError(variable: "DATELINE_SMTP_URL", problem: "the scheme '\(scheme)' is not supported; \(expected)")
        }
        guard (1...65535).contains(port) else {
            throw SettingsError(variable: "DATELINE_SMTP_URL", problem: "port \(port) is out of range; \(expected)")
        }
        self.host = host
        username = components.percentEncodedUser?.removingPercentEncoding
        password = components.percentEncodedPassword?.removingPercentEncoding
        self.heloName = heloName
    }

    /// Whether the server is on this machine, where a plain connection cannot be overheard.
    var isLoopback: Bool {
        host == "localhost" || host == "::1" || host.hasPrefix("127.")
    }
}
