import Crypto
import DatelineCore
import FluentKit
import Foundation
import HummingbirdBcrypt
import HummingbirdOTP
import SQLKit

/// Signing in: password check with throttling, sessions stored in the database, and the TOTP
/// second factor (RFC 6238, HummingbirdOTP).
///
/// Sessions are our own rather than hummingbird-auth's SessionMiddleware: we store only a hash
/// of each session token and bind a CSRF token and the second-factor state to the session row,
/// which a key-value persist driver does not offer.
///
/// Failed sign-ins lock the address for new devices only (OWASP's "device cookies"): a browser
/// where the user has signed in with every factor keeps a random token (``KnownDeviceModel``),
/// and attempts that carry it are counted per device instead of per address and client. A
/// stranger's wrong passwords therefore cannot lock the owner out of a browser they have used
/// before, while the stranger (who has no such token) still gets only
/// ``failuresPerEmail`` guesses per ``throttleWindow``.
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
    /// Codes one session may try (the attempt is counted before the code is checked); the
    /// session ends at the last wrong one.
    static let codeFailuresPerSession = 5
    /// How long a known device is remembered after its last sign-in.
    static let deviceLifetime: TimeInterval = 365 * 86400

    enum Outcome {
        /// `deviceToken`: a new known-device token for the `dateline_device` cookie, or nil when
        /// none is due (a second factor is still owed, or the browser is already known).
        case signedIn(token: String, needsSecondFactor: Bool, deviceToken: String?)
        case refused
        case throttled
    }

    enum CodeOutcome {
        /// Both factors passed: the session's new token, and a known-device token as in ``Outcome``.
        /// `recoveryCodes`: at the end of enrolment, the user's first recovery codes, to show once;
        /// `usedRecoveryCode`: the second factor was a recovery code.
        case accepted(token: String, deviceToken: String?, recoveryCodes: [String]? = nil, usedRecoveryCode: Bool = false)
        /// A wrong (or already used) code; the session may try again.
        case wrong
        /// The session's allowance is spent, or the address is throttled: the session is ended.
        case exhausted
    }

    /// A bcrypt hash of nothing anyone can type, checked when the email is unknown so that a
    /// wrong address takes as long as a wrong password and reveals nothing.
    private static let decoyHash = Bcrypt.hash(UUID().uuidString + UUID().uuidString, cost: 12)

    /// Judges a password sign-in.
    /// - Parameter deviceCookie: the `dateline_device` cookie's value, if the browser sent one.
    func attempt(email rawEmail: String, password: String, client: String, deviceCookie: String? = nil) async throws -> Outcome {
        let email = rawEmail.trimmingCharacters(in: .whitespaces).lowercased()
        let now = clock()
        let database = try hub.database
        let device = try await knownDevice(cookie: deviceCookie, email: email, at: now)
        // The attempt is written as a failure before it is judged, so that a burst of parallel
        // guesses counts every one of them.
        let attempt = try await record(email: email, client: client, device: device?.id, succeeded: false, at: now)
        if try await isThrottled(email: email, client: client, device: device?.id, at: now) {
            return .throttled
        }
        let user = try await UserModel.query(on: database).filter(\.$email == email).first()
        let verified = Bcrypt.verify(password, hash: user?.passwordHash ?? Self.decoyHash) && user != nil
        guard verified, let user else { return .refused }
        attempt.succeeded = true
        try await hub.write { try await attempt.save(on: $0) }
        let needsSecondFactor = user.totpEnabled || user.userRole.requiresTwoFactor
        let token = try await createSession(for: user, secondFactorPassed: !needsSecondFactor, at: now)
        let deviceToken = needsSecondFactor ? nil : try await rememberDevice(for: user, known: device, at: now)
        return .signedIn(token: token, needsSecondFactor: needsSecondFactor, deviceToken: deviceToken)
    }

    /// Whether the failures within the window (the one just written included) exceed the
    /// allowance: from a known device, that device's own failures; from a new device, the
    /// address's and the client's failures from new devices.
    func isThrottled(email: String, client: String, device: UUID?, at now: Date) async throws -> Bool {
        let database = try hub.database
        let since = now.addingTimeInterval(-Self.throttleWindow)
        if let device {
            let fromDevice = try await SignInAttemptModel.query(on: database)
                .filter(\.$deviceID == device).filter(\.$succeeded == false).filter(\.$at >= since).count()
            return fromDevice > Self.failuresPerEmail
        }
        let forEmail = try await SignInAttemptModel.query(on: database)
            .filter(\.$email == email).filter(\.$deviceID == nil).filter(\.$succeeded == false).filter(\.$at >= since).count()
        let fromClient = try await SignInAttemptModel.query(on: database)
            .filter(\.$client == client).filter(\.$deviceID == nil).filter(\.$succeeded == false).filter(\.$at >= since).count()
        return forEmail > Self.failuresPerEmail || fromClient > Self.failuresPerClient
    }

    @discardableResult
    func record(email: String, client: String, device: UUID? = nil, succeeded: Bool, at now: Date) async throws -> SignInAttemptModel {
        let attempt = SignInAttemptModel()
        attempt.email = email
        attempt.client = client
        attempt.deviceID = device
        attempt.succeeded = succeeded
        attempt.at = now
        try await hub.write { try await attempt.create(on: $0) }
        return attempt
    }

    /// The known device a cookie names, when it belongs to the account of `email` and was used
    /// within ``deviceLifetime``; nil for no cookie, a made-up one, or another account's.
    func knownDevice(cookie: String?, email: String, at now: Date) async throws -> KnownDeviceModel? {
        guard let cookie, !cookie.isEmpty, cookie.utf8.count < 100 else { return nil }
        guard let device = try await KnownDeviceModel.query(on: hub.database)
            .filter(\.$tokenHash == Self.hash(cookie))
            .filter(\.$lastUsedAt >= now.addingTimeInterval(-Self.deviceLifetime))
            .with(\.$user)
            .first(),
            device.user.email == email
        else { return nil }
        return device
    }

    /// Marks the browser as a known device of `user` after a sign-in with every factor.
    /// - Returns: a new token for the device cookie, or nil when `known` (the browser's device,
    ///   already this user's) is kept and only its last use is updated.
    func rememberDevice(for user: UserModel, known: KnownDeviceModel?, at now: Date) async throws -> String? {
        if let known, known.$user.id == user.id {
            known.lastUsedAt = now
            try await hub.write { try await known.save(on: $0) }
            return nil
        }
        let token = Self.randomToken()
        let device = KnownDeviceModel()
        device.$user.id = try user.requireID()
        device.tokenHash = Self.hash(token)
        device.createdAt = now
        device.lastUsedAt = now
        try await hub.write { try await device.create(on: $0) }
        return token
    }

    /// Checks a second-factor code for a session that has passed the password.
    ///
    /// The attempt is counted first, by one conditional update (`code_attempts + 1` only while
    /// below ``codeFailuresPerSession``, `RETURNING` the new count): of any number of parallel
    /// posts, at most ``codeFailuresPerSession`` get a row back and have their code checked; the
    /// rest end the session unchecked. A matching code's time step is claimed by another
    /// conditional update, so a code is accepted once even when posted twice at the same moment.
    func checkCode(_ code: String, session: SessionModel, client: String, deviceCookie: String?) async throws -> CodeOutcome {
        let now = clock()
        let user = session.user
        let sessionID = try session.requireID()
        let counted = try await hub.writeSQL { sql in
            try await sql.update(SessionModel.schema)
                .set("code_attempts", to: SQLBinaryExpression(SQLColumn("code_attempts"), .add, SQLLiteral.numeric("1")))
                .where("id", .equal, sessionID)
                .where("code_attempts", .lessThan, Self.codeFailuresPerSession)
                .returning("code_attempts")
                .all()
        }
        guard let row = counted.first, let attempts = try? row.decode(column: "code_attempts", as: Int.self) else {
            try await signOut(session)
            return .exhausted
        }
        var claimed = false
        var recoveryCodes: [String]?
        var usedRecoveryCode = false
        let userID = try user.requireID()
        if let secret = user.totpSecret, let step = Self.acceptedStep(code, secret: secret, at: now, after: user.totpLastStep) {
            let enrolling = !user.totpEnabled
            (claimed, recoveryCodes) = try await hub.write { database in
                let sql = database as! any SQLDatabase
                let claimed = try await !sql.update(UserModel.schema)
                    .set("totp_last_step", to: step)
                    .set("totp_enabled", to: true)
                    .where("id", .equal, userID)
                    // The key the code was checked against is still the account's (a reset may have removed it).
                    .where("totp_secret", .equal, secret)
                    .where(group: { $0.where("totp_last_step", .is, SQLLiteral.null).orWhere("totp_last_step", .lessThan, step) })
                    .returning("id")
                    .all()
                    .isEmpty
                // Enrolment ends with the first recovery codes, in the same transaction.
                let codes = claimed && enrolling ? try await RecoveryCodes.issue(for: userID, actor: user.email, at: now, on: database) : nil
                return (claimed, codes)
            }
        } else if user.totpEnabled, RecoveryCodes.looksLikeCode(code) {
            claimed = try await hub.writeSQL { sql in try await RecoveryCodes.redeem(code, userID: userID, at: now, on: sql) }
            usedRecoveryCode = claimed
        }
        guard claimed else {
            // A wrong code from the owner's known device counts against that device only, as a
            // wrong password does: a stranger holding the address's new-device allowance down
            // must not end the owner's session at the first mistyped code.
            let device = try await knownDevice(cookie: deviceCookie, email: user.email, at: now)?.id
            try await record(email: user.email, client: client, device: device, succeeded: false, at: now)
            let throttled = try await isThrottled(email: user.email, client: client, device: device, at: now)
            if attempts >= Self.codeFailuresPerSession || throttled {
                // Guessing codes ends the session: the password must be given again, and that is throttled.
                try await signOut(session)
                return .exhausted
            }
            return .wrong
        }
        // A new token once both factors are given, so a token seen before this point is worthless.
        let token = Self.randomToken()
        session.tokenHash = Self.hash(token)
        session.secondFactorPassed = true
        session.expiresAt = now.addingTimeInterval(Self.sessionLifetime)
        try await hub.write { try await session.save(on: $0) }
        let known = try await knownDevice(cookie: deviceCookie, email: user.email, at: now)
        let deviceToken = try await rememberDevice(for: user, known: known, at: now)
        return .accepted(token: token, deviceToken: deviceToken, recoveryCodes: recoveryCodes, usedRecoveryCode: usedRecoveryCode)
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
        session.codeAttempts = 0
        try await hub.write { try await session.create(on: $0) }
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
        try await hub.write { try await session.delete(on: $0) }
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
