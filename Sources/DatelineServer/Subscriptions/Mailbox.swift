/// The mailbox an address delivers to, as a key for limits that protect that mailbox.
///
/// Many mail systems deliver `name+anything@domain` to `name@domain` (subaddressing, RFC 5233),
/// so `stranger+1@`, `stranger+2@` … are one inbox; a per-address limit keyed on the address
/// as typed would let anyone flood it. The key folds those variants together:
///
/// - the whole address lower-cased (``MailAddress/validate(_:)`` already gives a lower-cased one);
/// - the subaddress removed: everything from the first `+` in the local part, unless the local
///   part starts with `+` (then nothing would be left, and it is kept whole);
/// - for `gmail.com` and `googlemail.com` only, dots in the local part removed and the domain
///   written `gmail.com`: Google documents that Gmail ignores dots in a username and that both
///   domains reach the same inbox. Other providers give dots meaning (`a.b@` and `ab@` can be
///   different people), so their dots stay.
///
/// The key only ever makes a limit stricter (several addresses share one allowance); it is not
/// used to address mail, and the subscriber's address is stored as typed.
enum Mailbox {
    /// Domains whose local parts Google documents as dot-insensitive, and the one they share.
    static let gmailDomains: Set<String> = ["gmail.com", "googlemail.com"]

    /// The mailbox key of a valid address (see ``MailAddress/validate(_:)``), e.g.
    /// `J.Doe+news@GoogleMail.com` → `jdoe@gmail.com`. A text without exactly one `@` is
    /// returned lower-cased.
    static func key(_ address: String) -> String {
        let lowered = address.lowercased()
        guard let at = lowered.lastIndex(of: "@"), lowered.firstIndex(of: "@") == at else { return lowered }
        var local = lowered[..<at]
        var domain = String(lowered[lowered.index(after: at)...])
        if let plus = local.firstIndex(of: "+"), plus != local.startIndex {
            local = local[..<plus]
        }
        var localText = String(local)
        if gmailDomains.contains(domain) {
            let undotted = localText.replacingOccurrences(of: ".", with: "")
            if !undotted.isEmpty { localText = undotted }
            domain = "gmail.com"
        }
        return "\(localText)@\(domain)"
    }
}
