import FluentKit
import Foundation
import NIOConcurrencyHelpers
import SQLKit

/// How a change reaches every page cache: a row in `page_cache_invalidations`, written in the
/// change's own transaction, so the row exists exactly when the change does.
///
/// - This process: once the write commits, ``DatabaseHub/write(_:)`` hands the tags to
///   ``PageCacheBus``, which drops the entries of every cache on that database at once (so the
///   next request after a publish, correction or retraction is rendered anew).
/// - Other processes (`serve` on the same PostgreSQL, or the `serve` beside a `dateline import`
///   on the same SQLite file): each cache reads the new rows every 250 ms
///   (``PageCacheInvalidationFeed``).
///
/// A table rather than PostgreSQL's LISTEN/NOTIFY: it works the same on SQLite, where command
/// line writers and `serve` share a file; a notification sent while a listener's connection is
/// down is lost, while a row waits; and a reader can tell that it fell behind (the last row it
/// read was pruned) and drop everything instead of missing a change.
enum PageCacheInvalidation {
    /// Rows kept; older ones are pruned by the writers as they add rows. A reader polls four
    /// times a second, so it never falls this far behind unless it stalls (and then drops all).
    static let rowsKept: Int64 = 10_000

    /// Records that `tags` changed, on the caller's write transaction (``DatabaseHub/write(_:)``).
    /// - Throws: ``PageCacheInvalidationError`` when called outside a write; the database's error.
    static func record(_ tags: Set<PageCacheTag>, on database: any Database) async throws {
        guard !tags.isEmpty else { return }
        guard let open = OpenWrite.current, open.isOpen.withLockedValue({ $0 }) else { throw PageCacheInvalidationError() }
        let sql = database as! any SQLDatabase
        let id = try await sql.raw("INSERT INTO page_cache_invalidations (tags) VALUES (\(bind: PageCacheTag.text(tags))) RETURNING id")
            .first()?.decode(column: "id", as: Int64.self)
        open.invalidations.add(tags, id: id)
        if let id, id % 100 == 0 {
            try await sql.raw("DELETE FROM page_cache_invalidations WHERE id <= \(bind: id - rowsKept)").run()
        }
    }
}

/// ``PageCacheInvalidation/record(_:on:)`` was called outside a write transaction.
struct PageCacheInvalidationError: Error, CustomStringConvertible {
    var description: String { "page cache invalidations are recorded inside DatabaseHub.write, with the change they describe" }
}

/// The tags a write transaction recorded, handed to this process's caches after it commits.
final class PendingInvalidations: Sendable {
    private let state = NIOLockedValueBox<(tags: Set<PageCacheTag>, ids: [Int64])>(([], []))

    func add(_ tags: Set<PageCacheTag>, id: Int64?) {
        state.withLockedValue { state in
            state.tags.formUnion(tags)
            if let id { state.ids.append(id) }
        }
    }

    /// Delivers what was recorded to the caches on `location`, once the transaction has committed.
    func deliverCommitted(on location: DatabaseLocation) {
        let (tags, ids) = state.withLockedValue { state in
            defer { state = ([], []) }
            return state
        }
        guard !tags.isEmpty else { return }
        PageCacheBus.shared.committed(tags, ids: ids, on: location)
    }
}

/// This process's page caches, by database, so that a write through any hub of the process (the
/// server's, or a second one as a test or an in-process import uses) drops entries at once.
/// Caches are held weakly: one that is no longer used leaves by itself.
final class PageCacheBus: Sendable {
    static let shared = PageCacheBus()

    private struct Registration: @unchecked Sendable {
        let location: DatabaseLocation
        weak var cache: PageCache?
    }

    private let registrations = NIOLockedValueBox<[Registration]>([])

    func register(_ cache: PageCache, on location: DatabaseLocation) {
        registrations.withLockedValue { list in
            list.removeAll { $0.cache == nil }
            list.append(Registration(location: location, cache: cache))
        }
    }

    func committed(_ tags: Set<PageCacheTag>, ids: [Int64], on location: DatabaseLocation) {
        let caches = registrations.withLockedValue { list in list.filter { $0.location == location }.compactMap(\.cache) }
        for cache in caches { cache.invalidate(tags, recordedIDs: ids) }
    }
}
