@testable import DatelineServer
import Foundation
import NIOCore
import Testing

/// The SMTP client and the message composer against a real server (aiosmtpd), read back with
/// Python's email package.
@Suite("SMTP client (aiosmtpd)", .timeLimit(.minutes(2)))
struct SMTPClientTests {
    let composer = MailComposer(from: "Dateline Wire <newsroom@wire.example.org>", messageIDDomain: "wire.example.org")

    func send(_ message: MailMessage, _ configuration: SMTPConfiguration) async throws {
        try await TransportMailer(transport: SMTPTransport(configuration: configuration), composer: composer).send(message)
    }

    @Test("Plain text, HTML, a Persian subject and body, and lines that start with a dot arrive intact (a server without PIPELINING)")
    func composedMessage() async throws {
        let server = try SMTPTestServer(pipelining: false)
        defer { server.stop(); server.removeFolder() }
        let text = ".a line that starts with a dot\n..two dots\n.\nتهران — متن فارسی\nEnd."
        try await send(MailMessage(to: "reader@example.org", subject: "گزارش سالانه: آزادی زندانیان سیاسی در ایران و بسیاری دیگر از زندانیان که باید آزاد شوند", text: text, html: "<p dir=\"rtl\">متن فارسی</p>"), try server.configuration())
        let message = try #require(try server.messages().first)
        #expect(message.subject == "گزارش سالانه: آزادی زندانیان سیاسی در ایران و بسیاری دیگر از زندانیان که باید آزاد شوند")
        #expect(message.rawSubject.hasPrefix("=?UTF-8?B?") && message.rawSubject.count > 75, "long subjects are split into several encoded words")
        #expect(message.text.replacingOccurrences(of: "\r\n", with: "\n").hasPrefix(text))
        #expect(message.html.contains("<p dir=\"rtl\">متن فارسی</p>"))
        #expect(message.from == "Dateline Wire <newsroom@wire.example.org>")
        #expect(message.messageID.hasSuffix("@wire.example.org>"))
        #expect(message.isSevenBit && message.dateParses && message.defects.isEmpty)
    }

    @Test("Raw DATA with dot lines is dot-stuffed on the wire and arrives as written")
    func dotStuffing() async throws {
        let server = try SMTPTestServer()
        defer { server.stop(); server.removeFolder() }
        let raw = "From: a@example.org\r\nTo: b@example.org\r\nSubject: dots\r\n\r\n.\r\n..\r\n.x\r\nlast"
        let connection = try await SMTPConnection.open(try server.configuration())
        try await connection.send(from: "a@example.org", to: ["b@example.org"], message: ByteBuffer(string: raw))
        // The connection is reused for a second message.
        try await connection.send(from: "a@example.org", to: ["c@example.org"], message: ByteBuffer(string: raw))
        await connection.close()
        let files = try FileManager.default.contentsOfDirectory(atPath: server.folder.path).filter { $0.hasSuffix(".eml") }.sorted()
        #expect(files.count == 2)
        let stored = try String(contentsOf: server.folder.appendingPathComponent(files[0]), encoding: .utf8)
        #expect(stored.hasSuffix("\r\n\r\n.\r\n..\r\n.x\r\nlast\r\n"), "\(stored.debugDescription)")
    }

    @Test("The final \".\" goes out only when the record made right before it says so, on the connection's own thread")
    func finishAfterRecord() async throws {
        let server = try SMTPTestServer()
        defer { server.stop(); server.removeFolder() }
        let raw = ByteBuffer(string: "From: a@example.org\r\nTo: b@example.org\r\nSubject: gated\r\n\r\nText.\r\n")
        struct RecordFailed: Error {}

        // MUT: a record that refuses, one that fails, one that allows
        let refused = try await SMTPConnection.open(try server.configuration())
        try await refused.begin(from: "a@example.org", to: ["declined@example.org"], message: raw)
        let refusedLoop = refused.eventLoop
        let sentAfterRefusal = try await refused.finish(recording: { refusedLoop.inEventLoop && false })
        await refused.close()

        let failing = try await SMTPConnection.open(try server.configuration())
        try await failing.begin(from: "a@example.org", to: ["failed@example.org"], message: raw)
        await #expect(throws: RecordFailed.self) { try await failing.finish(recording: { throw RecordFailed() }) }
        await failing.close()

        let allowed = try await SMTPConnection.open(try server.configuration())
        try await allowed.begin(from: "a@example.org", to: ["allowed@example.org"], message: raw)
        let allowedLoop = allowed.eventLoop
        let sent = try await allowed.finish(recording: { allowedLoop.inEventLoop })
        await allowed.close()

        // validation
        #expect(!sentAfterRefusal)
        #expect(sent, "the record ran on the connection's loop and allowed the message")
        #expect(try server.messages().map(\.envelopeTo) == ["allowed@example.org"])
    }

