@testable import DatelineServer
import FluentKit
import Foundation
import Hummingbird
import HummingbirdOTP
import HummingbirdTesting
import Testing

/// Wrong passwords from strangers lock only new devices, so nobody can lock the owner out.
@Suite("Sign-in lockout spares known devices", .timeLimit(.minutes(3)))
struct KnownDeviceLockoutTests {
    func app(_ location: DatabaseLocation, clock: TestClock) async throws -> (some ApplicationProtocol, DatabaseHub) {
        let hub = try DatabaseHub(location: location, logger: quietLogger)
        try await hub.migrate()
        let app = try await buildApplication(settings: testSettings(location), runJobs: false, logger: quietLogger, clock: { clock.now })
        return (app, hub)
    }

    @Test("Wrong passwords from strangers lock only new devices: the owner still signs in from a known device, the stranger's guesses stay limited")
    func lockoutSparesKnownDevices() async throws {
        let clock = TestClock()
        try await TestDatabase.withFresh { location in
            let (app, hub) = try await app(location, clock: clock)
            try await Accounts(hub: hub, bcryptCost: 4).createUser(email: "m@example.org", name: "M", role: .member, password: "correct horse battery")
            try await app.test(.router) { client in
                // The owner has signed in on this browser before: it is a known device.
                var owner = CookieJar()
                #expect(try await signIn(client, email: "m@example.org", password: "correct horse battery", jar: &owner).0 == .seeOther)
                #expect(owner.values["dateline_device"] != nil, "a successful sign-in marks the browser as a known device")
                owner.values["dateline_session"] = nil

                // A stranger tries ten passwords, each from a fresh browser.
                var strangerStatuses: [HTTPResponse.Status] = []
                for index in 0..<10 {
                    var stranger = CookieJar()
                    strangerStatuses.append(try await signIn(client, email: "m@example.org", password: "guess number \(index) here", jar: &stranger).0)
                }
                #expect(strangerStatuses.prefix(5).allSatisfy { $0 == .unauthorized })
                #expect(strangerStatuses.dropFirst(5).allSatisfy { $0 == .tooManyRequests }, "the stranger's guesses stay limited to five")
                var lucky = CookieJar()
                #expect(try await signIn(client, email: "m@example.org", password: "correct horse battery", jar: &lucky).0 == .tooManyRequests,
                        "a new device is refused even with the right password while the address is throttled")
                var forged = CookieJar()
                forged.values["dateline_device"] = SignIn.randomToken()
                #expect(try await signIn(client, email: "m@example.org", password: "correct horse battery", jar: &forged).0 == .tooManyRequests,
                        "a made-up device cookie is a new device")

                // MUT: the owner, on the known device, signs in at once.
                let (status, location) = try await signIn(client, email: "m@example.org", password: "correct horse battery", jar: &owner)
                #expect(status == .seeOther)
                #expect(location == "/newsroom")
                #expect(try await client.execute(uri: "/newsroom", method: .get, headers: owner.header) { $0.status } == .ok)

                // A known device has its own allowance: five wrong passwords from it lock it too.
                owner.values["dateline_session"] = nil
                for index in 0..<5 {
                    #expect(try await signIn(client, email: "m@example.org", password: "owner typo \(index) here", jar: &owner).0 == .unauthorized)
                }
                #expect(try await signIn(client, email: "m@example.org", password: "correct horse battery", jar: &owner).0 == .tooManyRequests)

                // After the window everyone may try again.
                clock.advance(by: SignIn.throttleWindow + 1)
                #expect(try await signIn(client, email: "m@example.org", password: "correct horse battery", jar: &owner).0 == .seeOther)
            }
            await hub.shutdown()
        }
    }

    @Test("An account with two factors becomes a known device only once the code is given")
    func knownDeviceAfterSecondFactor() async throws {
        let clock = TestClock()
        try await TestDatabase.withFresh { location in
            let (app, hub) = try await app(location, clock: clock)
            try await Accounts(hub: hub, bcryptCost: 4).createUser(email: "ed@example.org", name: "Ed", role: .editor, password: "correct horse battery")
            try await app.test(.router) { client in
                var jar = CookieJar()
                _ = try await signIn(client, email: "ed@example.org", password: "correct horse battery", jar: &jar)
                #expect(jar.values["dateline_device"] == nil, "a password alone does not make a known device")
                let page = try await client.execute(uri: "/newsroom/two-factor", method: .get, headers: jar.header) { String(buffer: $0.body) }
                let secret = try #require(try await UserModel.query(on: hub.database).first()?.totpSecret)
                let code = String(format: "%06d", TOTP(secret: secret).compute(date: clock.now))
                var headers = formHeaders
                headers.append(contentsOf: jar.header)
                let answer = try await client.execute(uri: "/newsroom/two-factor", method: .post, headers: headers, body: formBody(["code": code, "_csrf": hiddenCSRF(page) ?? ""])) { ($0.status, $0.headers) }
                #expect(answer.0 == .ok, "enrolment ends with the recovery codes page")
                jar.take(answer.1)
                #expect(jar.values["dateline_device"] != nil)
            }
            await hub.shutdown()
        }
    }
    @Test("A stranger who holds the address's new-device allowance down does not end the owner's two-factor step on a known device at the first mistyped code")
    func mistypedCodeOnKnownDevice() async throws {
        let clock = TestClock()
        try await TestDatabase.withFresh { location in
            let (app, hub) = try await app(location, clock: clock)
            try await Accounts(hub: hub, bcryptCost: 4).createUser(email: "ed@example.org", name: "Ed", role: .editor, password: "correct horse battery")
            try await app.test(.router) { client in
                func code(at date: Date) async throws -> String {
                    let secret = try #require(try await UserModel.query(on: hub.database).first()?.totpSecret)
                    return String(format: "%06d", TOTP(secret: secret).compute(date: date))
                }
                func postCode(_ value: String, jar: inout CookieJar) async throws -> HTTPResponse.Status {
                    let page = try await client.execute(uri: "/newsroom/two-factor", method: .get, headers: jar.header) { String(buffer: $0.body) }
                    var headers = formHeaders
                    headers.append(contentsOf: jar.header)
                    let answer = try await client.execute(uri: "/newsroom/two-factor", method: .post, headers: headers, body: formBody(["code": value, "_csrf": hiddenCSRF(page) ?? ""])) { ($0.status, $0.headers) }
                    jar.take(answer.1)
                    return answer.0
                }
                // The owner's browser becomes a known device.
                var owner = CookieJar()
                _ = try await signIn(client, email: "ed@example.org", password: "correct horse battery", jar: &owner)
                _ = try await client.execute(uri: "/newsroom/two-factor", method: .get, headers: owner.header) { $0.status }  // makes the key
                #expect(try await postCode(try await code(at: clock.now), jar: &owner) == .ok, "enrolment ends with the recovery codes page")
                #expect(owner.values["dateline_device"] != nil)
                owner.values["dateline_session"] = nil
                clock.advance(by: 60)

                // A stranger uses up the address's allowance for new devices.
                for index in 0..<6 {
                    var stranger = CookieJar()
                    _ = try await signIn(client, email: "ed@example.org", password: "guess number \(index) here", jar: &stranger)
                }

                // MUT: the owner, on the known device, mistypes the code once, then gives it.
                #expect(try await signIn(client, email: "ed@example.org", password: "correct horse battery", jar: &owner).0 == .seeOther)
                _ = try await postCode("000000", jar: &owner)
                #expect(try await postCode(try await code(at: clock.now), jar: &owner) == .seeOther, "the session survives one mistyped code")
                #expect(try await client.execute(uri: "/newsroom", method: .get, headers: owner.header) { $0.status } == .ok)
            }
            await hub.shutdown()
        }
    }
}
