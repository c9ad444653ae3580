import DatelineCore
@testable import DatelineServer
import FluentKit
import Foundation
import Hummingbird
import HummingbirdOTP
import HummingbirdTesting
import Testing

/// A browser's cookie jar, enough for these tests: name → value from Set-Cookie headers.
struct CookieJar {
    var values: [String: String] = [:]

    mutating func take(_ headers: HTTPFields) {
        for line in headers[values: .setCookie] {
            let pair = line.split(separator: ";").first.map(String.init) ?? ""
            let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count >= 1 else { continue }
            let value = parts.count == 2 ? parts[1] : ""
            if value.isEmpty || line.contains("Max-Age=0") { values[parts[0]] = nil } else { values[parts[0]] = value }
        }
    }

    var header: HTTPFields {
        values.isEmpty ? [:] : [.cookie: values.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")]
    }
}

func hiddenCSRF(_ page: String) -> String? {
    guard let range = page.range(of: #"name="_csrf" value="([^"]+)""#, options: .regularExpression) else { return nil }
    return String(page[range]).replacingOccurrences(of: #"name="_csrf" value=""#, with: "").replacingOccurrences(of: "\"", with: "")
}

func formBody(_ fields: [String: String]) -> ByteBuffer {
    let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-._~"))
    return ByteBuffer(string: fields.map { "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: allowed)!)" }.joined(separator: "&"))
}

let formHeaders: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]

/// Signs in through the real form; returns the jar and the final response's status and location.
func signIn(_ client: any TestClientProtocol, email: String, password: String, jar: inout CookieJar) async throws -> (HTTPResponse.Status, String?) {
    let form = try await client.execute(uri: "/newsroom/sign-in", method: .get, headers: jar.header) { response in
        (String(buffer: response.body), response.headers)
    }
    jar.take(form.1)
    let csrf = try #require(hiddenCSRF(form.0))
    var headers = formHeaders
    headers.append(contentsOf: jar.header)
    let result = try await client.execute(uri: "/newsroom/sign-in", method: .post, headers: headers, body: formBody(["email": email, "password": password, "_csrf": csrf])) { response in
        (response.status, response.headers)
    }
    jar.take(result.1)
    return (result.0, result.1[.location])
}

@Suite("Accounts and sign-in")
struct AccountTests {
    func app(_ location: DatabaseLocation, clock: TestClock) async throws -> (some ApplicationProtocol, DatabaseHub) {
        let hub = try DatabaseHub(location: location, logger: quietLogger)
        try await hub.migrate()
        let app = try await buildApplication(settings: testSettings(location), runJobs: false, logger: quietLogger, clock: { clock.now })
        return (app, hub)
    }

    @Test("A member signs in with email and password; the session cookie is Secure, HttpOnly and SameSite, and lives in the database")
    func memberSignIn() async throws {
        let clock = TestClock()
        try await TestDatabase.withFresh { location in
            let (app, hub) = try await app(location, clock: clock)
            try await Accounts(hub: hub, bcryptCost: 4).createUser(email: "Member@Example.org", name: "Mia Member", role: .member, password: "correct horse battery")
            // A second instance on the same database, as with two `serve` processes.
            let other = try await buildApplication(settings: testSettings(location), runJobs: false, logger: quietLogger, clock: { clock.now })
            let jar = try await app.test(.router) { client -> CookieJar in
                var jar = CookieJar()
                let (status, location) = try await signIn(client, email: "member@example.org", password: "correct horse battery", jar: &jar)
                #expect(status == .seeOther)
                #expect(location == "/newsroom")
                return jar
            }
            let setCookie = jar.values["dateline_session"] ?? ""
            #expect(!setCookie.isEmpty)
            try await other.test(.router) { client in
                let home = try await client.execute(uri: "/newsroom", method: .get, headers: jar.header) { ($0.status, String(buffer: $0.body)) }
                #expect(home.0 == .ok, "the other instance knows the session")
                #expect(home.1.contains("Welcome, Mia Member"))
            }
            let stored = try await SessionModel.query(on: hub.database).all()
            #expect(stored.count == 1)
            #expect(stored.first?.tokenHash != setCookie, "only a hash of the token is stored")
            await hub.shutdown()
        }
    }

    @Test("The session cookie carries Secure, HttpOnly and SameSite=Lax")
    func cookieAttributes() async throws {
        let clock = TestClock()
        try await TestDatabase.withFresh { location in
            let (app, hub) = try await app(location, clock: clock)
            try await Accounts(hub: hub, bcryptCost: 4).createUser(email: "m@example.org", name: "M", role: .member, password: "correct horse battery")
            try await app.test(.router) { client in
                var jar = CookieJar()
                let form = try await client.execute(uri: "/newsroom/sign-in", method: .get) { (String(buffer: $0.body), $0.headers) }
                jar.take(form.1)
                var headers = formHeaders
                headers.append(contentsOf: jar.header)
                let cookie = try await client.execute(uri: "/newsroom/sign-in", method: .post, headers: headers, body: formBody(["email": "m@example.org", "password": "correct horse battery", "_csrf": hiddenCSRF(form.0)!])) {
                    $0.headers[values: .setCookie].first { $0.hasPrefix("dateline_session=") }
                }
                let attributes = try #require(cookie)
                #expect(attributes.contains("HttpOnly"))
                #expect(attributes.contains("Secure"))
                #expect(attributes.contains("SameSite=Lax"))
            }
            await hub.shutdown()
        }
    }

    @Test("Wrong passwords are refused with a message, and after five failures the address is throttled even with the right one")
    func throttling() async throws {
        let clock = TestClock()
        try await TestDatabase.withFresh { location in
            let (app, hub) = try await app(location, clock: clock)
            try await Accounts(hub: hub, bcryptCost: 4).createUser(email: "m@example.org", name: "M", role: .member, password: "correct horse battery")
            try await app.test(.router) { client in
                for _ in 1...5 {
                    var jar = CookieJar()
                    let (status, _) = try await signIn(client, email: "m@example.org", password: "wrong password here", jar: &jar)
                    #expect(status == .unauthorized)
                }
                var jar = CookieJar()
                let (status, _) = try await signIn(client, email: "m@example.org", password: "correct horse battery", jar: &jar)
                #expect(status == .tooManyRequests)
                #expect(jar.values["dateline_session"] == nil)
                clock.advance(by: SignIn.throttleWindow + 1)
                let (later, _) = try await signIn(client, email: "m@example.org", password: "correct horse battery", jar: &jar)
                #expect(later == .seeOther, "the throttle lifts after its window")
            }
            await hub.shutdown()
        }
    }

    @Test("Forms without their CSRF token are refused and change nothing")
    func csrf() async throws {
        let clock = TestClock()
        try await TestDatabase.withFresh { location in
            let (app, hub) = try await app(location, clock: clock)
            try await Accounts(hub: hub, bcryptCost: 4).createUser(email: "m@example.org", name: "M", role: .member, password: "correct horse battery")
            try await app.test(.router) { client in
                // Sign-in without the token (a cross-site form post).
                let forged = try await client.execute(uri: "/newsroom/sign-in", method: .post, headers: formHeaders, body: formBody(["email": "m@example.org", "password": "correct horse battery", "_csrf": "forged"])) { ($0.status, $0.headers[values: .setCookie]) }
                #expect(forged.0 == .forbidden)
                #expect(!forged.1.contains { $0.hasPrefix("dateline_session=") && !$0.hasPrefix("dateline_session=;") })

                var jar = CookieJar()
                _ = try await signIn(client, email: "m@example.org", password: "correct horse battery", jar: &jar)
                var headers = formHeaders
                headers.append(contentsOf: jar.header)
                let signOut = try await client.execute(uri: "/newsroom/sign-out", method: .post, headers: headers, body: formBody(["_csrf": "not-the-token"])) { $0.status }
                #expect(signOut == .forbidden)
                let stillIn = try await client.execute(uri: "/newsroom", method: .get, headers: jar.header) { $0.status }
                #expect(stillIn == .ok, "the forged sign-out changed nothing")

                // With the session's token, sign-out works and the session is gone.
                let home = try await client.execute(uri: "/newsroom", method: .get, headers: jar.header) { String(buffer: $0.body) }
                let token = try #require(hiddenCSRF(home))
                _ = try await client.execute(uri: "/newsroom/sign-out", method: .post, headers: headers, body: formBody(["_csrf": token])) { #expect($0.status == .seeOther) }
                let after = try await client.execute(uri: "/newsroom", method: .get, headers: jar.header) { ($0.status, $0.headers[.location]) }
                #expect(after.0 == .seeOther && after.1 == "/newsroom/sign-in")
            }
            #expect(try await SessionModel.query(on: hub.database).count() == 0)
            await hub.shutdown()
        }
    }

    @Test("Editors must set up and then use a TOTP second factor before the newsroom opens")
    func editorTwoFactor() async throws {
        let clock = TestClock()
        try await TestDatabase.withFresh { location in
            let (app, hub) = try await app(location, clock: clock)
            try await Accounts(hub: hub, bcryptCost: 4).createUser(email: "ed@example.org", name: "Ed Itor", role: .editor, password: "correct horse battery")
            try await app.test(.router) { client in
                var jar = CookieJar()
                let (_, location) = try await signIn(client, email: "ed@example.org", password: "correct horse battery", jar: &jar)
                #expect(location == "/newsroom/two-factor")
                let blocked = try await client.execute(uri: "/newsroom", method: .get, headers: jar.header) { $0.headers[.location] }
                #expect(blocked == "/newsroom/two-factor", "no newsroom on a password alone")
                let enrol = try await client.execute(uri: "/newsroom/two-factor", method: .get, headers: jar.header) { String(buffer: $0.body) }
                #expect(enrol.contains("authenticator app"))
                let csrf = try #require(hiddenCSRF(enrol))
                let secret = try #require(try await UserModel.query(on: hub.database).first()?.totpSecret)
                var headers = formHeaders
                headers.append(contentsOf: jar.header)
                let wrong = try await client.execute(uri: "/newsroom/two-factor", method: .post, headers: headers, body: formBody(["code": "000000", "_csrf": csrf])) { $0.status }
                #expect(wrong == .unauthorized)
                let code = String(format: "%06d", TOTP(secret: secret).compute(date: clock.now))
                let oldCookie = jar.values["dateline_session"]
                let right = try await client.execute(uri: "/newsroom/two-factor", method: .post, headers: headers, body: formBody(["code": code, "_csrf": csrf])) { ($0.status, String(buffer: $0.body), $0.headers) }
                #expect(right.0 == .ok && right.1.contains("Your recovery codes"), "enrolment ends with the recovery codes, shown once")
                #expect(right.1.matches(of: /<li><code>[0-9A-Z]{5}-[0-9A-Z]{5}<\/code><\/li>/).count == RecoveryCodes.count)
                jar.take(right.2)
                #expect(jar.values["dateline_session"] != oldCookie, "a new session token once both factors are given")
                let replay = try await client.execute(uri: "/newsroom", method: .get, headers: [.cookie: "dateline_session=\(oldCookie ?? "")"]) { $0.headers[.location] }
                #expect(replay == "/newsroom/sign-in", "the token from before the second factor no longer works")
                let home = try await client.execute(uri: "/newsroom", method: .get, headers: jar.header) { ($0.status, String(buffer: $0.body)) }
                #expect(home.0 == .ok)
                #expect(home.1.contains("Signed in as ed@example.org (editor)"))
            }
            #expect(try await UserModel.query(on: hub.database).first()?.totpEnabled == true)
            await hub.shutdown()
        }
    }

    @Test("Guessing TOTP codes ends the session after five wrong ones, and a code is accepted only once")
    func codeGuessing() async throws {
        let clock = TestClock()
        try await TestDatabase.withFresh { location in
            let (app, hub) = try await app(location, clock: clock)
            try await Accounts(hub: hub, bcryptCost: 4).createUser(email: "ed@example.org", name: "Ed", role: .editor, password: "correct horse battery")
            try await app.test(.router) { client in
                var jar = CookieJar()
                _ = try await signIn(client, email: "ed@example.org", password: "correct horse battery", jar: &jar)
                let page = try await client.execute(uri: "/newsroom/two-factor", method: .get, headers: jar.header) { String(buffer: $0.body) }
                let csrf = try #require(hiddenCSRF(page))
                var statuses: [HTTPResponse.Status] = []
                for guess in ["000001", "000002", "000003", "000004", "000005"] {
                    statuses.append(try await post(client, "/newsroom/two-factor", ["code": guess, "_csrf": csrf], jar: jar).status)
                }
                #expect(statuses.dropLast().allSatisfy { $0 == .unauthorized })
                #expect(statuses.last == .tooManyRequests)
                let secret = try #require(try await UserModel.query(on: hub.database).first()?.totpSecret)
                let code = String(format: "%06d", TOTP(secret: secret).compute(date: clock.now))
                let afterGuessing = try await post(client, "/newsroom/two-factor", ["code": code, "_csrf": csrf], jar: jar)
                #expect(afterGuessing.location == "/newsroom/sign-in", "the session is gone; even the right code does not help")

                // A fresh sign-in (after the throttle window) works once with the code; the same code is refused the second time.
                clock.advance(by: SignIn.throttleWindow + 1)
                var second = CookieJar()
                _ = try await signIn(client, email: "ed@example.org", password: "correct horse battery", jar: &second)
                let secondPage = try await client.execute(uri: "/newsroom/two-factor", method: .get, headers: second.header) { String(buffer: $0.body) }
                let fresh = String(format: "%06d", TOTP(secret: secret).compute(date: clock.now))
                #expect(try await post(client, "/newsroom/two-factor", ["code": fresh, "_csrf": hiddenCSRF(secondPage) ?? ""], jar: second).status == .ok, "enrolment ends with the recovery codes")
                var third = CookieJar()
                _ = try await signIn(client, email: "ed@example.org", password: "correct horse battery", jar: &third)
                let thirdPage = try await client.execute(uri: "/newsroom/two-factor", method: .get, headers: third.header) { String(buffer: $0.body) }
                #expect(try await post(client, "/newsroom/two-factor", ["code": fresh, "_csrf": hiddenCSRF(thirdPage) ?? ""], jar: third).status == .unauthorized, "a code works once")
            }
            await hub.shutdown()
        }
    }

    @Test("Accounts refuse bad email addresses, short and overlong passwords, taken addresses and unknown organizations")
    func accountValidation() async throws {
        try await TestDatabase.withFresh { location in
            let hub = try DatabaseHub(location: location, logger: quietLogger)
            try await hub.migrate()
            let accounts = Accounts(hub: hub, bcryptCost: 4)
            await #expect(throws: AccountError.invalidEmail("not-an-address")) { try await accounts.createUser(email: "not-an-address", name: "X", role: .member, password: "correct horse battery") }
            await #expect(throws: AccountError.weakPassword) { try await accounts.createUser(email: "a@example.org", name: "X", role: .member, password: "short") }
            await #expect(throws: AccountError.longPassword) { try await accounts.createUser(email: "a@example.org", name: "X", role: .member, password: String(repeating: "é", count: 40)) }
            await #expect(throws: AccountError.unknownOrganization("Nobody Inc")) { try await accounts.createUser(email: "a@example.org", name: "X", role: .member, password: "correct horse battery", organizations: ["Nobody Inc"]) }
            #expect(try await UserModel.query(on: hub.database).count() == 0, "nothing written by a refused account")
            try await accounts.createUser(email: "a@example.org", name: "X", role: .member, password: "correct horse battery")
            await #expect(throws: AccountError.emailTaken("a@example.org")) { try await accounts.createUser(email: "A@example.org", name: "Y", role: .member, password: "correct horse battery") }
            await hub.shutdown()
        }
    }
}
