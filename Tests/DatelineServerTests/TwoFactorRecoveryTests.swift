import DatelineCore
@testable import DatelineServer
import FluentKit
import Foundation
import Hummingbird
import HummingbirdOTP
import HummingbirdTesting
import Testing

/// Two-factor enrolment with a QR code, recovery codes, and a reset by an admin or the command
/// line, each recorded.
@Suite("Two-factor recovery")
struct TwoFactorRecoveryTests {
    let newsroom = NewsroomTests()

    @Test("The enrolment page's QR code decodes, with a real decoder (zbarimg), to the authenticator URL it shows")
    func qrCodeDecodes() throws {
        let text = "otpauth://totp/Dateline:ed%40wire.example?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=Dateline"
        let modules = try #require(QRCode.modules(text))
        // A grey-scale PGM (P5) image, 4 pixels per module and the 4-module quiet zone.
        let scale = 4, size = (modules.count + 8) * scale
        var pixels = [UInt8](repeating: 255, count: size * size)
        for (row, line) in modules.enumerated() {
            for (column, dark) in line.enumerated() where dark {
                for y in 0..<scale { for x in 0..<scale { pixels[((row + 4) * scale + y) * size + (column + 4) * scale + x] = 0 } }
            }
        }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("qr-\(UUID().uuidString).pgm")
        defer { try? FileManager.default.removeItem(at: file) }
        try (Data("P5\n\(size) \(size)\n255\n".utf8) + Data(pixels)).write(to: file)
        let decoder = Process()
        decoder.executableURL = URL(fileURLWithPath: "/usr/bin/zbarimg")
        decoder.arguments = ["--raw", "-q", file.path]
        let output = Pipe()
        decoder.standardOutput = output
        try decoder.run()
        decoder.waitUntilExit()
        let decoded = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(decoder.terminationStatus == 0)
        #expect(decoded == text)
        let svg = try #require(QRCode.svg(text, label: "QR code"))
        #expect(svg.hasPrefix("<svg") && svg.contains(#"viewBox="0 0 \#(modules.count + 8) \#(modules.count + 8)""#) && svg.contains(#"aria-label="QR code""#))
        #expect(QRCode.modules("") == nil)
    }

    @Test("Enrolment ends with ten codes shown once; a code signs in once in place of the six digits, typed any way; new codes replace the old")
    func recoveryCodes() async throws {
        try await newsroom.withNewsroom { client, hub, clock in
            // setup: the editor enrols, reading the QR code page and then the codes
            var jar = CookieJar()
            _ = try await signIn(client, email: "ed@wire.example", password: "correct horse battery", jar: &jar)
            let enrolPage = try await client.execute(uri: "/newsroom/two-factor", method: .get, headers: jar.header) { String(buffer: $0.body) }
            #expect(enrolPage.contains("<figure class=\"qr\"><svg"), "the key as a QR code")
            let secret = try #require(try await UserModel.query(on: hub.database).filter(\.$email == "ed@wire.example").first()?.totpSecret)
            let enrolled = try await post(client, "/newsroom/two-factor", ["code": String(format: "%06d", TOTP(secret: secret).compute(date: clock.now)), "_csrf": hiddenCSRF(enrolPage) ?? ""], jar: jar)
            #expect(enrolled.status == .ok)
            let codes = enrolled.body.matches(of: /<li><code>([0-9A-Z]{5}-[0-9A-Z]{5})<\/code><\/li>/).map { String($0.1) }
            #expect(codes.count == 10 && Set(codes).count == 10)
            let stored = try await RecoveryCodeModel.query(on: hub.database).all()
            #expect(stored.count == 10 && !stored.contains { codes.contains($0.codeHash) }, "only hashes are stored")

            func signInWith(_ code: String) async throws -> (status: HTTPResponse.Status, location: String?, jar: CookieJar) {
                var jar = CookieJar()
                _ = try await signIn(client, email: "ed@wire.example", password: "correct horse battery", jar: &jar)
                let page = try await client.execute(uri: "/newsroom/two-factor", method: .get, headers: jar.header) { String(buffer: $0.body) }
                var headers = formHeaders
                headers.append(contentsOf: jar.header)
                let answer = try await client.execute(uri: "/newsroom/two-factor", method: .post, headers: headers, body: formBody(["code": code, "_csrf": hiddenCSRF(page) ?? ""])) { ($0.status, $0.headers[.location], $0.headers) }
                jar.take(answer.2)
                return (answer.0, answer.1, jar)
            }

            // MUT: a recovery code typed in lower case with a space instead of the dash
            let typed = codes[3].lowercased().replacingOccurrences(of: "-", with: " ")
            let recovered = try await signInWith(typed)
            #expect(recovered.status == .seeOther && recovered.location == "/newsroom")
            let home = try await client.execute(uri: "/newsroom", method: .get, headers: recovered.jar.header) { String(buffer: $0.body) }
            #expect(home.contains("Recovery codes left: 9"))
            #expect(try await signInWith(codes[3]).status == .unauthorized, "a code works once")
            #expect(try await signInWith("ZZZZZ-ZZZZZ").status == .unauthorized)

            // New codes: the earlier ones stop working
            let renewed = try await post(client, "/newsroom/recovery-codes", ["_csrf": hiddenCSRF(home) ?? ""], jar: recovered.jar)
            #expect(renewed.status == .ok)
            let fresh = renewed.body.matches(of: /<li><code>([0-9A-Z]{5}-[0-9A-Z]{5})<\/code><\/li>/).map { String($0.1) }
            #expect(fresh.count == 10 && Set(fresh).isDisjoint(with: codes))
            #expect(try await signInWith(codes[4]).status == .unauthorized)
            #expect(try await signInWith(fresh[0]).status == .seeOther)
            let forged = try await post(client, "/newsroom/recovery-codes", ["_csrf": "not-the-token"], jar: recovered.jar)
            #expect(forged.status != .ok && !forged.body.contains("<li><code>"), "CSRF")
            let events = try await AccountEventModel.query(on: hub.database).all().map(\.kind)
            #expect(events == ["recovery-codes-issued", "recovery-codes-issued"])
        }
    }

