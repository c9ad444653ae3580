import Foundation

/// All of Dateline's configuration, read once at start-up and validated.
///
/// Read from the process environment, and from a `.env` file in the working directory for
/// variables the environment does not set. Nothing else in the program reads the environment.
public struct Settings: Sendable {
    /// Where the data lives: the embedded SQLite file, or a PostgreSQL server.
    public var database: DatabaseLocation
    /// The public address of the site, without a trailing slash (`https://wire.example.org`):
    /// every absolute link in pages, feeds and emails starts with it.
    public var baseURL: URL
    /// The site's name as readers see it in titles and feeds.
    public var siteName: String
    /// The folder that holds `Templates/` (Mustache) — `Resources` in the repository.
    public var resourcesDirectory: URL
    /// The folder of static files served as they are (CSS, images) — `Public` in the repository.
    public var publicDirectory: URL
    /// The folder of sample releases loaded by `serve --sample-data`.
    public var samplesDirectory: URL
    /// Releases per page on the home, organization and topic pages.
    public var pageSize: Int
    /// The WebSub hub (W3C WebSub) that feeds advertise and that is notified when they change;
    /// `nil` for none.
    public var webSubHub: URL?
    /// Where mail goes as `.eml` files when no SMTP server is configured (local use).
    public var mailDirectory: URL
    /// The sender of the site's mail, `Name <address>`.
    public var mailFrom: String
    /// The SMTP server that delivers the site's mail (`DATELINE_SMTP_URL`); `nil` writes mail to
    /// ``mailDirectory`` instead.
    public var smtp: SMTPConfiguration?
    /// How many SMTP connections the outbox uses side by side (`DATELINE_SMTP_CONNECTIONS`).
    public var smtpConnections: Int
    /// The hour of the day, 0–23 in UTC, at which the daily digest goes out.
    public var digestHour: Int
    /// bcrypt's cost factor for new password hashes (log2 of rounds).
    public var bcryptCost: UInt8
    /// Seconds a connection may send nothing the server can use before it is closed: a request
    /// head not complete, a body stalled, or a kept-alive connection left idle. Cuts off slow clients
    /// that would otherwise hold a connection open for ever.
    public var connectionIdleTimeout: TimeInterval = 30
    /// The rendered-response cache's bound, in megabytes (2^20 bytes) of response bodies held,
    /// identity and gzip together (`DATELINE_PAGE_CACHE_MB`); 0 turns the cache off. See
    /// docs/operations.md, "The page cache and CDNs". The default keeps the whole server under
    /// 200 MB at a million releases (BENCHMARKS.md, "Memory under load").
    public var pageCacheMegabytes: Int = 48
    /// The largest photo or document accepted as an attachment, in megabytes (2^20 bytes)
    /// (`DATELINE_MEDIA_MAX_MB`).
    public var mediaMaxMegabytes: Int = 20
    /// Whether public responses say `X-Cache: hit` or `miss` (`DATELINE_PAGE_CACHE_HEADER`), for
    /// checking the cache from outside; off by default, since it tells who asked for a page lately.
    public var pageCacheStatusHeader: Bool = false

    public init(
        database: DatabaseLocation,
        baseURL: URL = URL(string: "http://127.0.0.1:8080")!,
        siteName: String = "Dateline",
        resourcesDirectory: URL = URL(fileURLWithPath: "Resources"),
        publicDirectory: URL = URL(fileURLWithPath: "Public"),
        samplesDirectory: URL = URL(fileURLWithPath: "Samples"),
        pageSize: Int = 10,
        webSubHub: URL? = nil,
        mailDirectory: URL = URL(fileURLWithPath: "data/mail"),
        mailFrom: String = "Dateline <newsroom@localhost>",
        smtp: SMTPConfiguration? = nil,
        smtpConnections: Int = 4,
        digestHour: Int = 7,
        bcryptCost: UInt8 = 12
    ) {
        self.database = database
        self.baseURL = baseURL
        self.siteName = siteName
        self.resourcesDirectory = resourcesDirectory
        self.publicDirectory = publicDirectory
        self.samplesDirectory = samplesDirectory
        self.pageSize = pageSize
        self.webSubHub = webSubHub
        self.mailDirectory = mailDirectory
        self.mailFrom = mailFrom
        self.smtp = smtp
        self.smtpConnections = smtpConnections
        self.digestHour = digestHour
        self.bcryptCost = bcryptCost
    }

    /// The default database when `DATELINE_DATABASE_URL` is not set.
    public static let defaultDatabasePath = "data/dateline.sqlite"

