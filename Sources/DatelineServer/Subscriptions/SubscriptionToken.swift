import Crypto
import ExtrasBase64
import FluentKit
import Foundation

/// Signed, expiring tokens that stand in for a password in subscribers' links: whoever holds
/// the email can confirm, change preferences or unsubscribe, and nobody else can.
///
/// Shape: base64url of 1 purpose byte, the 16-byte subscriber id and the expiry (seconds since
/// 1970, 8 bytes big-endian), a ".", then base64url of the HMAC-SHA256 (RFC 2104) of those 25
/// bytes under the site's key. No database row per token: a token is checked by its signature.
struct SubscriptionToken: Equatable {
    enum Purpose: UInt8 {
        case confirm = 1
        case manage = 2
        case unsubscribe = 3

        /// How long a token of this purpose works.
        var lifetime: TimeInterval {
            switch self {
            case .confirm: 48 * 3600
            case .manage: 30 * 86400
            // An unsubscribe link must keep working in old mail (RFC 8058 expects it to); it
            // can only end mail, so two years costs nothing.
            case .unsubscribe: 730 * 86400
            }
        }
    }

    var purpose: Purpose
    var subscriberID: UUID
    var expires: Date

    /// The token as it goes into a link.
    func signed(with key: SymmetricKey) -> String {
        let payload = bytes
        let mac = HMAC<SHA256>.authenticationCode(for: payload, using: key)
        return Base64.encodeToString(bytes: payload, options: [.base64UrlAlphabet, .omitPaddingCharacter])
            + "." + Base64.encodeToString(bytes: Array(mac), options: [.base64UrlAlphabet, .omitPaddingCharacter])
    }

    /// The token in `text` when its signature is right, its purpose is `purpose` and it has not
    /// expired at `now`; `nil` otherwise (the caller shows one message for every case).
    static func verify(_ text: String, purpose: Purpose, key: SymmetricKey, now: Date) -> SubscriptionToken? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, text.utf8.count < 200,
              let payload = try? Base64.decode(string: String(parts[0]), options: [.base64UrlAlphabet, .omitPaddingCharacter]),
              let mac = try? Base64.decode(string: String(parts[1]), options: [.base64UrlAlphabet, .omitPaddingCharacter]),
              payload.count == 25,
              HMAC<SHA256>.isValidAuthenticationCode(mac, authenticating: payload, using: key),
              payload[0] == purpose.rawValue
        else { return nil }
        let id = UUID(uuid: (payload[1], payload[2], payload[3], payload[4], payload[5], payload[6], payload[7], payload[8],
                             payload[9], payload[10], payload[11], payload[12], payload[13], payload[14], payload[15], payload[16]))
        let seconds = payload[17...].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        let expires = Date(timeIntervalSince1970: TimeInterval(seconds))
        guard expires > now else { return nil }
        return SubscriptionToken(purpose: purpose, subscriberID: id, expires: expires)
    }

    static func issue(_ purpose: Purpose, for subscriberID: UUID, now: Date, key: SymmetricKey) -> String {
        SubscriptionToken(purpose: purpose, subscriberID: subscriberID, expires: now.addingTimeInterval(purpose.lifetime)).signed(with: key)
    }

    private var bytes: [UInt8] {
        let uuid = subscriberID.uuid
        var bytes: [UInt8] = [purpose.rawValue, uuid.0, uuid.1, uuid.2, uuid.3, uuid.4, uuid.5, uuid.6, uuid.7,
                              uuid.8, uuid.9, uuid.10, uuid.11, uuid.12, uuid.13, uuid.14, uuid.15]
        let seconds = UInt64(max(0, expires.timeIntervalSince1970.rounded(.down)))
        for shift in stride(from: 56, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: seconds >> UInt64(shift))) }
        return bytes
    }
}

/// The site's secret key for subscription tokens: 256 random bits, made on first use and kept
/// in `site_settings`, so every process of the site signs and checks with the same key.
enum SubscriptionTokenKey {
    static let settingKey = "subscription-token-key"

    /// The key, read from `hub`'s database, or made and stored there when there is none yet.
    /// - Throws: ``SubscriptionError/noTokenKey`` when no key could be stored; the database's errors.
    static func load(from hub: DatabaseHub) async throws -> SymmetricKey {
        if let stored = try await SiteSettingModel.find(settingKey, on: hub.database), let key = decode(stored.value) {
            return key
        }
        let fresh = SymmetricKey(size: .bits256).withUnsafeBytes { Base64.encodeToString(bytes: Array($0)) }
        return try await hub.write { database in
            // Another process may have made it meanwhile: then theirs is kept.
            if let stored = try await SiteSettingModel.find(settingKey, on: database), let key = decode(stored.value) {
                return key
            }
            try await SiteSettingModel(key: settingKey, value: fresh).create(on: database)
            guard let key = decode(fresh) else { throw SubscriptionError.noTokenKey }
            return key
        }
    }

    private static func decode(_ text: String) -> SymmetricKey? {
        guard let bytes = try? Base64.decode(string: text), bytes.count == 32 else { return nil }
        return SymmetricKey(data: bytes)
    }
}

enum SubscriptionError: Error, CustomStringConvertible {
    case noTokenKey

    var description: String {
        switch self {
        case .noTokenKey: "the subscription token key in site_settings is missing or unreadable"
        }
    }
}
