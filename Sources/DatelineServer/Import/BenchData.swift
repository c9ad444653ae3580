import DatelineCore
import FluentKit
import Foundation
import Logging
import ReleaseImport
import SQLKit

/// Fills the configured database with many realistic releases in bulk, for benchmarks and
/// tests at the sizes a newswire's archive reaches (`dateline bench-data`).
///
/// Texts come from real releases read by the importer (`Samples/` and any extra folders):
/// their headlines, bodies, languages and datelines. Organizations have very different sizes
/// (release counts follow a Zipf law, as on a real wire), releases are filed under one to three
/// of a few dozen topics, and their dates spread over the last 20 years. A few in a thousand are
/// left hidden (embargoed for a week, or drafts) and a few corrected, so that public reads are
/// measured with hidden rows present. Rows are written by multi-row parameterized INSERTs, a batch
/// per write transaction, with the batch's listed releases indexed for search in it; the generator is seeded, so the same options make the same archive.
public struct BenchData: Sendable {
    /// What to make.
    public struct Options: Sendable {
        /// How many releases, 1 to 10,000,000.
        public var releases: Int
        /// How many organizations; by default one for every 500 releases (at least 10).
        public var organizations: Int?
        /// Folders of further release texts (`.txt`, `.html`) to draw from besides `Samples/`.
        public var textFolders: [URL]
        /// The generator's seed.
        public var seed: UInt64

        public init(releases: Int, organizations: Int? = nil, textFolders: [URL] = [], seed: UInt64 = 2024) {
            self.releases = releases
            self.organizations = organizations
            self.textFolders = textFolders
            self.seed = seed
        }
    }

    /// What was written.
    public struct Summary: Sendable, CustomStringConvertible {
        public var releases: Int
        public var hidden: Int
        public var organizations: Int
        public var topics: Int
        public var texts: Int
        public var seconds: Double

        public var description: String {
            "\(releases) releases (\(hidden) of them embargoed or drafts) from \(organizations) organizations under \(topics) topics, drawn from \(texts) texts, in \(String(format: "%.1f", seconds)) s"
        }
    }

    /// Releases per INSERT statement and per transaction.
    static let batchSize = 500
    static let topicNames = [
        "Human rights", "Climate", "Health", "Education", "Elections", "Refugees", "Water", "Energy",
        "Agriculture", "Technology", "Space", "Economy", "Labour", "Housing", "Transport", "Justice",
        "Press freedom", "Children", "Women's rights", "Indigenous peoples", "Oceans", "Forests",
        "Wildlife", "Food security", "Public health", "Disability", "Migration", "Peace", "Trade",
        "Science", "Culture", "Sport", "Finance", "Cities", "Police", "Prisons", "Privacy",
        "Disinformation", "Humanitarian aid", "Development",
    ]

    let hub: DatabaseHub
    let settings: Settings
    let logger: Logger

    public init(hub: DatabaseHub, settings: Settings, logger: Logger) {
        self.hub = hub
        self.settings = settings
        self.logger = logger
    }

    /// One source text as the importer read it.
    struct Text {
        var headline: String
        var subheadline: String?
        var body: String
        var language: String
        var datelineCity: String?
    }

