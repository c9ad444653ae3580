import Crypto
import DatelineCore
import FluentKit
import Foundation
import HummingbirdBcrypt
import HummingbirdOTP

/// Signing in: password check with throttling, sessions stored in the database, and the TOTP
/// second factor (RFC 6238, HummingbirdOTP).
///
/// Sessions are our own rather than hummingbird-auth's SessionMiddleware: we store only a hash
/// of each session token and bind a CSRF token and the second-factor state to the session row,
/// which a key-value persist driver does not offer.
struct SignIn: Sendable {
    let hub: DatabaseHub
    let clock: @Sendable () -> Date

    /// How long a session lasts without signing in again.
    static let sessionLifetime: TimeInterval = 12 * 3600
    /// Failed attempts allowed per email address, and per client address, within ``throttleWindow``.
    static let failuresPerEmail = 5
    static let failuresPerClient = 20
    static let throttleWindow: TimeInterval = 15 * 60
    /// How long a session that has passed the password but not yet the second factor lasts.
    static let pendingSecondFactorLifetime: TimeInterval = 10 * 60
    /// Wrong codes one session may give before it is ended.
    static let codeFailuresPerSession = 5

    enum Outcome {
        case signedIn(token: String, needsSecondFactor: Bool)
        case refused
        case throttled
    }

    /// A bcrypt hash of nothing anyone can type, checked when the email is unknown so that a
    /// wrong address takes as long as a wrong password and reveals nothing.
    private static let decoyHash = Bcrypt.hash(UUID().uuidString + UUID().uuidString, cost: 12)

    func attempt(email rawEmail: String, password: String, client: String) async throws -> Outcome {
        let email = rawEmail.trimmingCharacters(in: .whitespaces).lowercased()
        let now = clock()
        let database = try hub.database
        // The attempt is written as a failure before it is judged, so that a burst of parallel
        // guesses counts every one of them.
        let attempt = try await record(email: email, client: client, succeeded: false, at: now)
        if try await isThrottled(email: email, client: client, at: now, counting: attempt) {
            return .throttled
        }
        let user = try await UserModel.query(on: database).filter(\.$email == email).first()
        let verified = Bcrypt.verify(password, hash: user?.passwordHash ?? Self.decoyHash) && user != nil
        guard verified, let user else { return .refused }
        attempt.succeeded = true
        try await attempt.save(on: database)
        let needsSecondFactor = user.totpEnabled || user.userRole.requiresTwoFactor
        let token = try await createSession(for: user, secondFactorPassed: !needsSecondFactor, at: now)
        return .signedIn(token: token, needsSecondFactor: needsSecondFactor)
    }

    /// Whether the failures for this address or client within the window (the one just written
    /// included) exceed the allowance.
    func isThrottled(email: String, client: String, at now: Date, counting attempt: SignInAttemptModel) async throws -> Bool {
        let database = try hub.database
        let since = now.addingTimeInterval(-Self.throttleWindow)
        let forEmail = try await SignInAttemptModel.query(on: database)
            .filter(\.$email == email).filter(\.$succeeded == false).filter(\.$at >= since).count()
        let fromClient = try await SignInAttemptModel.query(on: database)
            .filter(\.$client == client).filter(\.$succeeded == false).filter(\.$at >= since).count()
        return forEmail > Self.failuresPerEmail || fromClient > Self.failuresPerClient
    }

    @discardableResult
    func record(email: String, client: String, succeeded: Bool, at now: Date) async throws -> SignInAttemptModel {
        let attempt = SignInAttemptModel()
        attempt.email = email
        attempt.client = client
        attempt.succeeded = succeeded
        attempt.at = now
        try await attempt.create(on: hub.database)
        return attempt
    }

    private func createSession(for user: UserModel, secondFactorPassed: Bool, at now: Date) async throws -> String {
        let token = Self.randomToken()
        let session = SessionModel()
        session.tokenHash = Self.hash(token)
        session.$user.id = try user.requireID()
        session.csrfToken = Self.randomToken()
        session.secondFactorPassed = secondFactorPassed
        session.createdAt = now
        session.expiresAt = now.addingTimeInterval(secondFactorPassed ? Self.sessionLifetime : Self.pendingSecondFactorLifetime)
        try await session.create(on: hub.database)
        return token
    }

    /// The unexpired session for a cookie's token, with its user.
    func session(token: String) async throws -> SessionModel? {
        try await SessionModel.query(on: hub.database)
            .filter(\.$tokenHash == Self.hash(token))
            .filter(\.$expiresAt > clock())
            .with(\.$user)
            .first()
    }

    func signOut(_ session: SessionModel) async throws {
        try await session.delete(on: hub.database)
    }

    /// Checks a TOTP code against the user's key, one 30-second step either side for clock drift.
    /// - Returns: the time step the code belongs to, or `nil` when it matches none, or when it is
    ///   not later than `after` (a code is accepted once).
    static func acceptedStep(_ code: String, secret: String, at now: Date, after lastStep: Int64?) -> Int64? {
        let digits = code.filter(\.isNumber)
        guard digits.count == 6, let value = Int(digits) else { return nil }
        let totp = TOTP(secret: secret)
        for offset in [-30.0, 0, 30] {
            let moment = now.addingTimeInterval(offset)
            let step = Int64(moment.timeIntervalSince1970 / 30)
            if totp.compute(date: moment) == value, step > (lastStep ?? .min) { return step }
        }
        return nil
    }

    /// A new TOTP key: 20 random characters, as HummingbirdOTP takes the key's bytes from a string.
    static func newTOTPSecret() -> String {
        let alphabet = Array("ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789")
        var generator = SystemRandomNumberGenerator()
        return String((0..<20).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] })
    }

    /// 256 random bits, base64url (RFC 4648 §5).
    static func randomToken() -> String { EmbargoLinks.newToken() }

    static func hash(_ token: String) -> String { EmbargoLinks.hash(token) }

    /// Compares two secrets in time that does not depend on where they differ.
    static func constantTimeEquals(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        return zip(x, y).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