    @Test("AUTH with the right password works (PLAIN over STARTTLS with a private CA); a wrong one is a permanent refusal")
    func authenticationAndStartTLS() async throws {
        let certificate = try makeLocalhostCertificate()
        let server = try SMTPTestServer(auth: "wire:s3cret pass", tls: certificate)
        defer { server.stop(); server.removeFolder() }
        var good = try server.configuration("smtp+starttls://wire:s3cret%20pass@localhost:\(server.port)")
        good.trustedCertificatesFile = certificate.certificate
        try await send(MailMessage(to: "reader@example.org", subject: "Over TLS", text: "Hello"), good)
        #expect(try server.messages().map(\.subject) == ["Over TLS"])

        var wrong = good
        wrong.password = "guess"
        await #expect(throws: SMTPError.self) { try await send(MailMessage(to: "reader@example.org", subject: "No", text: "No"), wrong) }
        do {
            try await send(MailMessage(to: "reader@example.org", subject: "No", text: "No"), wrong)
        } catch let error as SMTPError {
            #expect(!error.isTransient, "a wrong password is not retried: \(error)")
        }
        // Without the private CA, the server's certificate is not trusted.
        var untrusted = good
        untrusted.trustedCertificatesFile = nil
        await #expect(throws: (any Error).self) { try await send(MailMessage(to: "reader@example.org", subject: "No", text: "No"), untrusted) }
        #expect(try server.messages().count == 1)
    }

    @Test("AUTH LOGIN when the server offers only LOGIN (over STARTTLS); a wrong password is a permanent refusal")
    func authenticationByLogin() async throws {
        let certificate = try makeLocalhostCertificate()
        let server = try SMTPTestServer(auth: "wire:s3cret", authMechanisms: "LOGIN", tls: certificate)
        defer { server.stop(); server.removeFolder() }
        var good = try server.configuration("smtp+starttls://wire:s3cret@localhost:\(server.port)")
        good.trustedCertificatesFile = certificate.certificate
        try await send(MailMessage(to: "reader@example.org", subject: "By LOGIN", text: "Hello"), good)
        var wrong = good
        wrong.password = "guess"
        do {
            try await send(MailMessage(to: "reader@example.org", subject: "No", text: "No"), wrong)
            Issue.record("a wrong password was accepted")
        } catch let error as SMTPError {
            #expect(!error.isTransient, "\(error)")
        }
        #expect(try server.messages().map(\.subject) == ["By LOGIN"])
    }

    @Test("With PIPELINING the envelope and DATA go as one group; a refused recipient is a permanent error and the connection carries the next message")
    func pipelining() async throws {
        let server = try SMTPTestServer()
        defer { server.stop(); server.removeFolder() }
        let connection = try await SMTPConnection.open(try server.configuration())
        #expect(connection.extensions.contains("PIPELINING"))
        func message(_ subject: String) -> ByteBuffer {
            ByteBuffer(string: "From: a@example.org\r\nTo: b@example.org\r\nSubject: \(subject)\r\n\r\n.leading dot\r\nbody")
        }
        try await connection.send(from: "a@example.org", to: ["b@example.org"], message: message("first"))
        do {
            try await connection.send(from: "a@example.org", to: ["refused@example.org"], message: message("refused"))
            Issue.record("a refused recipient was accepted")
        } catch let error as SMTPError {
            #expect(!error.isTransient, "\(error)")
        }
        try await connection.send(from: "a@example.org", to: ["c@example.org"], message: message("third"))
        await connection.close()
        let received = try server.messages()
        #expect(received.map(\.subject) == ["first", "third"])
        #expect(received.map(\.envelopeTo) == ["b@example.org", "c@example.org"])
    }

