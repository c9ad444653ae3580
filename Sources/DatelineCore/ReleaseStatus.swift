/// Where a release stands in its life, from draft to publication and beyond.
///
/// The allowed transitions live here and nowhere else; the newsroom, the scheduler and the
/// importer all ask ``ReleaseStatus/transition(to:)`` before they write a new status.
public enum ReleaseStatus: String, CaseIterable, Sendable, Codable {
    case draft, submitted, returned, scheduled, embargoed, published, corrected, retracted

    /// Statuses whose release may be shown on public surfaces (pages, feeds, API reads).
    /// A retracted release keeps its URL with a notice to disregard, but leaves listings.
    public static let publiclyReadable: [ReleaseStatus] = [.published, .corrected, .retracted]

    /// Statuses whose release appears in listings and feeds.
    public static let listed: [ReleaseStatus] = [.published, .corrected]

    /// The statuses this one may move to.
    public var allowedNext: Set<ReleaseStatus> {
        switch self {
        case .draft: [.submitted, .scheduled, .embargoed, .published]
        case .submitted: [.returned, .scheduled, .embargoed, .published, .draft]
        case .returned: [.draft, .submitted]
        case .scheduled: [.published, .draft, .returned]
        case .embargoed: [.published, .draft, .returned]
        case .published: [.corrected, .retracted]
        case .corrected: [.corrected, .retracted]
        case .retracted: []
        }
    }

    /// Checks a move to `next`.
    /// - Returns: `next`, when the move is allowed.
    /// - Throws: ``ReleaseStatusError/notAllowed(from:to:)`` when it is not.
    public func transition(to next: ReleaseStatus) throws(ReleaseStatusError) -> ReleaseStatus {
        guard allowedNext.contains(next) else { throw .notAllowed(from: self, to: next) }
        return next
    }

    /// Whether the release may be shown on public surfaces.
    public var isPubliclyReadable: Bool { Self.publiclyReadable.contains(self) }
}

/// A refused status change.
public enum ReleaseStatusError: Error, Equatable, CustomStringConvertible {
    case notAllowed(from: ReleaseStatus, to: ReleaseStatus)

    public var description: String {
        switch self {
        case .notAllowed(let from, let to):
            "A \(from.rawValue) release cannot become \(to.rawValue)."
        }
    }
}
