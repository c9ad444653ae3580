import Foundation
import Logging
import NIOConcurrencyHelpers
import SQLKit

/// The rendered-response cache of the public read path (docs/architecture.md, "The page
/// cache"): each public 200 response, rendered once, held in memory with its gzip coding until
/// a change drops it, it expires, or it is the least recently used when the bound is reached.
///
/// Three rules keep what it answers true:
/// - Changes: each entry carries tags (``PageCacheTag``); a committed change drops the entries
///   with its tags — at once in this process (``PageCacheBus``), and within a poll of the
///   invalidation log in every other (``poll()``). A lookup answers from memory only while the
///   log was read less than ``maximumLag`` ago.
/// - Races: a render reads the database before it is stored. Each store presents the
///   ``Ticket`` taken before the render; if any invalidation arrived meanwhile, the render may
///   predate it and is not stored.
/// - Time: the public read path hides a release until its `embargo_until` whatever its status,
///   so a listed release whose lift time is still ahead becomes listable when that time passes,
///   with nothing written (the scheduler's lift of an `embargoed` release does write, and drops
///   what it changes). An entry that lists releases expires at the first lift time after its render began
///   (``liftHorizon(for:)``), and every entry after ``maximumAge`` whatever happens.
final class PageCache: Sendable {
    /// The bound on bytes held (both codings, headers and keys counted).
    let byteLimit: Int
    /// Whether responses say `X-Cache: hit` or `miss` (``Settings/pageCacheStatusHeader``).
    let reportsStatus: Bool
    let hub: DatabaseHub
    /// The current instant; tests move it across lift times.
    let clock: @Sendable () -> Date
    let logger: Logger

    /// The longest an entry is kept, in seconds of ``clock``, for anything time-dependent
    /// besides lift times (the news sitemap's two-day window).
    static let maximumAge: TimeInterval = 300
    /// The usual ``maximumLag``: a change made by another process is seen within a second.
    static let defaultMaximumLag: Duration = .seconds(1)
    /// How old the last read of the invalidation log may be for a lookup to answer from memory.
    let maximumLag: Duration
    /// How often `serve` reads the invalidation log (``PageCacheInvalidationFeed``).
    static let pollInterval: Duration = .milliseconds(250)
    /// Rows of the log read per statement.
    static let pollBatch = 1000

    /// Taken before a render, presented when it is stored.
    struct Ticket: Sendable {
        let generation: UInt64
        /// The instant the render's database reads started from, or later.
        let renderedFrom: Date
    }

    enum Lookup {
        case hit(CachedResponse)
        case miss
    }

    /// Counts since start, for tests and operators.
    struct Statistics: Sendable, Equatable {
        var hits = 0
        var misses = 0
        var stores = 0
        /// Renders not stored because an invalidation arrived during them.
        var racesLost = 0
        var evictions = 0
        var entries = 0
        var bytes = 0
    }

    private struct Entry {
        var response: CachedResponse
        var tags: Set<PageCacheTag>
        var expires: Date
        var cost: Int
        var lastUsed: UInt64
    }

    private struct State {
        var entries: [String: Entry] = [:]
        var keysByTag: [PageCacheTag: Set<String>] = [:]
        var bytes = 0
        var tick: UInt64 = 0
        /// Rises with every invalidation; a ticket from an earlier generation is not stored.
        var generation: UInt64 = 0
        /// The newest row of the log read; nil before the first read.
        var lastSeenID: Int64?
        /// Rows this process wrote and already applied, skipped when the log returns them.
        var appliedHere: Set<Int64> = []
        /// When the last successful read of the log began.
        var polledAt: ContinuousClock.Instant?
        var polling = false
        /// Whether the last read failed (logged once until one succeeds).
        var pollFailing = false
        var statistics = Statistics()

        mutating func remove(_ key: String) {
            guard let entry = entries.removeValue(forKey: key) else { return }
            bytes -= entry.cost
            for tag in entry.tags {
                keysByTag[tag]?.remove(key)
                if keysByTag[tag]?.isEmpty == true { keysByTag[tag] = nil }
            }
        }

        mutating func removeAll() {
            entries = [:]
            keysByTag = [:]
            bytes = 0
        }

        mutating func drop(_ tags: Set<PageCacheTag>) {
            generation += 1
            if tags.contains(.everything) {
                removeAll()
            } else {
                for tag in tags { for key in keysByTag[tag] ?? [] { remove(key) } }
            }
        }
    }