    /// Writes the archive; `progress` is told how many releases are written after each batch.
    /// - Throws: ``BenchDataError`` for options out of range or no readable text; database errors.
    public func run(_ options: Options, progress: @Sendable (Int) -> Void = { _ in }) async throws -> Summary {
        guard (1...10_000_000).contains(options.releases) else {
            throw BenchDataError(message: "--releases must be between 1 and 10,000,000 (got \(options.releases)).")
        }
        let organizationCount = options.organizations ?? max(10, options.releases / 500)
        guard (1...1_000_000).contains(organizationCount) else {
            throw BenchDataError(message: "--organizations must be between 1 and 1,000,000 (got \(organizationCount)).")
        }
        let started = Date()
        let texts = try readTexts(options.textFolders)
        var random = SplitMix64(seed: options.seed)

        // Organizations and topics, each batch in one transaction.
        let runTag = String(ReleaseID().rawValue.prefix(6))
        var organizationIDs: [UUID] = []
        for start in stride(from: 0, to: organizationCount, by: Self.batchSize) {
            let rows = (start..<min(start + Self.batchSize, organizationCount)).map { number in
                (id: UUID(), name: "Bench Organization \(number + 1) \(runTag)")
            }
            organizationIDs += rows.map(\.id)
            try await hub.writeSQL { sql in
                try await sql.insert(into: OrganizationModel.schema)
                    .columns("id", "name", "slug", "created_at")
                    .rows(rows.map { row -> [any SQLExpression] in [SQLBind(row.id), SQLBind(row.name), SQLBind(Slug(making: row.name)!.rawValue), SQLBind(started)] })
                    .run()
            }
        }
        // Topics: the site's own where it has them by name, new ones otherwise.
        var topicIDs: [UUID] = []
        var newTopics: [[any SQLExpression]] = []
        for name in Self.topicNames {
            let slug = Slug(making: name)!
            if let existing = try await TopicModel.query(on: hub.database).filter(\.$slug == slug.rawValue).first(), let id = existing.id {
                topicIDs.append(id)
            } else {
                let id = UUID()
                topicIDs.append(id)
                newTopics.append([SQLBind(id), SQLBind(name), SQLBind(slug.rawValue)])
            }
        }
        if !newTopics.isEmpty {
            try await hub.writeSQL { [newTopics] sql in
                try await sql.insert(into: TopicModel.schema).columns("id", "name", "slug").rows(newTopics).run()
            }
        }

        // Zipf weights: the n-th organization issues about 1/n as many releases as the first.
        let weights = (1...organizationCount).map { 1.0 / Double($0) }
        let cumulative = weights.reduce(into: [Double]()) { $0.append(($0.last ?? 0) + $1) }
        let total = cumulative.last!
        let twentyYears: TimeInterval = 20 * 365.25 * 86_400
        let now = Date()
        // Slugs are numbered on from what the database holds, so a second run adds to the first.
        let numberedFrom = try await ReleaseModel.query(on: hub.database).count()
        var written = 0
        var hidden = 0
        while written < options.releases {
            let count = min(Self.batchSize, options.releases - written)
            var releaseRows: [[any SQLExpression]] = []
            var topicRows: [[any SQLExpression]] = []
            var eventRows: [[any SQLExpression]] = []
            var documents: [SearchDocument] = []
            for offset in 0..<count {
                let number = numberedFrom + written + offset + 1
                let text = texts[Int(random.next() % UInt64(texts.count))]
                let pick = random.unit() * total
                var low = 0, high = cumulative.count - 1
                while low < high {
                    let middle = (low + high) / 2
                    if cumulative[middle] < pick { low = middle + 1 } else { high = middle }
                }
                let organizationID = organizationIDs[low]
                let releasedAt = now.addingTimeInterval(-random.unit() * twentyYears)
                let id = ReleaseID().rawValue
                let headline = text.headline
                let slug = (Slug(making: headline) ?? Slug(making: "release")!).numbered(number).rawValue
                // A few in a thousand hidden: embargoed for a week, or drafts; a few corrected.
                let roll = random.next() % 1000
                let status: ReleaseStatus = roll < 3 ? .embargoed : roll < 5 ? .draft : roll < 10 ? .corrected : .published
                let embargoUntil: Date? = status == .embargoed ? now.addingTimeInterval(7 * 86_400) : nil
                if status == .embargoed || status == .draft { hidden += 1 }
                let publishedAt: Date? = status.isPubliclyReadable ? releasedAt : nil
                if ReleaseStatus.listed.contains(status) {
                    documents.append(SearchDocument(id: id, language: text.language, headline: headline, subheadline: text.subheadline, body: text.body))
                }
                releaseRows.append([
                    SQLBind(id), SQLBind(slug), SQLBind(headline), SQLBind(text.subheadline),
                    SQLBind(embargoUntil == nil ? "immediate" : "embargoed"), SQLBind(embargoUntil),
                    SQLBind(text.datelineCity), SQLBind(releasedAt), SQLBind("UTC"), SQLBind(text.body),
                    SQLBind(text.language), SQLBind(organizationID), SQLBind(status.rawValue), SQLBind(publishedAt),
                    SQLBind(releasedAt), SQLBind(releasedAt), SQLBind(status == .corrected ? 2 : 1),
                ])
                let topicCount = 1 + Int(random.next() % 3)
                var chosen = Set<Int>()
                while chosen.count < topicCount { chosen.insert(Int(random.next() % UInt64(topicIDs.count))) }
                for topic in chosen.sorted() {
                    topicRows.append([SQLBind(UUID()), SQLBind(id), SQLBind(topicIDs[topic])])
                }
                eventRows.append([SQLBind(UUID()), SQLBind(id), SQLBind(Optional<String>.none), SQLBind(status.rawValue), SQLBind("cli:bench-data"), SQLBind(releasedAt)])
            }
            try await hub.writeSQL { [releaseRows, topicRows, eventRows, documents] sql in
                try await sql.insert(into: ReleaseModel.schema)
                    .columns("id", "slug", "headline", "subheadline", "timing", "embargo_until", "dateline_city", "released_at",
                             "time_zone", "body", "language", "organization_id", "status", "published_at", "created_at", "updated_at", "version")
                    .rows(releaseRows)
                    .run()
                for chunk in stride(from: 0, to: topicRows.count, by: Self.batchSize) {
                    try await sql.insert(into: ReleaseTopicModel.schema).columns("id", "release_id", "topic_id")
                        .rows(Array(topicRows[chunk..<min(chunk + Self.batchSize, topicRows.count)])).run()
                }
                try await sql.insert(into: ReleaseEventModel.schema).columns("id", "release_id", "from_status", "to_status", "actor", "at")
                    .rows(eventRows).run()
                // The batch's listed releases enter the search index in the same transaction.
                try await SearchEngines.engine(for: sql).put(documents, on: sql)
            }
            written += count
            progress(written)
        }
        // Whatever a page cache of a running server holds is out of date now.
        try await hub.write { try await PageCacheInvalidation.record([.everything], on: $0) }
        try await hub.refreshPlannerStatistics()
        return Summary(releases: written, hidden: hidden, organizations: organizationCount, topics: topicIDs.count,
                       texts: texts.count, seconds: Date().timeIntervalSince(started))
    }

