/// Percent-encoding of URL parts (RFC 3986 §2.1), byte by byte over UTF-8: every byte outside the
/// allowed ASCII characters becomes `%XX` (upper-case hex). Foundation's `addingPercentEncoding`
/// gives the same text for these sets but goes through `CharacterSet` and `NSString`, which is
/// slow on Linux and ran on every page.
enum PercentEncoding {
    /// Which ASCII characters stay as they are, as a 128-bit table.
    struct Allowed: Sendable {
        private let bits: (UInt64, UInt64)

        /// ASCII letters and digits plus `extra`.
        init(alphanumericsAnd extra: String) {
            var low: UInt64 = 0, high: UInt64 = 0
            let letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
            for byte in (letters + extra).utf8 where byte < 128 {
                if byte < 64 { low |= 1 << UInt64(byte) } else { high |= 1 << UInt64(byte - 64) }
            }
            bits = (low, high)
        }

        func contains(_ byte: UInt8) -> Bool {
            byte < 64 ? bits.0 & (1 << UInt64(byte)) != 0 : byte < 128 && bits.1 & (1 << UInt64(byte - 64)) != 0
        }

        /// RFC 3986 `unreserved`: letters, digits and `-._~`.
        static let unreserved = Allowed(alphanumericsAnd: "-._~")
        /// A query parameter's value: `pchar`, `/` and `?`, without `&`, `=`, `+` and `#`.
        static let queryValue = Allowed(alphanumericsAnd: "-._~!$'()*,;:@/?")
        /// One path segment: `pchar` (no `/`).
        static let pathSegment = Allowed(alphanumericsAnd: "-._~!$&'()*+,;=:@")
    }

    static func encode(_ text: String, allowing allowed: Allowed) -> String {
        var text = text
        return text.withUTF8 { bytes in
            guard let first = bytes.firstIndex(where: { !allowed.contains($0) }) else { return nil }
            var out: [UInt8] = []
            out.reserveCapacity(bytes.count * 2)
            out.append(contentsOf: bytes[..<first])
            for byte in bytes[first...] {
                if allowed.contains(byte) {
                    out.append(byte)
                } else {
                    out.append(UInt8(ascii: "%"))
                    out.append(hexDigits[Int(byte >> 4)])
                    out.append(hexDigits[Int(byte & 0x0F)])
                }
            }
            return String(decoding: out, as: UTF8.self)
        } ?? text
    }

    private static let hexDigits = Array("0123456789ABCDEF".utf8)
}
