import Foundation

/// Tells a saved web page from plain text by looking at the bytes, never at the file name,
/// because releases arrive as uploads and pasted files whose names say nothing reliable.
enum InputDetector {
    enum Kind: Equatable { case html, text }

    /// Markup that only a web page opens with. Matched case-insensitively at the first
    /// non-blank position, after a byte-order mark, an XML declaration and comments.
    private static let openers: [[UInt8]] = ["<!doctype html", "<html", "<head", "<body", "<meta", "<title"].map { Array($0.utf8) }

    /// How far into the file the first tag may start: saved pages often carry a few
    /// kilobytes of comments ("saved from url=", IE conditionals) before `<html>`.
    private static let window = 4096

    static func kind(of bytes: [UInt8]) -> Kind {
        var i = 0
        // UTF-16 pages: look at every other byte.
        if bytes.count >= 2, (bytes[0] == 0xFF && bytes[1] == 0xFE) || (bytes[0] == 0xFE && bytes[1] == 0xFF) {
            let little = bytes[0] == 0xFF
            var narrowed: [UInt8] = []
            var k = 2
            while k + 1 < bytes.count, narrowed.count < window {
                narrowed.append(little ? bytes[k] : bytes[k + 1]); k += 2
            }
            return kind(of: narrowed)
        }
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { i = 3 }
        let end = min(bytes.count, window)
        while i < end {
            let b = bytes[i]
            if b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D || b == 0x0C { i += 1; continue }
            guard b == UInt8(ascii: "<") else { return .text }
            if matches(bytes, at: i, "<!--") {
                guard let close = find(bytes, "-->", from: i + 4, limit: end) else { return .text }
                i = close + 3; continue
            }
            if matches(bytes, at: i, "<?xml") {
                guard let close = find(bytes, "?>", from: i + 5, limit: end) else { return .text }
                i = close + 2; continue
            }
            for opener in openers where matchesLowercased(bytes, at: i, opener) {
                // "<html" must be followed by a delimiter so that "<htmlfoo" stays text.
                let next = i + opener.count < bytes.count ? bytes[i + opener.count] : UInt8(ascii: ">")
                if next == UInt8(ascii: ">") || next == 0x20 || next == 0x0A || next == 0x0D || next == 0x09 || next == UInt8(ascii: "/") {
                    return .html
                }
            }
            return .text
        }
        return .text
    }

    private static func matches(_ bytes: [UInt8], at i: Int, _ s: String) -> Bool {
        matchesLowercased(bytes, at: i, Array(s.utf8))
    }

    private static func matchesLowercased(_ bytes: [UInt8], at i: Int, _ pattern: [UInt8]) -> Bool {
        guard i + pattern.count <= bytes.count else { return false }
        for (k, p) in pattern.enumerated() {
            var b = bytes[i + k]
            if b >= 0x41 && b <= 0x5A { b += 0x20 }
            if b != p { return false }
        }
        return true
    }

    private static func find(_ bytes: [UInt8], _ s: String, from: Int, limit: Int) -> Int? {
        let p = Array(s.utf8)
        var i = from
        while i + p.count <= limit {
            if matchesLowercased(bytes, at: i, p) { return i }
            i += 1
        }
        return nil
    }
}
