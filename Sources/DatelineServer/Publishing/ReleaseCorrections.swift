import DatelineCore
import FluentKit
import Foundation

/// Corrections and retractions of published releases. The earlier text is kept, the change is
/// recorded in the release's history, and feeds and agency formats are told (the release's
/// version rises; a retraction becomes pubstatus `canceled`).
public struct ReleaseCorrections: Sendable {
    let hub: DatabaseHub
    let clock: @Sendable () -> Date

    public init(hub: DatabaseHub, clock: @escaping @Sendable () -> Date = { Date() }) {
        self.hub = hub
        self.clock = clock
    }

    /// Replaces a published release's text, keeping the earlier version with the correction note.
    /// - Parameters:
    ///   - reference: the release's slug or id.
    ///   - headline, subheadline: new values, or `nil` to keep the current ones.
    ///   - body: the corrected body (Markdown).
    ///   - note: what changed and why, shown with the date on the release page.
    ///   - actor: who corrects (a user's email, or `cli:operator`).
    /// - Throws: ``ReleaseChangeError`` when there is no such release or the note is empty;
    ///   ``ReleaseStatusError`` when the release is not published.
    /// - Returns: the new version number.
    @discardableResult
    public func correct(_ reference: String, headline: String? = nil, subheadline: String? = nil, body: String, note: String, actor: String) async throws -> Int {
        let note = note.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !note.isEmpty else { throw ReleaseChangeError.noteRequired("correction") }
        let now = clock()
        return try await hub.write { database in
            let release = try await Self.find(reference, on: database)
            let earlier = ReleaseVersionModel()
            earlier.$release.id = release.id!
            earlier.version = release.version
            earlier.headline = release.headline
            earlier.subheadline = release.subheadline
            earlier.body = release.body
            earlier.correctionNote = note
            earlier.correctedAt = now
            try await earlier.create(on: database)
            if let headline { release.headline = PlainText.clean(headline) }
            if let subheadline { release.subheadline = PlainText.clean(subheadline) }
            release.body = PlainText.clean(body)
            release.version += 1
            try await ReleaseTransitions.move(release, to: .corrected, actor: actor, note: note, at: now, on: database)
            return release.version
        }
    }

    /// Retracts a published release: its URL stays with a notice to disregard and the note, it
    /// leaves listings, and its feed and agency entries are updated.
    /// - Throws: ``ReleaseChangeError`` or ``ReleaseStatusError`` as for ``correct(_:headline:subheadline:body:note:actor:)``.
    public func retract(_ reference: String, note: String, actor: String) async throws {
        let note = note.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !note.isEmpty else { throw ReleaseChangeError.noteRequired("retraction") }
        let now = clock()
        try await hub.write { database in
            let release = try await Self.find(reference, on: database)
            release.retractionNote = PlainText.clean(note)
            try await ReleaseTransitions.move(release, to: .retracted, actor: actor, note: note, at: now, on: database)
        }
    }

    static func find(_ reference: String, on database: any Database) async throws -> ReleaseModel {
        let release: ReleaseModel?
        if let id = ReleaseID(reference) {
            release = try await ReleaseModel.find(id.rawValue, on: database)
        } else {
            release = try await ReleaseModel.query(on: database).filter(\.$slug == reference).first()
        }
        guard let release else { throw ReleaseChangeError.notFound(reference) }
        return release
    }
}

/// A correction, retraction or embargo link that could not be made; the description says why.
public enum ReleaseChangeError: Error, CustomStringConvertible, Equatable {
    case notFound(String)
    case noteRequired(String)
    case notEmbargoed(String)
    case unknownJournalist(String)
    case changedMeanwhile

    public var description: String {
        switch self {
        case .notFound(let reference): "no release has the slug or id '\(reference)'"
        case .noteRequired(let kind): "a \(kind) needs a note that tells readers what changed and why (--note \"...\")"
        case .notEmbargoed(let reference): "release '\(reference)' is not held under an embargo, so it needs no embargo link"
        case .unknownJournalist(let email): "no accredited journalist has the address \(email); add them first with `dateline journalist add`"
        case .changedMeanwhile: "someone changed this release meanwhile; reload it and try again"
        }
    }
}
