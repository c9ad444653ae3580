/// Reads a request's `Accept-Encoding` (RFC 9110 §12.5.3) for the one question the page cache
/// asks: may the response be gzip-coded, and does the client prefer that to the plain bytes?
enum AcceptEncoding {
    /// Whether to send the gzip-coded bytes: `gzip` (or `x-gzip`, or `*`) is listed with a
    /// weight above 0 and at least the weight given to `identity`. No header, an empty one, or
    /// `gzip;q=0` means the plain bytes.
    static func prefersGzip(_ header: String?) -> Bool {
        guard let header, !header.isEmpty else { return false }
        var gzip: Double?
        var identity: Double?
        var wildcard: Double?
        for item in header.split(separator: ",") {
            let parts = item.split(separator: ";")
            guard let name = parts.first?.trimmingCharacters(in: .whitespaces).lowercased(), !name.isEmpty else { continue }
            var weight = 1.0
            for parameter in parts.dropFirst() {
                let pair = parameter.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                if pair.count == 2, pair[0].lowercased() == "q" {
                    // An unreadable weight counts as 0: the client said something we cannot honour.
                    weight = Double(pair[1]).map { min(max($0, 0), 1) } ?? 0
                }
            }
            switch name {
            case "gzip", "x-gzip": gzip = max(gzip ?? 0, weight)
            case "identity": identity = weight
            case "*": wildcard = weight
            default: continue
            }
        }
        guard let chosen = gzip ?? wildcard, chosen > 0 else { return false }
        // identity is acceptable unless excluded, but a listed coding is preferred to it unless
        // identity is given a higher weight.
        return chosen >= (identity ?? 0)
    }
}
