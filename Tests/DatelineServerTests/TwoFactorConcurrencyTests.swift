@testable import DatelineServer
import FluentKit
import Foundation
import Hummingbird
import HummingbirdOTP
import HummingbirdTesting
import Testing

/// Guessing second-factor codes in parallel: the allowance holds however many posts arrive at once.
@Suite("Two-factor codes under concurrency", .timeLimit(.minutes(3)))
struct TwoFactorConcurrencyTests {
    func app(_ location: DatabaseLocation, clock: TestClock) async throws -> (some ApplicationProtocol, DatabaseHub) {
        let hub = try DatabaseHub(location: location, logger: quietLogger)
        try await hub.migrate()
        let app = try await buildApplication(settings: testSettings(location), runJobs: false, logger: quietLogger, clock: { clock.now })
        return (app, hub)
    }

    @Test("200 parallel wrong TOTP codes in one session: at most five are checked, then the session ends")
    func parallelCodeGuessing() async throws {
        let clock = TestClock()
        try await TestDatabase.withFresh { location in
            let (app, hub) = try await app(location, clock: clock)
            try await Accounts(hub: hub, bcryptCost: 4).createUser(email: "ed@example.org", name: "Ed", role: .editor, password: "correct horse battery")
            try await app.test(.router) { client in
                var jar = CookieJar()
                _ = try await signIn(client, email: "ed@example.org", password: "correct horse battery", jar: &jar)
                let page = try await client.execute(uri: "/newsroom/two-factor", method: .get, headers: jar.header) { String(buffer: $0.body) }
                let csrf = try #require(hiddenCSRF(page))
                let secret = try #require(try await UserModel.query(on: hub.database).first()?.totpSecret)
                let right = TOTP(secret: secret)
                let valid = Set([-30.0, 0, 30].map { String(format: "%06d", right.compute(date: clock.now.addingTimeInterval($0))) })
                let guesses = (0..<1000).map { String(format: "%06d", 100_000 + $0 * 7) }.filter { !valid.contains($0) }.prefix(200)
                let fixedJar = jar
                let statuses = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                    for guess in guesses {
                        group.addTask { try await post(client, "/newsroom/two-factor", ["code": guess, "_csrf": csrf], jar: fixedJar).status }
                    }
                    return try await group.reduce(into: [HTTPResponse.Status]()) { $0.append($1) }
                }
                #expect(statuses.count == 200)
                let checked = try await SignInAttemptModel.query(on: hub.database).filter(\.$email == "ed@example.org").filter(\.$succeeded == false).count()
                #expect(checked <= SignIn.codeFailuresPerSession, "codes checked: \(checked)")
                #expect(statuses.filter { $0 == .unauthorized }.count <= SignIn.codeFailuresPerSession - 1, "at most four 'not right' answers")
                #expect(statuses.contains(.tooManyRequests))
                #expect(statuses.allSatisfy { [.unauthorized, .tooManyRequests, .seeOther].contains($0) }, "\(Set(statuses.map(\.code)))")
                let afterwards = try await post(client, "/newsroom/two-factor", ["code": String(format: "%06d", right.compute(date: clock.now)), "_csrf": csrf], jar: jar)
                #expect(afterwards.location == "/newsroom/sign-in", "the session is over; the right code does not open it")
            }
            #expect(try await SessionModel.query(on: hub.database).count() == 0)
            await hub.shutdown()
        }
    }
}