    /// Reads and validates the settings.
    /// - Parameters:
    ///   - environment: the variables to read, normally `ProcessInfo.processInfo.environment`.
    ///   - dotEnvFile: a `KEY=value` file whose entries fill in what `environment` lacks; ignored when missing.
    /// - Throws: ``SettingsError`` naming the variable, what was wrong and the form expected.
    public static func load(
        environment: [String: String] = ProcessInfo.processInfo.environment,
        dotEnvFile: URL? = URL(fileURLWithPath: ".env")
    ) throws(SettingsError) -> Settings {
        var variables = dotEnvFile.flatMap(DotEnv.read) ?? [:]
        variables.merge(environment) { _, fromEnvironment in fromEnvironment }
        func value(_ name: String) -> String? {
            guard let value = variables[name]?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
            return value
        }
        let database = try DatabaseLocation(parsing: value("DATELINE_DATABASE_URL") ?? defaultDatabasePath)
        var settings = Settings(database: database)
        if let base = value("DATELINE_BASE_URL") {
            settings.baseURL = try parseBaseURL(base)
        }
        if let name = value("DATELINE_SITE_NAME") { settings.siteName = name }
        if let path = value("DATELINE_RESOURCES_DIR") { settings.resourcesDirectory = URL(fileURLWithPath: path) }
        if let path = value("DATELINE_PUBLIC_DIR") { settings.publicDirectory = URL(fileURLWithPath: path) }
        if let path = value("DATELINE_SAMPLES_DIR") { settings.samplesDirectory = URL(fileURLWithPath: path) }
        if let size = value("DATELINE_PAGE_SIZE") {
            guard let number = Int(size), (1...100).contains(number) else {
                throw SettingsError(variable: "DATELINE_PAGE_SIZE", problem: "'\(size)' is not a whole number from 1 to 100")
            }
            settings.pageSize = number
        }
        if let folder = value("DATELINE_MAIL_DIR") { settings.mailDirectory = URL(fileURLWithPath: folder) }
        if let from = value("DATELINE_MAIL_FROM") {
            guard case .success = MailAddress.validate(MailAddress.bare(from)) else {
                throw SettingsError(variable: "DATELINE_MAIL_FROM", problem: "'\(from)' has no valid address; expected Name <newsroom@wire.example.org> or a bare address")
            }
            settings.mailFrom = from
        }
        if let url = value("DATELINE_SMTP_URL") {
            var smtp = try SMTPConfiguration(parsing: url, heloName: settings.baseURL.host ?? "localhost")
            if let file = value("DATELINE_SMTP_CA_FILE") {
                guard FileManager.default.isReadableFile(atPath: file) else {
                    throw SettingsError(variable: "DATELINE_SMTP_CA_FILE", problem: "cannot read '\(file)'; expected a PEM file of the certificates to trust")
                }
                smtp.trustedCertificatesFile = file
            }
            settings.smtp = smtp
        }
        if let count = value("DATELINE_SMTP_CONNECTIONS") {
            guard let number = Int(count), (1...200).contains(number) else {
                throw SettingsError(variable: "DATELINE_SMTP_CONNECTIONS", problem: "'\(count)' is not a number of connections from 1 to 200")
            }
            settings.smtpConnections = number
        }
        if let hour = value("DATELINE_DIGEST_HOUR") {
            guard let number = Int(hour), (0...23).contains(number) else {
                throw SettingsError(variable: "DATELINE_DIGEST_HOUR", problem: "'\(hour)' is not an hour from 0 to 23 (UTC)")
            }
            settings.digestHour = number
        }
        if let seconds = value("DATELINE_IDLE_TIMEOUT") {
            guard let number = Int(seconds), (1...3600).contains(number) else {
                throw SettingsError(variable: "DATELINE_IDLE_TIMEOUT", problem: "'\(seconds)' is not a number of seconds from 1 to 3600")
            }
            settings.connectionIdleTimeout = TimeInterval(number)
        }
        if let megabytes = value("DATELINE_PAGE_CACHE_MB") {
            guard let number = Int(megabytes), (0...65_536).contains(number) else {
                throw SettingsError(variable: "DATELINE_PAGE_CACHE_MB", problem: "'\(megabytes)' is not a number of megabytes from 0 (no cache) to 65536")
            }
            settings.pageCacheMegabytes = number
        }
        if let megabytes = value("DATELINE_MEDIA_MAX_MB") {
            // PostgreSQL's bytea holds at most 1 GB, and the upload and a copy are held at once.
            guard let number = Int(megabytes), (1...256).contains(number) else {
                throw SettingsError(variable: "DATELINE_MEDIA_MAX_MB", problem: "'\(megabytes)' is not a number of megabytes from 1 to 256")
            }
            settings.mediaMaxMegabytes = number
        }
        if let header = value("DATELINE_PAGE_CACHE_HEADER") {
            switch header.lowercased() {
            case "1", "true", "yes", "on": settings.pageCacheStatusHeader = true
            case "0", "false", "no", "off": settings.pageCacheStatusHeader = false
            default:
                throw SettingsError(variable: "DATELINE_PAGE_CACHE_HEADER", problem: "'\(header)' is neither on nor off; expected 1 or 0")
            }
        }
        if let hub = value("DATELINE_WEBSUB_HUB") {
            guard let url = URL(string: hub), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https", url.host != nil else {
                throw SettingsError(variable: "DATELINE_WEBSUB_HUB", problem: "'\(hub)' is not an absolute http or https address; expected the hub's publish endpoint, such as https://pubsubhubbub.appspot.com/")
            }
            settings.webSubHub = url
        }
        return settings
    }

    static func parseBaseURL(_ text: String) throws(SettingsError) -> URL {
        let trimmed = text.hasSuffix("/") ? String(text.dropLast()) : text
        guard let url = URL(string: trimmed), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
              let host = url.host, !host.isEmpty, url.query == nil, url.fragment == nil
        else {
            throw SettingsError(
                variable: "DATELINE_BASE_URL",
                problem: "'\(text)' is not an absolute http or https address; expected the public address of the site, such as https://wire.example.org"
            )
        }
        return url
    }
}

