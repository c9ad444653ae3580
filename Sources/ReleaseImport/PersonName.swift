import Foundation

/// Tells person names from organizations and titles, and finds names inside attribution
/// phrases ("TTD President Edward Wytkind", "Paul Pemberton Director of the Project").
enum PersonName {
    /// Words that make a capitalized phrase an organization, place or title rather than a person.
    static let nonNameWords: Set<String> = [
        "university", "universität", "office", "media", "communications", "department", "institute", "foundation",
        "center", "centre", "council", "ministry", "agency", "association", "union", "inc", "inc.", "ltd", "llc",
        "press", "news", "watch", "international", "headquarters", "laboratory", "project", "government",
        "committee", "fund", "trust", "network", "group", "society", "service", "services", "team", "school",
        "college", "house", "state", "national", "federal", "public", "release", "statement", "contact",
        "pressestelle", "press office", "bureau", "organization", "organisation", "profile", "campaign",
        "director", "president", "chair", "chairman", "ceo", "minister", "secretary", "spokesperson", "fellow",
        "professor", "manager", "officer", "coordinator", "executive", "senior", "deputy", "head", "chief",
        "representative", "ambassador", "commissioner", "advisor", "adviser", "researcher", "author", "leader",
        "the", "of", "for", "and", "on", "in", "new", "today", "report", "general", "action", "world", "earth",
        "friends", "amnesty", "greenpeace", "unicef", "nasa", "aclu", "police", "polizei", "rights", "human",
        "global", "internacional", "internationale", "internazionale", "nacional", "amnistía", "america", "american", "canada", "canadian", "europe", "european", "update", "media office",
        "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "date", "time", "location",
    ]

    /// Titles that may stand before a name and are not part of it.
    static let honorifics: Set<String> = ["sir", "dame", "dr", "dr.", "mr", "mr.", "ms", "ms.", "mrs", "mrs.", "prof", "prof.", "professor", "lord", "lady", "rev.", "hon.", "herr", "frau", "mme"]

