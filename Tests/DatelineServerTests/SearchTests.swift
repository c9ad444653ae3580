import DatelineCore
@testable import DatelineServer
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Hummingbird
import HummingbirdTesting
import ReleaseImport
import Testing

/// Full-text search (`/search`, `/search.json`), on whichever engine the suite runs on.
@Suite("Search")
struct SearchTests {
    static func release(_ headline: String, body: String, issuer: String = "Rivers Trust", language: String = "en", until: Date? = nil) -> ImportedRelease {
        var release = ImportedRelease(headline: headline, language: language)
        release.issuer = issuer
        release.body = [body]
        if let until {
            release.releaseTiming = .embargoed
            release.embargoUntil = until
        }
        return release
    }

    struct Answer: Decodable {
        struct Result: Decodable { var headline: String; var url: String; var snippet: String; var language: String }
        struct Value: Decodable { var value: String; var count: Int; var url: String }
        struct Facets: Decodable { var organization: [Value]; var topic: [Value]; var language: [Value]; var year: [Value] }
        var total: Int
        var totalIsLowerBound: Bool
        var results: [Result]
        var facets: Facets
    }

    static func encode(_ text: String) -> String { SiteURL.encodeQueryValue(text) }

    static func json(_ client: any TestClientProtocol, _ path: String) async throws -> Answer {
        try await client.execute(uri: path, method: .get) { response in
            #expect(response.status == .ok, "\(path)")
            return try JSONDecoder().decode(Answer.self, from: Data(buffer: response.body))
        }
    }

    static func search(_ client: any TestClientProtocol, _ q: String, _ extra: String = "") async throws -> Answer {
        try await json(client, "/search.json?q=\(encode(q))\(extra)")
    }

