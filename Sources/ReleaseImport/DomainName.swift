import Foundation

/// The organization an e-mail or web domain spells, in the release's own words:
/// `presse@jugend-forscht.de` in a text that writes "Jugend forscht" names "Jugend forscht",
/// `www.cityoffrederick.com` in one that writes "City", "of" and "Frederick" names "City of Frederick".
///
/// The domain's distinctive label (the one left of the public suffix, past `www`, `mail`,
/// `press` and the like) is cut into words the text itself uses (diacritics and case folded);
/// a label the text does not spell that way names nothing. Free mail providers, wires,
/// social networks and link shorteners name no issuer.
enum DomainName {
    /// Labels that end a host name without naming anyone (top-level and second-level public suffixes).
    private static let suffixLabels: Set<String> = [
        "com", "org", "net", "edu", "gov", "mil", "int", "info", "biz", "eu", "co", "ac", "or", "ne", "go", "gv",
        "gouv", "gob", "gub", "govt", "nic", "ltd", "plc", "sch", "nhs", "police", "gsi", "gsx", "gcsx", "asso", "nom",
    ]
    /// Host labels in front of the distinctive one.
    private static let serviceLabels: Set<String> = ["www", "mail", "email", "press", "presse", "media", "news", "newsroom", "web", "m", "en", "de", "fr"]
    /// Domains that carry other people's mail and news.
    private static let carriers: Set<String> = [
        "gmail", "googlemail", "yahoo", "hotmail", "outlook", "live", "msn", "aol", "icloud", "me", "gmx", "web", "t-online",
        "protonmail", "proton", "mailbox", "posteo", "orange", "free", "libero", "wanadoo", "yandex", "qq", "163",
        "prnewswire", "businesswire", "globenewswire", "einpresswire", "presseportal", "newswire", "accesswire", "prweb",
        "twitter", "x", "facebook", "instagram", "linkedin", "youtube", "youtu", "tiktok", "flickr", "mastodon", "bsky",
        "bit", "tinyurl", "ow", "goo", "t", "lnkd", "doi", "google", "apple", "microsoft", "wordpress", "blogspot", "sec", "pec",
    ]

    /// Carriers that print their name as a site's name, compared letters and digits only.
    static let carrierNames: [String] = ["prnewswire", "businesswire", "globenewswire", "einpresswire", "presseportal", "accesswire", "prweb", "prtimes", "newswire"]

    /// The distinctive label of a host name, lower-cased: "charitycommission" for
    /// "charitycommission.gsi.gov.uk", `nil` for a carrier's or an unreadable host.
    static func label(ofHost host: String) -> String? {
        var labels = host.lowercased().split(separator: ".").map(String.init)
        guard labels.count >= 2 else { return nil }
        labels.removeLast()  // the top-level domain
        while labels.count > 1, let last = labels.last, suffixLabels.contains(last) { labels.removeLast() }
        guard let label = labels.last, !carriers.contains(label), !serviceLabels.contains(label),
              label.count >= 3, label.contains(where: \.isLetter) else { return nil }
        return label
    }

    /// The host of an e-mail address or URL: "cityoffrederick.com" for "www.cityoffrederick.com/news".
    static func host(of address: String) -> String? {
        var s = Substring(address)
        if let at = s.lastIndex(of: "@") { s = s[s.index(after: at)...] } else if let scheme = s.range(of: "://") { s = s[scheme.upperBound...] }
        let host = s.prefix { $0 != "/" && $0 != "?" && $0 != "#" && $0 != ":" }
        return host.isEmpty ? nil : String(host).trimmingEdges(" .,;)>")
    }

    /// The words of `text` that spell `label` one after another, as the text writes them
    /// (the capitalized spelling when the text has one), joined by spaces; `nil` when the label
    /// cannot be cut into the text's words, or is one short word the text never capitalizes.
    static func spelled(_ label: String, in words: TextWords) -> String? {
        let parts = label.split(separator: "-").map(String.init)
        var out: [String] = []
        var hyphenAfter: Set<Int> = []
        for part in parts {
            guard let cut = cut(Array(part.unicodeScalars), words) else { return nil }
            out += cut
            hyphenAfter.insert(out.count - 1)
        }
        guard !out.isEmpty, out.contains(where: { $0.count >= 4 }) else { return nil }
        if out.count == 1, !(words.capitalized[out[0]] ?? false) { return nil }
        var name = out.map { words.written[$0] ?? $0 }
        if let first = name.first?.first, first.isLowercase { name[0] = first.uppercased() + name[0].dropFirst() }
        var joined = name[0]
        for k in 1..<name.count {
            // Hyphenated as the text hyphenates it ("Pyrénées-Orientales").
            let hyphen = hyphenAfter.contains(k - 1) && words.hyphenated.contains(out[k - 1] + "-" + out[k])
            joined += (hyphen ? "-" : " ") + name[k]
        }
        return joined
    }

    /// Cuts `scalars` into the fewest known words of two letters or more (connectors of two letters
    /// count only between longer words).
    private static func cut(_ scalars: [Unicode.Scalar], _ words: TextWords) -> [String]? {
        let n = scalars.count
        guard n > 0, n <= 40 else { return nil }
        var best: [[String]?] = Array(repeating: nil, count: n + 1)
        best[0] = []
        for end in 1...n {
            for start in stride(from: end - 2, through: 0, by: -1) {
                guard let before = best[start] else { continue }
                var w = String.UnicodeScalarView()
                w.append(contentsOf: scalars[start..<end])
                let word = String(w)
                guard words.folded.contains(word) else { continue }
                if best[end] == nil || best[end]!.count > before.count + 1 { best[end] = before + [word] }
            }
        }
        return best[n]
    }