    @Test("The next message's envelope goes out with the final \".\" (RFC 2920 §3.1): its refusal is reported at its own turn, and a different next message is refused without sending anything")
    func envelopeAhead() async throws {
        let server = try SMTPTestServer()
        defer { server.stop(); server.removeFolder() }
        let connection = try await SMTPConnection.open(try server.configuration())
        func message(_ subject: String) -> ByteBuffer {
            ByteBuffer(string: "From: a@example.org\r\nTo: b@example.org\r\nSubject: \(subject)\r\n\r\nbody")
        }
        func send(_ subject: String, to recipient: String, then next: String?) async throws -> Bool {
            try await connection.send(from: "a@example.org", to: [recipient], message: message(subject), then: next.map { [$0] }, recording: { true })
        }

        // MUT: a run of messages, each announcing the next
        let first = try await send("first", to: "b@example.org", then: "c@example.org")
        let second = try await send("second", to: "c@example.org", then: "refused@example.org")
        var refusal: SMTPError?
        do {
            _ = try await send("refused", to: "refused@example.org", then: nil)
        } catch let error as SMTPError {
            refusal = error
        }
        let fourth = try await send("fourth", to: "d@example.org", then: "e@example.org")
        var mismatch: (any Error)?
        do {
            _ = try await send("not announced", to: "x@example.org", then: nil)
        } catch {
            mismatch = error
        }
        await connection.close()

        // validation
        #expect(first && second && fourth)
        #expect(refusal.map { !$0.isTransient } == true, "the announced recipient's refusal comes when its message is sent: \(String(describing: refusal))")
        #expect(mismatch is SMTPError, "a message other than the one announced is refused: \(String(describing: mismatch))")
        let received = try server.messages()
        #expect(received.map(\.subject) == ["first", "second", "fourth"])
        #expect(received.map(\.envelopeTo) == ["b@example.org", "c@example.org", "d@example.org"], "nothing reached e@ or x@")
    }

    @Test("A password is never sent in clear to another machine")
    func noPlainPasswordRemotely() async throws {
        var configuration = try SMTPConfiguration(parsing: "smtp://user:pw@192.0.2.1:25", heloName: "wire.example.org")
        #expect(!configuration.isLoopback)
        configuration.host = "127.0.0.1"
        #expect(configuration.isLoopback)
    }

    @Test("DATELINE_SMTP_URL: schemes, default ports, credentials; bad values say what is expected")
    func configuration() throws {
        let plain = try SMTPConfiguration(parsing: "smtp://mail.example.org", heloName: "h")
        #expect(plain.port == 25 && plain.security == .opportunistic && plain.username == nil)
        let submission = try SMTPConfiguration(parsing: "smtp+starttls://user%40example.org:p%3Ass@mail.example.org", heloName: "h")
        #expect(submission.port == 587 && submission.security == .startTLS && submission.username == "user@example.org" && submission.password == "p:ss")
        #expect(try SMTPConfiguration(parsing: "smtps://mail.example.org", heloName: "h").port == 465)
        #expect(throws: SettingsError.self) { try SMTPConfiguration(parsing: "http://mail.example.org", heloName: "h") }
        #expect(throws: SettingsError.self) { try SMTPConfiguration(parsing: "smtp://", heloName: "h") }
        do {
            _ = try Settings.load(environment: ["DATELINE_SMTP_URL": "ftp://user:secret@x"], dotEnvFile: nil)
            Issue.record("accepted")
        } catch {
            #expect(error.description.contains("smtp+starttls://") && !error.description.contains("secret"))
        }
    }

    @Test("Addresses: what people type is accepted in one canonical form; the rest is refused with a reason")
    func addresses() throws {
        #expect(try MailAddress.validate("  Jane.Doe+news@Example.ORG ").get() == "jane.doe+news@example.org")
        for bad in ["", "jane", "jane@", "@example.org", "ja ne@example.org", "jane@example", "jane@-example.org", "jane..doe@example.org", "jané@example.org", String(repeating: "a", count: 65) + "@example.org"] {
            #expect((try? MailAddress.validate(bad).get()) == nil, "\(bad)")
        }
    }
}