    private let state = NIOLockedValueBox(State())

    /// - Parameters:
    ///   - megabytes: the bound, in 2^20 bytes; at least 1.
    ///   - reportsStatus: add `X-Cache: hit|miss` to the responses it handles.
    ///   - maximumLag: how old the last read of the invalidation log may be for a lookup to trust it.
    init(megabytes: Int, reportsStatus: Bool, hub: DatabaseHub, clock: @escaping @Sendable () -> Date, logger: Logger, maximumLag: Duration = PageCache.defaultMaximumLag) {
        byteLimit = max(1, megabytes) * 1_048_576
        self.maximumLag = maximumLag
        self.reportsStatus = reportsStatus
        self.hub = hub
        self.clock = clock
        self.logger = logger
        PageCacheBus.shared.register(self, on: hub.location)
    }

    /// The held response for `key`, when there is one that has not expired and the invalidation
    /// log was read recently enough to trust it. When it was not, a read of the log starts in
    /// the background and this is a miss.
    /// - Parameter countsMiss: false for a first try that is followed by a real lookup on a miss.
    func lookup(_ key: String, countsMiss: Bool = true) -> Lookup {
        let now = clock()
        let miss = countsMiss ? 1 : 0
        let (result, readLog): (Lookup, Bool) = state.withLockedValue { state in
            guard let polledAt = state.polledAt, ContinuousClock.now - polledAt <= maximumLag else {
                state.statistics.misses += miss
                return (.miss, !state.polling)
            }
            guard let entry = state.entries[key] else {
                state.statistics.misses += miss
                return (.miss, false)
            }
            guard entry.expires > now else {
                state.remove(key)
                state.statistics.misses += miss
                return (.miss, false)
            }
            state.tick += 1
            state.entries[key]?.lastUsed = state.tick
            state.statistics.hits += 1
            return (.hit(entry.response), false)
        }
        if readLog { Task { await poll() } }
        return result
    }

    /// The ticket for a render about to start.
    func ticket() -> Ticket {
        let generation = state.withLockedValue { $0.generation }
        return Ticket(generation: generation, renderedFrom: clock())
    }

    /// Holds `response` under `route`, unless an invalidation arrived since `ticket` was taken,
    /// it would already have expired, or it is larger than an eighth of the bound.
    /// - Returns: whether it was stored.
    @discardableResult
    func store(_ response: CachedResponse, route: PageCacheRoute, ticket: Ticket) async -> Bool {
        var expires = ticket.renderedFrom.addingTimeInterval(Self.maximumAge)
        if route.listsReleases {
            do {
                if let lift = try await liftHorizon(for: ticket) { expires = min(expires, lift) }
            } catch {
                logger.warning("Page cache: could not read the next lift time, so this response is not kept: \(error)")
                return false
            }
        }
        let cost = response.cost + route.key.utf8.count
        let now = clock()
        return state.withLockedValue { state in
            guard state.generation == ticket.generation else {
                state.statistics.racesLost += 1
                return false
            }
            guard expires > now, cost <= byteLimit / 8 else { return false }
            state.remove(route.key)
            state.tick += 1
            state.entries[route.key] = Entry(response: response, tags: route.tags, expires: expires, cost: cost, lastUsed: state.tick)
            for tag in route.tags { state.keysByTag[tag, default: []].insert(route.key) }
            state.bytes += cost
            state.statistics.stores += 1
            if state.bytes > byteLimit {
                // Least recently used first, down to nine tenths of the bound, so that eviction
                // (a sort) runs once per tenth of the bound stored, not at every store.
                let target = byteLimit / 10 * 9
                for (key, _) in state.entries.sorted(by: { $0.value.lastUsed < $1.value.lastUsed }) {
                    if state.bytes <= target { break }
                    state.remove(key)
                    state.statistics.evictions += 1
                }
            }
            return state.entries[route.key] != nil
        }
    }

    /// Drops the entries carrying any of `tags` (all of them for ``PageCacheTag/everything``) and
    /// refuses every render in progress. `recordedIDs`: the log rows these tags were written as,
    /// when this process wrote them, so that reading them back does not drop again.
    func invalidate(_ tags: Set<PageCacheTag>, recordedIDs: [Int64] = []) {
        state.withLockedValue { state in
            state.drop(tags)
            if state.appliedHere.count > 10_000 { state.appliedHere = [] }
            for id in recordedIDs where id > (state.lastSeenID ?? .max) { state.appliedHere.insert(id) }
        }
    }