    /// The words of a text that may spell a domain label, folded for matching it, with the way
    /// the text writes each. Only words of Latin letters and digits whose folded form occurs in
    /// one of the labels are kept (a domain label is ASCII); e-mail addresses and links are left
    /// out, so that a domain is spelled by the text's prose, not by itself.
    struct TextWords {
        /// Folded forms (lower-case, no diacritics).
        var folded: Set<String> = []
        /// Folded form -> the text's spelling (capitalized when the text ever capitalizes it).
        var written: [String: String] = [:]
        var capitalized: [String: Bool] = [:]
        /// Folded pairs of words the text joins with a hyphen ("pyrenees-orientales").
        var hyphenated: Set<String> = []

        init(_ text: String, spelling labels: [String]) {
            // Every piece of two letters or more of the labels: a word is kept only when it is one.
            var pieces: Set<String> = []
            for label in labels {
                let scalars = Array(label.unicodeScalars)
                for i in scalars.indices { for j in (i + 2)...max(i + 2, scalars.count) where j <= scalars.count {
                    var v = String.UnicodeScalarView(); v.append(contentsOf: scalars[i..<j]); pieces.insert(String(v))
                } }
            }
            let longest = labels.map(\.unicodeScalars.count).max() ?? 0
            var text = text
            text.withUTF8 { bytes in
                var i = 0
                let n = bytes.count
                while i < n {
                    // One whitespace-separated token at a time.
                    while i < n, Self.isSpace(bytes[i]) { i += 1 }
                    let start = i
                    var address = false
                    while i < n, !Self.isSpace(bytes[i]) {
                        if bytes[i] == 0x40 || bytes[i] == 0x3A && i + 2 < n && bytes[i + 1] == 0x2F && bytes[i + 2] == 0x2F { address = true }
                        i += 1
                    }
                    guard !address, i > start else { continue }
                    let token = UnsafeBufferPointer(rebasing: bytes[start..<i])
                    if token.count >= 4, Self.lower(token[0]) == 0x77, Self.lower(token[1]) == 0x77, Self.lower(token[2]) == 0x77, token[3] == 0x2E { continue }
                    readWords(token, pieces: pieces, longest: longest)
                }
            }
        }

        @inline(__always) private static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 }
        @inline(__always) private static func lower(_ b: UInt8) -> UInt8 { b >= 0x41 && b <= 0x5A ? b | 0x20 : b }

        /// The words of one token: runs of letters and digits; a word of other than Latin letters is skipped.
        private mutating func readWords(_ token: UnsafeBufferPointer<UInt8>, pieces: Set<String>, longest: Int) {
            var previous: String?
            var k = 0
            let n = token.count
            while k < n {
                let start = k
                var ascii = true
                while k < n {
                    let b = token[k]
                    if b < 0x80 {
                        if (b >= 0x61 && b <= 0x7A) || (b >= 0x41 && b <= 0x5A) || (b >= 0x30 && b <= 0x39) { k += 1; continue }
                        break
                    }
                    ascii = false
                    // A non-ASCII scalar: part of the word when it is a letter.
                    var end = k + 1
                    while end < n, token[end] & 0xC0 == 0x80 { end += 1 }
                    let scalar = String(decoding: UnsafeBufferPointer(rebasing: token[k..<end]), as: UTF8.self).unicodeScalars.first
                    guard let scalar, ScalarProperties.isAlphabetic(scalar) else { break }
                    k = end
                }
                let word = UnsafeBufferPointer(rebasing: token[start..<k])
                var key: String?
                if word.count >= 2 {
                    if ascii {
                        if word.count <= longest { key = String(decoding: word.map(Self.lower), as: UTF8.self) }
                    } else {
                        key = Self.fold(String(decoding: word, as: UTF8.self))
                    }
                }
                if let key, pieces.contains(key) {
                    folded.insert(key)
                    let spelled = String(decoding: word, as: UTF8.self)
                    let upper = spelled.first?.isUppercase == true && spelled.dropFirst().contains(where: \.isLowercase)
                    if written[key] == nil || upper && capitalized[key] != true { written[key] = spelled }
                    if upper { capitalized[key] = true }
                }
                // A hyphen between two words joins them.
                if let p = previous, let key { hyphenated.insert(p + "-" + key) }
                previous = k < n && token[k] == 0x2D ? key : nil
                if k < n { k += k == start ? 1 : 1 }
            }
        }

        /// Lower-case Latin letters without diacritics ("Pyrénées" -> "pyrenees"); `nil` for a word of another script.
        private static func fold(_ word: String) -> String? {
            var out = ""
            for u in word.unicodeScalars {
                if u.value < 0x80 { out.unicodeScalars.append(Unicode.Scalar(lower(UInt8(u.value)))); continue }
                guard let f = latinFold(u) else { return nil }
                out += f
            }
            return out
        }

        /// The folded form of a letter of the Latin-1 Supplement and Latin Extended-A and -B
        /// ("é" -> "e", "ß" -> "ss"); `nil` for other scripts.
        private static func latinFold(_ u: Unicode.Scalar) -> String? {
            guard u.value >= 0xC0, u.value <= 0x24F else { return nil }
            return latinFolds[Int(u.value - 0xC0)]
        }

        private static let latinFolds: [String?] = (0xC0...0x24F).map { v in
            guard let u = Unicode.Scalar(v) else { return nil }
            let f = String(u).folding(options: [.diacriticInsensitive, .caseInsensitive], locale: nil).lowercased()
            return f.unicodeScalars.allSatisfy({ $0.value < 0x80 && $0.properties.isAlphabetic }) && !f.isEmpty ? f : nil
        }
    }
}
