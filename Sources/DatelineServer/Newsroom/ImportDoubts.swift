import ReleaseImport

/// The fields of a pasted release the importer was not sure of (`FieldConfidence` below its
/// `checkThreshold`), as the newsroom's edit form marks them for the communicator to check.
///
/// Carried from the paste to the edit page in the `check` query parameter: the JSON keys of
/// the doubtful fields, comma-separated (`?check=headline,issuer`). Unknown keys are ignored.
struct ImportDoubts: Equatable {
    /// JSON keys of the doubtful fields (`headline`, `dateline_city`, ...).
    var keys: Set<String>

    /// The keys `FieldConfidence` gives, in the order the sentence names them.
    static let known: [(key: String, label: String)] = [
        ("headline", "headline"), ("subheadline", "subheadline"), ("issuer", "organization"),
        ("dateline_city", "dateline city"), ("date", "date"), ("language", "language"),
        ("release_timing", "timing"), ("embargo_until", "lift time"), ("body", "body"),
        ("quotes", "quotations"), ("boilerplate", "About paragraph"), ("contacts", "media contacts"),
        ("statement_url", "statement link"),
    ]

    init(keys: Set<String>) {
        self.keys = keys.intersection(Self.known.map(\.key))
    }

    /// The doubtful fields of an extraction.
    init(_ confidence: FieldConfidence) {
        self.init(keys: confidence.doubtful)
    }

    /// Reads the `check` query parameter.
    init(query: String?) {
        self.init(keys: Set((query ?? "").split(separator: ",").map { String($0) }))
    }

    /// The value of the `check` query parameter, or `nil` when nothing is in doubt.
    var query: String? {
        keys.isEmpty ? nil : keys.sorted().joined(separator: ",")
    }

    /// "The importer was not sure of the headline, the date and the media contacts: check them
    /// against the original." `nil` when nothing is in doubt.
    var sentence: String? {
        let labels = Self.known.filter { keys.contains($0.key) }.map { "the " + $0.label }
        guard !labels.isEmpty else { return nil }
        let list = labels.count == 1 ? labels[0] : labels.dropLast().joined(separator: ", ") + " and " + labels.last!
        return "The importer was not sure of \(list): check \(labels.count == 1 ? "it" : "them") against the original."
    }

    func contains(_ key: String) -> Bool { keys.contains(key) }
}
