import DatelineCore
@testable import DatelineServer
import FluentKit
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("Password reset")
struct PasswordResetTests {
    /// Requests a reset through the form; returns the status.
    func requestReset(_ client: any TestClientProtocol, email: String) async throws -> HTTPResponse.Status {
        var jar = CookieJar()
        let form = try await client.execute(uri: "/newsroom/forgot-password", method: .get) { (String(buffer: $0.body), $0.headers) }
        jar.take(form.1)
        return try await post(client, "/newsroom/forgot-password", ["email": email, "_csrf": hiddenCSRF(form.0) ?? ""], jar: jar).status
    }

    /// The development mailer's messages as a mail program reads them: headers, then the text.
    func mails(_ folder: URL) throws -> [String] {
        try readMail(in: folder).map { "To: \($0.to)\nSubject: \($0.subject)\n\n\($0.text)" }
    }

    @Test("An emailed link sets a new password once, within an hour, and ends every session; unknown addresses learn nothing")
    func reset() async throws {
        let clock = TestClock()
        try await TestDatabase.withFresh { location in
            // setup
            let settings = testSettings(location)
            defer { try? FileManager.default.removeItem(at: settings.mailDirectory) }
            let hub = try DatabaseHub(location: location, logger: quietLogger)
            try await hub.migrate()
            try await Accounts(hub: hub, bcryptCost: 4).createUser(email: "m@example.org", name: "Mia", role: .member, password: "correct horse battery")
            let app = try await buildApplication(settings: settings, runJobs: false, logger: quietLogger, clock: { clock.now })

            try await app.test(.router) { client in
                var old = CookieJar()
                _ = try await signIn(client, email: "m@example.org", password: "correct horse battery", jar: &old)

                // MUT: an unknown address and a real one
                #expect(try await requestReset(client, email: "nobody@example.org") == .ok)
                #expect(try await mails(settings.mailDirectory).isEmpty, "no mail for an unknown address")
                #expect(try await requestReset(client, email: "M@example.org") == .ok)
                let mail = try #require(try mails(settings.mailDirectory).first)
                #expect(mail.contains("To: m@example.org"))
                #expect(mail.contains("Subject: Reset your Dateline password"))
                let link = try #require(mail.range(of: #"https://wire\.example\.org/newsroom/reset-password/[A-Za-z0-9_-]+"#, options: .regularExpression).map { String(mail[$0]) })
                let path = String(link.dropFirst("https://wire.example.org".count))

                var jar = CookieJar()
                let form = try await client.execute(uri: path, method: .get) { (String(buffer: $0.body), $0.headers) }
                jar.take(form.1)
                let weak = try await post(client, path, ["password": "short", "_csrf": hiddenCSRF(form.0) ?? ""], jar: jar)
                #expect(weak.status == .badRequest)
                let again = try await client.execute(uri: path, method: .get) { (String(buffer: $0.body), $0.headers) }
                jar.take(again.1)
                let changed = try await post(client, path, ["password": "a new long passphrase", "_csrf": hiddenCSRF(again.0) ?? ""], jar: jar)
                #expect(changed.status == .ok)
                #expect(changed.body.contains("Your password is changed"))

                // validation
                #expect(try await client.execute(uri: "/newsroom", method: .get, headers: old.header) { $0.headers[.location] } == "/newsroom/sign-in", "old sessions ended")
                var fresh = CookieJar()
                #expect(try await signIn(client, email: "m@example.org", password: "correct horse battery", jar: &fresh).0 == .unauthorized)
                #expect(try await signIn(client, email: "m@example.org", password: "a new long passphrase", jar: &fresh).0 == .seeOther)
                #expect(try await client.execute(uri: path, method: .get) { $0.status } == .notFound, "single use")

                // A second link expires after an hour.
                #expect(try await requestReset(client, email: "m@example.org") == .ok)
                let second = try #require(try mails(settings.mailDirectory).last)
                let secondPath = try #require(second.range(of: #"/newsroom/reset-password/[A-Za-z0-9_-]+"#, options: .regularExpression).map { String(second[$0]) })
                clock.advance(by: PasswordResetController.lifetime + 1)
                #expect(try await client.execute(uri: secondPath, method: .get) { $0.status } == .notFound)
            }
            await hub.shutdown()
        }
    }
}
