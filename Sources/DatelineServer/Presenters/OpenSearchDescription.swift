import DatelineCore
import Foundation
import Hummingbird

/// The OpenSearch 1.1 description document's values (`opensearch.mustache`).
struct OpenSearchDescription {
    /// At most 16 characters (OpenSearch 1.1).
    var shortName: String
    var siteName: String
    var htmlTemplate: String
    var jsonTemplate: String
    var selfURL: String

    init(settings: Settings) {
        let base = settings.baseURL.absoluteString
        shortName = String(settings.siteName.prefix(16))
        siteName = settings.siteName
        htmlTemplate = base + SearchURL.page + "?q={searchTerms}&page={startPage?}"
        jsonTemplate = base + SearchURL.json + "?q={searchTerms}&page={startPage?}"
        selfURL = base + SearchURL.openSearch
    }
}