    /// Reads every release text in `Samples/` and `folders` through the importer; texts the
    /// importer finds no headline or body in are left out.
    func readTexts(_ folders: [URL]) throws -> [Text] {
        var files: [URL] = []
        for folder in [settings.samplesDirectory] + folders {
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else {
                throw BenchDataError(message: "Cannot read the folder \(folder.path).")
            }
            files += names.sorted().filter { $0.hasSuffix(".txt") || $0.hasSuffix(".html") || $0.hasSuffix(".htm") }
                .map { folder.appendingPathComponent($0) }
        }
        let texts: [Text] = files.compactMap { file in
            guard let data = try? Data(contentsOf: file), let raw = try? ReleaseImporter.extract(data: data) else { return nil }
            let release = raw.cleaned
            guard let headline = release.headline, !headline.isEmpty, !release.body.isEmpty else { return nil }
            return Text(headline: headline, subheadline: release.subheadline, body: ImportedBody.markdown(release.body),
                        language: (LanguageTag(release.language) ?? .english).rawValue, datelineCity: release.datelineCity)
        }
        guard !texts.isEmpty else {
            throw BenchDataError(message: "No release text could be read in \(([settings.samplesDirectory] + folders).map(\.path).joined(separator: ", ")).")
        }
        return texts
    }
}

/// `dateline bench-data` could not run; the message says why.
public struct BenchDataError: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}

/// A small seeded generator (SplitMix64), so the same seed makes the same archive.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A value in 0..<1.
    mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }
}
