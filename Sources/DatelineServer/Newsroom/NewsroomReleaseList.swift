import DatelineCore
import FluentKit
import FluentSQL
import Foundation
import Hummingbird

/// The newsroom's release list as its address gives it:
/// `/newsroom/releases?status=STATUS&organization=SLUG&q=WORDS&page=N`. Values that do not
/// read (an unknown status, a malformed slug, a page out of range) are dropped, never an error.
struct NewsroomReleaseFilter: Equatable, Sendable {
    var status: ReleaseStatus?
    var organization: Slug?
    /// Words the headline contains, case aside; at most 200 characters.
    var headline = ""
    var page = 1

    static let maximumPage = 10_000

    init() {}

    init(_ parameters: Parameters) {
        status = parameters.get("status").flatMap { ReleaseStatus(rawValue: String($0)) }
        organization = parameters.get("organization").flatMap { $0.isEmpty ? nil : Slug(validating: String($0)) }
        headline = String(PlainText.clean(parameters.get("q").map { String($0) } ?? "").trimmingCharacters(in: .whitespacesAndNewlines).prefix(200))
        page = Self.page(parameters)
    }

    /// The `page` parameter, 1 when absent or out of range.
    static func page(_ parameters: Parameters) -> Int {
        parameters.get("page").flatMap { Int($0) }.flatMap { (1...maximumPage).contains($0) ? $0 : nil } ?? 1
    }

    var isFiltered: Bool { status != nil || organization != nil || !headline.isEmpty }

    /// The list's address with these filters, at `page`.
    func path(page: Int) -> String {
        var items: [String] = []
        if let status { items.append("status=\(status.rawValue)") }
        if let organization { items.append("organization=\(organization.rawValue)") }
        if !headline.isEmpty { items.append("q=\(SiteURL.encodeQueryValue(headline))") }
        if page > 1 { items.append("page=\(page)") }
        return NewsroomURL.releases.path + (items.isEmpty ? "" : "?" + items.joined(separator: "&"))
    }
}

extension NewsroomAccess {
    /// Releases per page of the newsroom's list.
    static let releasesPerPage = 50

    /// One page of the releases this user may see, matching `filter`, the last changed first:
    /// the rows, and whether an older page follows. One query for the page (`per` + 1 rows,
    /// so no count of the archive), one for its submission times.
    func releases(_ filter: NewsroomReleaseFilter, per: Int = releasesPerPage) async throws -> (rows: [NewsroomReleaseRow], hasOlder: Bool) {
        let query = ReleaseModel.query(on: database).with(\.$organization)
            .sort(\.$updatedAt, .descending).sort(\.$id, .descending)
            .offset((filter.page - 1) * per).limit(per + 1)
        if !isEditor { query.filter(\.$organization.$id ~~ (try await organizations().compactMap(\.id))) }
        if let status = filter.status { query.filter(\.$status == status.rawValue) }
        if let organization = filter.organization {
            query.join(OrganizationModel.self, on: \ReleaseModel.$organization.$id == \OrganizationModel.$id)
                .filter(OrganizationModel.self, \.$slug == organization.rawValue)
        }
        if !filter.headline.isEmpty {
            // Contains, case aside, on both databases; the reader's % and _ are matched as themselves.
            query.filter(.sql(embed: "LOWER(\(ident: ReleaseModel.schema).\(ident: "headline")) LIKE \(bind: LikePattern.contains(filter.headline)) ESCAPE '\\'"))
        }
        let releases = try await query.all()
        return (try await rows(Array(releases.prefix(per))), releases.count > per)
    }

    /// Releases waiting for an editor (submitted), the longest waiting first, at most 200.
    func reviewQueue() async throws -> [NewsroomReleaseRow] {
        guard isEditor else { return [] }
        let releases = try await ReleaseModel.query(on: database).with(\.$organization)
            .filter(\.$status == ReleaseStatus.submitted.rawValue)
            .sort(\.$updatedAt, .ascending).limit(200).all()
        return try await rows(releases)
    }

    private func rows(_ releases: [ReleaseModel]) async throws -> [NewsroomReleaseRow] {
        let ids = releases.compactMap(\.id)
        var submitted: [String: Date] = [:]
        if !ids.isEmpty {
            for event in try await ReleaseEventModel.query(on: database).filter(\.$release.$id ~~ ids).filter(\.$toStatus == ReleaseStatus.submitted.rawValue).all() {
                let id = event.$release.id
                if submitted[id].map({ $0 < event.at }) ?? true { submitted[id] = event.at }
            }
        }
        return releases.map { release in
            let status = release.releaseStatus
            let time: (String, Date?)? = switch status {
            case .embargoed: ("Lifts", release.embargoUntil)
            case .scheduled: ("Publishes", release.scheduledAt)
            case .published, .corrected, .retracted: ("Published", release.publishedAt)
            default: nil
            }
            return NewsroomReleaseRow(
                headline: release.headline, organization: release.organization.name, status: release.status,
                path: NewsroomURL.release(id: release.id!).path,
                created: release.createdAt.map(Self.minute) ?? "",
                submitted: submitted[release.id!].map(Self.minute),
                timeLabel: time?.1 == nil ? nil : time?.0,
                time: time?.1.map(Self.minute),
                changed: release.updatedAt.map(Self.minute) ?? ""
            )
        }
    }

    /// `YYYY-MM-DD HH:MM`, UTC.
    static func minute(_ date: Date) -> String {
        NewsroomFormChoices.formatLocal(date).replacingOccurrences(of: "T", with: " ")
    }
}
