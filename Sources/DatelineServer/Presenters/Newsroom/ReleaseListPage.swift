import Mustache

/// The newsroom's release list: the review queue, filters and a page of releases (`newsroom-releases.mustache`).
struct ReleaseListPage {
    var layout: PageLayout
    var csrf: String
    var isEditor: Bool
    var reviewQueue: [NewsroomReleaseRow]
    var hasReviewQueue: Bool
    var releases: [NewsroomReleaseRow]
    var hasReleases: Bool
    /// The organizations this user writes for (the paste form).
    var organizations: [FormOption]
    var hasOrganizations: Bool
    /// The filter form: organizations, statuses and the headline words, as chosen.
    var filterOrganizations: [FormOption]
    var statuses: [FormOption]
    var headlineQuery: String
    var isFiltered: Bool
    var page: Int
    var newerPath: String?
    var olderPath: String?
}

extension ReleaseListPage: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "layout": layout
        case "csrf": csrf
        case "isEditor": isEditor
        case "reviewQueue": reviewQueue
        case "hasReviewQueue": hasReviewQueue
        case "releases": releases
        case "hasReleases": hasReleases
        case "organizations": organizations
        case "hasOrganizations": hasOrganizations
        case "filterOrganizations": filterOrganizations
        case "statuses": statuses
        case "headlineQuery": headlineQuery
        case "isFiltered": isFiltered
        case "page": page
        case "newerPath": newerPath
        case "olderPath": olderPath
        default: nil
        }
    }
}
