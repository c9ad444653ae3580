import DatelineServer
import Foundation
import Testing

@Suite("Settings")
struct SettingsTests {
    func load(_ environment: [String: String]) throws(SettingsError) -> Settings {
        try Settings.load(environment: environment, dotEnvFile: nil)
    }

    @Test("DATELINE_DATABASE_URL accepts a path, a sqlite:// URL and a postgres:// URL")
    func databaseForms() throws {
        #expect(try load([:]).database == .sqlite(path: "data/dateline.sqlite"))
        #expect(try load(["DATELINE_DATABASE_URL": "/var/lib/dateline/wire.sqlite"]).database == .sqlite(path: "/var/lib/dateline/wire.sqlite"))
        #expect(try load(["DATELINE_DATABASE_URL": "sqlite:///var/lib/dateline/wire.sqlite"]).database == .sqlite(path: "/var/lib/dateline/wire.sqlite"))
        #expect(try load(["DATELINE_DATABASE_URL": "sqlite://data/wire.sqlite"]).database == .sqlite(path: "data/wire.sqlite"))
        #expect(try load(["DATELINE_DATABASE_URL": "postgres://wire:secret@db.internal:5432/dateline"]).database == .postgres(url: "postgres://wire:secret@db.internal:5432/dateline"))
    }

    @Test("A malformed DATELINE_DATABASE_URL is refused with the forms that are expected", arguments: [
        "mysql://root@localhost/dateline",
        "postgres://",
        "postgres://localhost",
        "postgres://user:pw@localhost:port/db",
        "sqlite://",
        "data/",
    ])
    func malformedDatabaseURL(value: String) {
        #expect {
            _ = try load(["DATELINE_DATABASE_URL": value])
        } throws: { error in
            let message = String(describing: error)
            return message.hasPrefix("DATELINE_DATABASE_URL:") && message.contains("expected a file path")
                && message.contains("postgres://user:password@localhost:5432/dateline")
        }
    }

    @Test("Passwords never appear in the message", arguments: [
        "postgres://wire:hunter2@db.internal",
        "postgres://:hunter2@db.internal",
        "postgres://wire:hun@ter2@db.internal",
        "postgres://wire:hunter2@db.internal:port/x",
    ])
    func redactsPassword(url: String) {
        do {
            _ = try load(["DATELINE_DATABASE_URL": url])
            Issue.record("accepted \(url)")
        } catch {
            #expect(!error.description.contains("hunter2"))
            #expect(!error.description.contains("ter2"))
        }
    }

    @Test("DATELINE_BASE_URL must be an absolute http(s) address; a trailing slash is dropped")
    func baseURL() throws {
        #expect(try load(["DATELINE_BASE_URL": "https://wire.example.org/"]).baseURL.absoluteString == "https://wire.example.org")
        #expect(throws: SettingsError.self) { try load(["DATELINE_BASE_URL": "wire.example.org"]) }
        #expect(throws: SettingsError.self) { try load(["DATELINE_BASE_URL": "ftp://wire.example.org"]) }
    }

    @Test("DATELINE_SMTP_CONNECTIONS and DATELINE_DIGEST_HOUR take numbers in their range; others are refused with the range")
    func mailNumbers() throws {
        #expect(try load([:]).smtpConnections == 4)
        #expect(try load(["DATELINE_SMTP_CONNECTIONS": "4"]).smtpConnections == 4)
        #expect(try load(["DATELINE_DIGEST_HOUR": "23"]).digestHour == 23)
        for (variable, value) in [("DATELINE_SMTP_CONNECTIONS", "0"), ("DATELINE_SMTP_CONNECTIONS", "many"), ("DATELINE_DIGEST_HOUR", "24")] {
            let error = #expect(throws: SettingsError.self) { try load([variable: value]) }
            #expect(error.map { "\($0)" }?.contains(variable) == true, "\(String(describing: error))")
        }
    }

    @Test("The environment wins over the .env file")
    func dotEnv() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("dateline-\(UUID().uuidString).env")
        try "# comment\nDATELINE_SITE_NAME=\"From file\"\nDATELINE_DATABASE_URL=from-file.sqlite\n".write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let settings = try Settings.load(environment: ["DATELINE_DATABASE_URL": "env.sqlite"], dotEnvFile: file)
        #expect(settings.siteName == "From file")
        #expect(settings.database == .sqlite(path: "env.sqlite"))
    }
}