    @Test("Words, phrases, exclusions and OR; a headline match outranks one mention in a body; diacritics fold; an Arabic query; facet counts equal the results they lead to")
    func querySyntaxAndFacets() async throws {
        try await withApp { client, store in
            // setup
            let options = ImportOptions(publish: true, topics: ["Water"])
            _ = try await store.store(Self.release("Drought emergency declared in the north", body: "Wells are dry across the region."), options: options)
            _ = try await store.store(Self.release("Annual budget adopted", body: "The council also discussed the drought once.", issuer: "City Council"), options: ImportOptions(publish: true, topics: ["Finance"]))
            _ = try await store.store(Self.release("Élections régionales", body: "Le résumé des élections est publié.", language: "fr"), options: ImportOptions(publish: true, topics: ["Elections"]))
            _ = try await store.store(Self.release("Neue Häuser für Familien", body: "Die Stadt baut Häuser am Fluss.", issuer: "City Council", language: "de"), options: options)
            _ = try await store.store(Self.release("بيان صحفي عن المياه", body: "وزارة المياه تعلن خطة جديدة للري.", language: "ar"), options: options)
            _ = try await store.store(Self.release("Policy paper", body: "A climate change policy for the valley."), options: options)
            _ = try await store.store(Self.release("Field notes", body: "The change of climate was felt in spring."), options: options)

            // MUT + validation
            let drought = try await Self.search(client, "drought")
            #expect(drought.results.map(\.headline) == ["Drought emergency declared in the north", "Annual budget adopted"], "the headline match ranks first")
            #expect(drought.results.first?.snippet.contains("<mark>") == false, "the first has no body match to mark")
            #expect(drought.results.last?.snippet.contains("<mark>drought</mark>") == true)

            // The words SQLite files facet filters under are not the releases' words.
            for filterWord in ["len", "oriverstrust", "twater", "\"len oriverstrust\""] {
                #expect(try await Self.search(client, filterWord).total == 0, "\(filterWord) matches only words of the releases")
            }
            #expect(try await Self.search(client, "\"climate change\"").results.map(\.headline) == ["Policy paper"], "a phrase keeps its order")
            #expect(Set(try await Self.search(client, "climate change").results.map(\.headline)) == ["Policy paper", "Field notes"])
            #expect(try await Self.search(client, "drought -budget").results.map(\.headline) == ["Drought emergency declared in the north"])
            #expect(Set(try await Self.search(client, "wells OR budget").results.map(\.headline)) == ["Drought emergency declared in the north", "Annual budget adopted"])
            #expect(try await Self.search(client, "wells budget").total == 0, "words without OR must all be found")

            // Diacritics fold both ways.
            #expect(try await Self.search(client, "resume").results.map(\.headline) == ["Élections régionales"])
            #expect(try await Self.search(client, "RÉSUMÉ").total == 1)
            #expect(try await Self.search(client, "elections").results.map(\.headline) == ["Élections régionales"])
            // An Arabic query.
            let arabic = try await Self.search(client, "المياه")
            #expect(arabic.results.map(\.language) == ["ar"])
            #expect(arabic.results.first?.snippet.contains("<mark>المياه</mark>") == true)
            // English stemming on both engines: a plural finds the singular.
            #expect(try await Self.search(client, "well").results.map(\.headline) == ["Drought emergency declared in the north"])

            // A German plural and its singular: PostgreSQL stems German; SQLite's only stemmer is
            // English Porter, which leaves "hauser" (folded "Häuser") and "haus" apart.
            let haus = try await Self.search(client, "Haus")
            if TestDatabase.postgresServerURL != nil {
                #expect(haus.results.map(\.language) == ["de"], "German stemming on PostgreSQL")
            } else {
                #expect(haus.total == 0, "SQLite has no German stemmer")
            }
            #expect(try await Self.search(client, "Häuser").results.map(\.language) == ["de"], "the form in the text is found on both")

            // Facets: every value's count is the number of results its link leads to.
            for q in ["the", "drought", "water OR stadt OR المياه OR climate"] {
                let answer = try await Self.search(client, q)
                #expect(answer.total > 0, "\(q)")
                for value in answer.facets.organization + answer.facets.topic + answer.facets.language + answer.facets.year {
                    let path = String(value.url.dropFirst("https://wire.example.org".count))
                    let narrowed = try await Self.json(client, path)
                    #expect(narrowed.total == value.count, "\(q): \(value.value) leads to \(narrowed.total), counted \(value.count)")
                    #expect(narrowed.total <= answer.total)
                }
            }
            let years = try await Self.search(client, "the").facets.year
            #expect(years.count == 1 && years.first?.value == String(ReleaseSearch.year(of: Date(timeIntervalSince1970: 1_780_000_000))))

            // The HTML page shows the results, facets and marked snippets, escaped.
            let page = try await client.execute(uri: "/search?q=drought", method: .get) { String(buffer: $0.body) }
            #expect(page.contains("Drought emergency declared in the north"))
            #expect(page.contains("<mark>drought</mark>"))
            #expect(page.contains("search-facets"))
            #expect(page.contains("2 releases match"))
            // Sorted newest first as asked.
            #expect(try await Self.search(client, "drought", "&sort=newest").total == 2)
        }
    }

