import Foundation

/// The release fields a web page declares about itself, read from schema.org JSON-LD
/// (`NewsArticle`, `Article`, `PressRelease`, `BlogPosting`, `Report`), Open Graph /
/// `article:` meta properties, `<time datetime>` and `<html lang>`.
///
/// Values are taken as the page states them; nothing is fetched (JSON-LD `@id` references
/// are resolved only within the page's own `@graph`).
struct PageMetadata: Equatable {
    var headline: String?
    /// `YYYY-MM-DD`, the calendar date as written in the page's own offset (no conversion to UTC).
    var date: String?
    /// Publisher or author named in JSON-LD, when it is typed `Organization` (or a subtype).
    var organization: String?
    /// BCP 47 tag, e.g. "en-GB".
    var language: String?

    private static let articleTypes: Set<String> = ["newsarticle", "article", "pressrelease", "blogposting", "report", "reportagenewsarticle", "analysisnewsarticle", "backgroundnewsarticle", "scholarlyarticle"]
    private static let organizationTypes: Set<String> = ["organization", "corporation", "governmentorganization", "ngo", "newsmediaorganization", "educationalorganization", "collegeoruniversity", "localbusiness", "researchorganization", "medicalorganization"]

    init(page: HTMLPage) {
        var objects: [[String: Any]] = []
        for source in page.jsonLD { objects += Self.objects(in: source) }
        let byID = Dictionary(objects.compactMap { o in (o["@id"] as? String).map { ($0, o) } }, uniquingKeysWith: { a, _ in a })
        let article = objects.first { Self.types(of: $0).contains(where: Self.articleTypes.contains) }
        if let article {
            headline = (article["headline"] as? String).map(Self.clean).flatMap { $0.isEmpty ? nil : $0 }
            date = (article["datePublished"] as? String).flatMap(Self.isoDate)
            for key in ["publisher", "author", "sourceOrganization"] where organization == nil {
                organization = Self.organizationName(article[key], byID: byID)
            }
            language = article["inLanguage"] as? String
        }
        if headline == nil { headline = page.meta["og:title"] ?? page.meta["twitter:title"] }
        if date == nil {
            date = [page.meta["article:published_time"], page.meta["datepublished"], page.times.first, page.meta["date"],
                    page.meta["dcterms.date"], page.meta["dc.date"], page.meta["dc.date.issued"]]
                .lazy.compactMap { $0.flatMap(Self.isoDate) }.first
        }
        language = page.language ?? language ?? page.meta["og:locale"]?.replacingOccurrences(of: "_", with: "-")
    }

    /// The headline a JSON-LD block declares for its article, if any.
    static func headline(inJSONLD source: String) -> String? {
        objects(in: source).first { types(of: $0).contains(where: articleTypes.contains) }
            .flatMap { $0["headline"] as? String }.map(clean)
    }

    /// Every JSON object in a JSON-LD block: the top level, arrays, and `@graph` members.
    private static func objects(in source: String) -> [[String: Any]] {
        // Each replacement only when its text occurs: Foundation's copies a long JSON-LD block
        // through UTF-16 even when there is nothing to replace, and most blocks hold none of these.
        var trimmed = source.trimmed
        for marker in ["<!--", "-->", "//<![CDATA[", "//]]>"] where trimmed.bytesContain(marker) {
            trimmed = trimmed.replacingOccurrences(of: marker, with: "")
        }
        guard let data = trimmed.data(using: .utf8),
              let json = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) else { return [] }
        var out: [[String: Any]] = []
        var pending: [Any] = [json]
        while let item = pending.popLast(), out.count < 500 {
            if let array = item as? [Any] { pending += array.reversed(); continue }
            guard let object = item as? [String: Any] else { continue }
            out.append(object)
            if let graph = object["@graph"] { pending.append(graph) }
        }
        return out
    }

    private static func types(of object: [String: Any]) -> [String] {
        if let t = object["@type"] as? String { return [t.lowercased()] }
        if let ts = object["@type"] as? [Any] { return ts.compactMap { ($0 as? String)?.lowercased() } }
        return []
    }

    private static func organizationName(_ value: Any?, byID: [String: [String: Any]]) -> String? {
        var candidates: [Any] = []
        if let array = value as? [Any] { candidates = array } else if let value { candidates = [value] }
        for c in candidates {
            guard var object = c as? [String: Any] else { continue }
            if object["name"] == nil, let id = object["@id"] as? String, let resolved = byID[id] { object = resolved }
            guard types(of: object).contains(where: organizationTypes.contains),
                  let name = (object["name"] as? String).map(clean), !name.isEmpty else { continue }
            return name
        }
        return nil
    }

    private static func clean(_ s: String) -> String {
        s.replacingOccurrences(of: "\u{AD}", with: "").split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }

    /// The `YYYY-MM-DD` that begins an ISO 8601 date or date-time.
    static func isoDate(_ s: String) -> String? {
        let t = s.trimmed
        guard let m = isoPrefix.match(t), let y = m[1], let mo = m[2], let d = m[3],
              let month = Int(mo), (1...12).contains(month), let day = Int(d), (1...31).contains(day) else { return nil }
        return "\(y)-\(mo)-\(d)"
    }

    private static let isoPrefix = Rx(#"^(\d{4})-(\d{2})-(\d{2})(?:$|[T\s])"#)
}