    @Test("An admin, or the command line's Accounts.resetTwoFactor, resets a second factor: key and codes gone, every session ended, the reset recorded; others cannot")
    func reset() async throws {
        try await newsroom.withNewsroom { client, hub, clock in
            // setup: an admin, and the editor enrolled and signed in
            try await Accounts(hub: hub, bcryptCost: 4).createUser(email: "admin@wire.example", name: "Ada", role: .admin, password: "correct horse battery")
            let editor = try await signInFully(client, email: "ed@wire.example", hub: hub, clock: clock)
            let admin = try await signInFully(client, email: "admin@wire.example", hub: hub, clock: clock)
            #expect(try await client.execute(uri: "/newsroom", method: .get, headers: editor.header) { $0.status } == .ok)
            let adminPage = try await client.execute(uri: "/newsroom/admin", method: .get, headers: admin.header) { String(buffer: $0.body) }

            // MUT: a member tries, then the admin resets the editor's second factor
            let member = try await signInFully(client, email: "a@rivers.example", hub: hub, clock: clock)
            let refused = try await post(client, "/newsroom/admin/users/reset-two-factor", ["_csrf": try await csrfToken(client, jar: member), "email": "ed@wire.example"], jar: member)
            #expect(refused.status == .notFound)
            let unknown = try await post(client, "/newsroom/admin/users/reset-two-factor", ["_csrf": hiddenCSRF(adminPage) ?? "", "email": "nobody@wire.example"], jar: admin)
            #expect(unknown.status == .badRequest && unknown.body.contains("no user has the address"))
            let done = try await post(client, "/newsroom/admin/users/reset-two-factor", ["_csrf": hiddenCSRF(adminPage) ?? "", "email": "ED@wire.example"], jar: admin)
            #expect(done.status == .ok)

            // validation
            let user = try #require(try await UserModel.query(on: hub.database).filter(\.$email == "ed@wire.example").first())
            #expect(!user.totpEnabled && user.totpSecret == nil && user.totpLastStep == nil)
            #expect(try await RecoveryCodeModel.query(on: hub.database).filter(\.$user.$id == user.id!).count() == 0)
            #expect(try await client.execute(uri: "/newsroom", method: .get, headers: editor.header) { $0.headers[.location] } == "/newsroom/sign-in", "signed out everywhere")
            var again = CookieJar()
            #expect(try await signIn(client, email: "ed@wire.example", password: "correct horse battery", jar: &again).1 == "/newsroom/two-factor", "enrols again")
            let events = try await AccountEventModel.query(on: hub.database).filter(\.$kind == "two-factor-reset").all()
            #expect(events.map(\.actor) == ["admin@wire.example"])

            // The command line's way, recorded as the operator; an unknown address writes nothing.
            try await Accounts(hub: hub, bcryptCost: 4).resetTwoFactor(email: "admin@wire.example", actor: "cli:operator", at: clock.now)
            await #expect(throws: AccountError.unknownUser("nobody@wire.example")) {
                try await Accounts(hub: hub, bcryptCost: 4).resetTwoFactor(email: "nobody@wire.example", actor: "cli:operator")
            }
            #expect(try await AccountEventModel.query(on: hub.database).filter(\.$kind == "two-factor-reset").all().map(\.actor).sorted() == ["admin@wire.example", "cli:operator"])
        }
    }
}