    /// The first lift time after the ticket's render began: the earliest `embargo_until` later
    /// than it, whatever the release's status (an extra expiry costs a render; a missed one
    /// would keep a listing without a release that is public now). One probe of the
    /// `releases_embargo_due` index, read for each listing stored rather than remembered, so
    /// that no write, however it was made, can leave a remembered horizon behind.
    func liftHorizon(for ticket: Ticket) async throws -> Date? {
        try await hub.sql.raw("SELECT MIN(embargo_until) AS lift FROM releases WHERE embargo_until > \(bind: ticket.renderedFrom)")
            .first()?.decode(column: "lift", as: Date?.self) ?? nil
    }

    /// Reads the invalidation log from the last row seen and drops what the new rows name.
    /// The first read only notes where the log ends and empties the cache (what was stored
    /// before it cannot be checked against older rows). When the last row seen has been
    /// pruned, rows may have been missed: everything is dropped. One read at a time; a call
    /// while one runs returns at once. Errors are logged, and lookups stop answering from
    /// memory until a read succeeds again.
    func poll() async {
        let claimed = state.withLockedValue { state -> Bool in
            if state.polling { return false }
            state.polling = true
            return true
        }
        guard claimed else { return }
        defer { state.withLockedValue { $0.polling = false } }
        let started = ContinuousClock.now
        do {
            let sql = try hub.sql
            guard let last = state.withLockedValue({ $0.lastSeenID }) else {
                let end = try await sql.raw("SELECT MAX(id) AS id FROM page_cache_invalidations").first()?.decode(column: "id", as: Int64?.self) ?? nil
                state.withLockedValue { state in
                    state.drop([.everything])
                    state.lastSeenID = end ?? 0
                    state.polledAt = started
                }
                return
            }
            var cursor = last
            var tags = Set<PageCacheTag>()
            while true {
                let rows = try await sql.raw("SELECT id, tags FROM page_cache_invalidations WHERE id >= \(bind: cursor) ORDER BY id LIMIT \(unsafeRaw: String(Self.pollBatch))")
                    .all()
                    .map { (id: try $0.decode(column: "id", as: Int64.self), tags: try $0.decode(column: "tags", as: String.self)) }
                if cursor > 0, rows.first?.id != cursor {
                    // The row last seen was pruned: rows between it and these may be gone too.
                    tags.insert(.everything)
                }
                let appliedHere = state.withLockedValue { $0.appliedHere }
                for row in rows where row.id > cursor && !appliedHere.contains(row.id) {
                    tags.formUnion(PageCacheTag.parse(row.tags))
                }
                cursor = max(cursor, rows.last?.id ?? cursor)
                if rows.count < Self.pollBatch { break }
            }
            state.withLockedValue { state in
                if !tags.isEmpty { state.drop(tags) }
                state.lastSeenID = cursor
                state.appliedHere = state.appliedHere.filter { $0 > cursor }
                state.polledAt = started
            }
            if state.withLockedValue({ state in defer { state.pollFailing = false }; return state.pollFailing }) {
                logger.notice("Page cache: the invalidation log can be read again.")
            }
        } catch {
            if !state.withLockedValue({ state in defer { state.pollFailing = true }; return state.pollFailing }) {
                logger.warning("Page cache: could not read the invalidation log; answering without the cache until it can: \(error)")
            }
        }
    }

    var statistics: Statistics {
        state.withLockedValue { state in
            var statistics = state.statistics
            statistics.entries = state.entries.count
            statistics.bytes = state.bytes
            return statistics
        }
    }

    /// Every held response by key, for tests that look inside.
    var heldResponses: [(key: String, response: CachedResponse)] {
        state.withLockedValue { state in state.entries.map { ($0.key, $0.value.response) } }
    }
}

extension PageCache {
    /// The cache `settings` ask for; nil when `DATELINE_PAGE_CACHE_MB` is 0.
    static func make(settings: Settings, hub: DatabaseHub, clock: @escaping @Sendable () -> Date, logger: Logger) -> PageCache? {
        guard settings.pageCacheMegabytes > 0 else { return nil }
        return PageCache(megabytes: settings.pageCacheMegabytes, reportsStatus: settings.pageCacheStatusHeader, hub: hub, clock: clock, logger: logger)
    }
}