/// Where Dateline keeps its data.
public enum DatabaseLocation: Sendable, Equatable {
    /// The embedded database: one SQLite file (created when missing), in WAL mode.
    case sqlite(path: String)
    /// A PostgreSQL server, given as a `postgres://user:password@host:port/database` URL.
    case postgres(url: String)

    /// Reads `DATELINE_DATABASE_URL`: a file path, a `sqlite://` URL (`sqlite:///abs/path` or
    /// `sqlite://relative/path`), or a `postgres://` / `postgresql://` URL.
    /// - Throws: ``SettingsError`` saying which forms are expected.
    public init(parsing text: String) throws(SettingsError) {
        let expected = "expected a file path (data/dateline.sqlite), a sqlite:// URL (sqlite:///var/lib/dateline/dateline.sqlite) or a postgres:// URL (postgres://user:password@localhost:5432/dateline)"
        func refuse(_ problem: String) -> SettingsError {
            SettingsError(variable: "DATELINE_DATABASE_URL", problem: "\(problem); \(expected)")
        }
        let lowered = text.lowercased()
        if lowered.hasPrefix("postgres://") || lowered.hasPrefix("postgresql://") {
            guard let components = URLComponents(string: text), let host = components.host, !host.isEmpty else {
                throw refuse("'\(Self.redacted(text))' is not a valid postgres URL (no host)")
            }
            let database = components.path.trimmingCharacters(in: CharacterSet(charactersIn: "/"))
            guard !database.isEmpty, !database.contains("/") else {
                throw refuse("'\(Self.redacted(text))' names no database after the host")
            }
            if components.port == nil, text.range(of: #"@[^/]*:[^0-9/]"#, options: .regularExpression) != nil {
                throw refuse("'\(Self.redacted(text))' has a port that is not a number")
            }
            self = .postgres(url: text)
        } else if lowered.hasPrefix("sqlite://") {
            let path = String(text.dropFirst("sqlite://".count))
            guard !path.isEmpty, path != "/" else { throw refuse("'\(text)' names no file") }
            self = .sqlite(path: path)
        } else if text.contains("://") || lowered.hasPrefix("postgres:") || lowered.hasPrefix("sqlite:") {
            throw refuse("'\(Self.redacted(text))' is not a supported database URL")
        } else {
            guard !text.hasSuffix("/") else { throw refuse("'\(text)' is a folder, not a file") }
            self = .sqlite(path: text)
        }
    }

    /// The URL with any password replaced by `***`, for messages and logs.
    static func redacted(_ text: String) -> String {
        if var components = URLComponents(string: text) {
            if components.password != nil { components.password = "***" }
            return components.string ?? "(unreadable URL)"
        }
        // Unparseable: everything between the scheme and the last "@" may be a secret.
        guard let scheme = text.range(of: "://"), let at = text.range(of: "@", options: .backwards), scheme.upperBound < at.lowerBound else {
            return text
        }
        return String(text[..<scheme.upperBound]) + "***" + String(text[at.lowerBound...])
    }
}

/// A setting that could not be used. The description names the variable, the problem and the
/// form that is expected, so an operator can fix it without reading the code.
public struct SettingsError: Error, CustomStringConvertible, Equatable {
    public var variable: String
    public var problem: String

    public var description: String { "\(variable): \(problem)." }
}

/// Reads `.env` files: `KEY=value` lines, `#` comments, optional single or double quotes.
enum DotEnv {
    static func read(_ file: URL) -> [String: String]? {
        guard let text = try? String(contentsOf: file, encoding: .utf8) else { return nil }
        var values: [String: String] = [:]
        for line in text.split(whereSeparator: \.isNewline) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard !trimmed.hasPrefix("#"), let equals = trimmed.firstIndex(of: "=") else { continue }
            var key = trimmed[..<equals].trimmingCharacters(in: .whitespaces)
            if key.hasPrefix("export ") { key = String(key.dropFirst(7)).trimmingCharacters(in: .whitespaces) }
            var value = trimmed[trimmed.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            if value.count >= 2, let first = value.first, first == "\"" || first == "'", value.last == first {
                value = String(value.dropFirst().dropLast())
            }
            values[key] = value
        }
        return values
    }
}