    @Test(
        "PostgreSQL's two plans, the walk in date order and the GIN index, find the same releases in the same order for every kind of query, and the sampled choice agrees with both",
        .enabled(if: TestDatabase.postgresServerURL != nil, "PostgreSQL only: SQLite has one plan")
    )
    func postgresPlansAgree() async throws {
        let clock = TestClock()
        try await withApp(clock: clock) { _, store in
            // setup: releases in two languages from two organizations, released a day apart
            let texts: [(String, String, String, String)] = [
                ("Flood warning for the river valley", "The river rose overnight; homes near the river were evacuated.", "Rivers Trust", "en"),
                ("Drought plan adopted", "The council adopted a drought plan for the river basin.", "City Council", "en"),
                ("New wells for the valley", "Wells were drilled after the drought.", "Rivers Trust", "en"),
                ("Crue de la rivière", "La rivière a débordé près des maisons.", "Rivers Trust", "fr"),
                ("Budget for flood defences", "Flood defences and river walls are funded.", "City Council", "en"),
                ("Neue Häuser am Fluss", "Die Stadt baut Häuser am Fluss.", "City Council", "de"),
            ]
            for (headline, body, issuer, language) in texts {
                _ = try await store.store(Self.release(headline, body: body, issuer: issuer, language: language), options: ImportOptions(publish: true, topics: ["Water"]))
                clock.advance(by: 86_400)
            }
            let queries = ["river", "flood river", "\"river valley\"", "river -flood", "drought OR wells", "haus", "rivière", "nothing-here"]
            let filters: [(String, (inout SearchParameters) -> Void)] = [
                ("none", { _ in }),
                ("language", { $0.language = LanguageTag("en") }),
                ("organization", { $0.organization = Slug(validating: "rivers-trust") }),
                ("year", { $0.year = ReleaseSearch.year(of: clock.now) }),
            ]
            let releases = PublicReleases(database: try store.hub.database, now: clock.now)
            var compared = 0
            for q in queries {
                for (name, apply) in filters {
                    for sort in [SearchSort.relevance, .newest] {
                        var parameters = SearchParameters()
                        parameters.q = q
                        parameters.sort = sort
                        apply(&parameters)
                        func found(_ plan: PostgresReleaseSearch.Plan) async throws -> [String] {
                            let results = try await ReleaseSearch(releases: releases, engine: PostgresReleaseSearch(plan: plan)).search(parameters, per: 50)
                            return results?.hits.map(\.headline) ?? []
                        }
                        let walked = try await found(.walk)
                        #expect(walked == (try await found(.index)), "\(q) with \(name) filter, \(sort)")
                        #expect(walked == (try await found(.sampled)), "\(q) with \(name) filter, \(sort)")
                        // A sample and a walk too small for these releases: the sample decides, the
                        // walk finds too few, and the GIN index answers.
                        let small = try await ReleaseSearch(releases: releases, engine: PostgresReleaseSearch(plan: .sampled, walkRows: 2, sampleSize: 2)).search(parameters, per: 50)
                        #expect(walked == (small?.hits.map(\.headline) ?? []), "\(q) with \(name) filter, \(sort), small sample")
                        if !walked.isEmpty { compared += 1 }
                    }
                }
            }
            // Most queries find something, so the comparison is not between empty lists.
            #expect(compared >= 30)
            var river = SearchParameters()
            river.q = "river"
            river.sort = .newest
            #expect(try await ReleaseSearch(releases: releases, engine: PostgresReleaseSearch(plan: .index)).search(river, per: 50)?.hits.map(\.headline)
                == ["Budget for flood defences", "Drought plan adopted", "Flood warning for the river valley"])
        }
    }

    @Test("Any input answers a page: FTS syntax, unbalanced quotes, 10 KB of text, control characters, bad parameters; empty queries and no results say so")
    func hostileInput() async throws {
        try await withApp { client, store in
            _ = try await store.store(Self.release("Drought emergency", body: "Wells are dry."), options: ImportOptions(publish: true))
            let inputs = [
                "\"", "\"\"\"", "\"unbalanced drought", "NEAR(drought wells)", "drought*", "^drought", "headline:drought", "OR", "OR OR drought OR",
                "-", "- -drought", "-drought", "AND OR NOT", "(", ")", "'; DROP TABLE releases; --", "\u{0}\u{1}\u{7f}drought", "🌊 💧",
                "{}[]", "drought\"\"wells", String(repeating: "drought wells \"phrase ", count: 800), "%", "ü" + String(repeating: "\u{301}", count: 500),
            ]
            for input in inputs {
                for route in ["/search", "/search.json"] {
                    let status = try await client.execute(uri: "\(route)?q=\(Self.encode(input))", method: .get) { $0.status }
                    #expect(status == .ok, "\(route) with \(input.prefix(40))")
                }
            }
            for raw in ["q=%ZZ%", "q=drought&page=-1", "q=drought&page=99999999999999999999", "q=drought&page=40", "q=drought&year=abc",
                        "q=drought&language=!!!", "q=drought&organization=%00", "q=drought&sort=random", "q=drought&q=wells", "q", "&&&=", "q=drought+wells"] {
                for route in ["/search", "/search.json"] {
                    let status = try await client.execute(uri: "\(route)?\(raw)", method: .get) { $0.status }
                    #expect(status == .ok, "\(route)?\(raw)")
                }
            }
            #expect(try await Self.json(client, "/search.json?q=drought+wells").total == 1, "+ is a space, as forms send it")
            let empty = try await client.execute(uri: "/search", method: .get) { String(buffer: $0.body) }
            #expect(empty.contains("Type a word or two"))
            let none = try await client.execute(uri: "/search?q=drought+zebra&year=2001", method: .get) { String(buffer: $0.body) }
            #expect(none.contains("No releases match"))
            #expect(none.contains("without filters"))
            #expect(none.contains("any of the words"))
            // The header of every public page has the search box and the OpenSearch link.
            let home = try await client.execute(uri: "/", method: .get) { String(buffer: $0.body) }
            #expect(home.contains("action=\"/search\""))
            #expect(home.contains("rel=\"search\" type=\"application/opensearchdescription+xml\""))
            let description = try await client.execute(uri: "/opensearch.xml", method: .get) { ($0.headers[.contentType], String(buffer: $0.body)) }
            #expect(description.0?.hasPrefix("application/opensearchdescription+xml") == true)
            #expect(description.1.contains("template=\"https://wire.example.org/search?q={searchTerms}&amp;page={startPage?}\""))
            _ = try XMLDocumentCheck.parse(description.1)
        }
    }

    @Test("An embargoed release's words find nothing until the lift and find it right after; a retracted release leaves; a correction is found by its new words, not its removed ones")
    func publicReadPath() async throws {
        let clock = TestClock()
        try await withApp(clock: clock) { client, store in
            // setup
            let marker = "zq\(Int.random(in: 100_000...999_999))"
            guard case .imported(_, let slug, _) = try await store.store(Self.release("Merger agreed", body: "Terms of the merger \(marker).", until: clock.now.addingTimeInterval(3600)), options: ImportOptions(publish: true)) else {
                Issue.record("not imported"); return
            }
            guard case .imported(_, let other, _) = try await store.store(Self.release("Harvest report", body: "The oldword harvest was large."), options: ImportOptions(publish: true)) else {
                Issue.record("not imported"); return
            }

            // Before the lift: nothing, on the page and in the JSON.
            for path in ["/search?q=\(marker)", "/search.json?q=\(marker)", "/search?q=merger", "/search.json?q=merger&sort=newest"] {
                let body = try await client.execute(uri: path, method: .get) { String(buffer: $0.body) }
                // The page repeats the reader's query; it must show nothing of the release.
                #expect(!body.contains(slug) && !body.contains("Merger agreed") && !body.contains("Terms of the merger"), "\(path) before the lift")
            }
            #expect(try await Self.search(client, marker).total == 0)

            // Right after the lift.
            clock.advance(by: 3601)
            await ReleaseScheduler(hub: store.hub, logger: quietLogger, clock: { clock.now }).publishDue()
            #expect(try await Self.search(client, marker).results.map(\.headline) == ["Merger agreed"])
            let page = try await client.execute(uri: "/search?q=\(marker)", method: .get) { String(buffer: $0.body) }
            #expect(page.contains("/releases/\(slug)"))

            // A correction: new words found, removed words not.
            try await ReleaseCorrections(hub: store.hub, clock: { clock.now }).correct(other, body: "The newword harvest was large.", note: "Wrong word.", actor: "cli:operator")
            #expect(try await Self.search(client, "oldword").total == 0)
            #expect(try await Self.search(client, "newword").results.map(\.headline) == ["Harvest report"])

            // A retraction leaves the results.
            try await ReleaseCorrections(hub: store.hub, clock: { clock.now }).retract(slug, note: "Withdrawn.", actor: "cli:operator")
            #expect(try await Self.search(client, marker).total == 0)
            let after = try await client.execute(uri: "/search.json?q=merger", method: .get) { String(buffer: $0.body) }
            #expect(!after.contains(slug))
        }
    }

    @Test("The lift is checked when searching, not only when indexing: a published row whose embargo has not lifted is not found even when it is in the index; a draft's words are never found")
    func liftCheckedAtQueryTime() async throws {
        let clock = TestClock()
        try await withApp(clock: clock) { client, store in
            // setup: an embargoed release forced into the index with a public status, as a
            // fault elsewhere might leave it, and a draft
            let marker = "zk\(Int.random(in: 100_000...999_999))"
            guard case .imported(let id, _, _) = try await store.store(Self.release("Takeover terms", body: "The takeover \(marker) is agreed.", until: clock.now.addingTimeInterval(3600)), options: ImportOptions(publish: true)) else {
                Issue.record("not imported"); return
            }
            let draftMarker = "zd\(Int.random(in: 100_000...999_999))"
            _ = try await store.store(Self.release("Draft statement", body: "Not yet \(draftMarker)."), options: ImportOptions(publish: false))
            try await store.hub.writeSQL { sql in
                try await sql.raw("UPDATE releases SET status = 'published' WHERE id = \(bind: id)").run()
                try await SearchEngines.engine(for: sql).put([SearchDocument(id: id, language: "en", headline: "Takeover terms", subheadline: nil, body: "The takeover \(marker) is agreed.")], on: sql)
            }

            // MUT + validation: before the lift time, nothing; after it, the release
            #expect(try await Self.search(client, marker).total == 0)
            #expect(try await Self.search(client, "takeover").total == 0)
            #expect(try await Self.search(client, draftMarker).total == 0)
            clock.advance(by: 3601)
            #expect(try await Self.search(client, marker).results.map(\.headline) == ["Takeover terms"])
            #expect(try await Self.search(client, draftMarker).total == 0)
        }
    }

    @Test("The query parser: terms, phrases, exclusions, OR, limits; FTS5 text holds only quoted words")
    func parser() {
        let query = SearchQuery(parsing: "Climate \"sea level\" -coal wind OR solar \"unbalanced")
        #expect(query.groups.map { $0.map(\.words) } == [[["climate"]], [["sea", "level"]], [["wind"], ["solar"]], [["unbalanced"]]])
        #expect(query.excluded.map(\.words) == [["coal"]])
        #expect(query.fts5 == "((\"climate\") AND (\"sea level\") AND (\"wind\" OR \"solar\") AND (\"unbalanced\")) NOT \"coal\"")
        #expect(SearchQuery(parsing: "-only -excluded").isEmpty)
        #expect(SearchQuery(parsing: "\" ( ) * ^ : NEAR").groups.map { $0.map(\.words) } == [[["near"]]])
        #expect(SearchQuery(parsing: String(repeating: "word ", count: 1000)).groups.count == SearchQuery.maximumTerms)
        #expect(SearchText.fold("Résumé Straße ØRE") == "resume strasse ore")
    }
}

/// Well-formedness of a small XML document, by Foundation's parser.
enum XMLDocumentCheck {
    struct NotWellFormed: Error {}
    static func parse(_ text: String) throws -> Bool {
        let parser = XMLParser(data: Data(text.utf8))
        guard parser.parse() else { throw NotWellFormed() }
        return true
    }
}