    private static let token = Rx(#"^(?:[\p{Lu}][\p{Ll}\p{M}'’]+(?:-[\p{Lu}][\p{Ll}\p{M}'’]+)?|(?:[\p{Lu}]\.){1,3}|[\p{Lu}]\.?)$"#, caseInsensitive: false)
    private static let capsSurname = Rx(#"^[\p{Lu}][\p{Lu}'’-]{2,13}$"#, caseInsensitive: false)
    private static let particles: Set<String> = ["van", "von", "de", "der", "den", "da", "di", "del", "la", "le", "al", "el", "bin", "ibn", "ten", "zu"]

    /// `true` when `text` reads as a person's name: two to four capitalized words (initials
    /// allowed, particles such as "van" or "de" inside), no digits, no organization words.
    static func isName(_ text: String) -> Bool {
        let words = text.trimmingEdges(" ,;:.").split(separator: " ").map(String.init)
        guard (2...5).contains(words.count) else { return false }
        var real = 0
        for (i, w) in words.enumerated() {
            let lower = w.lowercased()
            if nonNameWords.contains(lower) { return false }
            if i > 0, i < words.count - 1, particles.contains(lower) { continue }
            if i == 0, honorifics.contains(lower) { continue }
            // "Rasmus HOLTEN": institutions print the surname in capitals after a given name.
            if i == words.count - 1, real >= 1, capsSurname.test(w) { real += 1; continue }
            guard token.test(w) else { return false }
            if w.count > 14 { return false }
            if w.count >= 3, w == w.uppercased(), !w.contains(".") { return false }
            real += 1
        }
        guard real >= 2 else { return false }
        // The last word must be a surname, not an initial.
        return (words.last?.count ?? 0) >= 2 && !(words.last?.hasSuffix(".") ?? true)
    }

    /// Drops leading honorifics ("Sir Mo Farah" -> "Mo Farah").
    static func clean(_ name: String) -> String {
        var words = name.trimmingEdges(" ,;:").split(separator: " ").map(String.init)
        while words.count > 2, let first = words.first, honorifics.contains(first.lowercased()) { words.removeFirst() }
        return words.joined(separator: " ")
    }

    /// A media contact's name as printed: an academic title ("Dr.", "Prof.") stays, as it does
    /// on a letterhead; other honorifics go (see `clean`).
    static func contactName(_ name: String) -> String {
        let words = name.trimmingEdges(" ,;:").split(separator: " ").map(String.init)
        let academic = words.prefix { ["dr.", "prof.", "dr", "prof"].contains($0.lowercased()) }
        guard !academic.isEmpty, words.count - academic.count >= 2 else { return clean(name) }
        return (academic + [clean(words.dropFirst(academic.count).joined(separator: " "))]).joined(separator: " ")
    }

    private static let capitalized = Rx(#"^(?:[\p{Lu}][\p{Ll}\p{M}'’]+(?:-[\p{Lu}][\p{Ll}\p{M}'’]+)?|(?:[\p{Lu}]\.){1,3})$"#, caseInsensitive: false)

    /// The name at the END of a phrase, with what precedes it as the role:
    /// "Greenpeace USA Executive Director Annie Leonard" -> ("Annie Leonard", "Greenpeace USA Executive Director").
    static func trailingName(in phrase: String) -> (name: String, role: String?)? {
        let words = phrase.trimmingEdges(" ,;:").split(separator: " ").map(String.init)
        var i = words.count - 1
        var taken: [String] = []
        while i >= 0, taken.count < 4 {
            let w = words[i]
            if !capitalized.test(w) || nonNameWords.contains(w.lowercased()) { break }
            if w.count >= 3, w == w.uppercased() { break }
            // An honorific marks where the name starts; anything before it is description.
            if honorifics.contains(w.lowercased()) { i -= 1; break }
            taken.insert(w, at: 0)
            i -= 1
        }
        while taken.count > 2, let first = taken.first, honorifics.contains(first.lowercased()) { taken.removeFirst() }
        guard !taken.isEmpty, !(taken.last?.hasSuffix(".") ?? true) else { return nil }
        let role = words[..<(i + 1)].joined(separator: " ").trimmingEdges(" ,;:")
        return (clean(taken.joined(separator: " ")), role.isEmpty ? nil : role)
    }

    /// The name at the START of a phrase, with what follows as the role:
    /// "Paul Pemberton Director of the Project" -> ("Paul Pemberton", "Director of the Project").
    static func leadingName(in phrase: String) -> (name: String, role: String?)? {
        let words = phrase.trimmingEdges(" ,;:").split(separator: " ").map(String.init)
        var taken: [String] = []
        var i = 0
        while i < words.count, taken.count < 4 {
            let w = words[i]
            if honorifics.contains(w.lowercased()) && taken.isEmpty { i += 1; continue }
            if !capitalized.test(w) || nonNameWords.contains(w.lowercased()) { break }
            if w.count >= 3, w == w.uppercased() { break }
            taken.append(w)
            i += 1
        }
        guard !taken.isEmpty, !(taken.last?.hasSuffix(".") ?? true) else { return nil }
        let role = words[i...].joined(separator: " ").trimmingEdges(" ,;:")
        return (taken.joined(separator: " "), role.isEmpty ? nil : role)
    }

    /// Expands a surname-only reference ("Roth") to the full name the text used earlier
    /// ("Kenneth Roth"), so one speaker is not counted as two.
    static func expand(_ name: String, in text: String) -> String {
        guard name.split(separator: " ").count == 1 else { return name }
        // The answer depends only on (name, text), and one release asks about the same few
        // surnames for every quote while each question scans the whole text with ICU. So the
        // answers for the text last asked about are kept; a different text empties the memo.
        // Comparing the text is cheap: the same text is the same string storage.
        expandLock.lock()
        if expandText != text { expandText = text; expandMemo.removeAll(keepingCapacity: true) }
        let known = expandMemo[name]
        expandLock.unlock()
        if let known { return known }
        let found = expandUncached(name, in: text)
        expandLock.lock()
        if expandText == text { expandMemo[name] = found }
        expandLock.unlock()
        return found
    }

    nonisolated(unsafe) private static var expandText = ""
    nonisolated(unsafe) private static var expandMemo: [String: String] = [:]
    private static let expandLock = NSLock()

    private static func expandUncached(_ name: String, in text: String) -> String {
        let escaped = NSRegularExpression.escapedPattern(for: name)
        let re = Rx(#"((?:[\p{Lu}][\p{Ll}\p{M}'’]+|(?:[\p{Lu}]\.)+)(?:\s+(?:[\p{Lu}][\p{Ll}\p{M}'’]+|[\p{Lu}]\.))*)(?:\s+[“"‘][^”"’]{1,20}[”"’])?\s+"# + escaped + #"\b"#, caseInsensitive: false)
        // The matches in order, stopping at the first that gives a full name: the full name is
        // usually the text's first mention, and ICU need not look for the others.
        return re.firstMatch(in: text) { m -> String? in
            guard let before = m[1] else { return nil }
            let candidate = before + " " + name
            if let found = trailingName(in: candidate), found.name.split(separator: " ").count >= 2 {
                return found.name
            }
            return nil
        } ?? name
    }
}
