import ServiceLifecycle

/// Reads the page cache's invalidation log every ``PageCache/pollInterval`` inside `serve`, so
/// that changes committed by other processes (another `serve`, `dateline import`, `correct`,
/// `retract`, a `worker`'s scheduler) drop this process's entries within a second.
struct PageCacheInvalidationFeed: Service {
    let cache: PageCache

    func run() async throws {
        do {
            try await cancelWhenGracefulShutdown {
                while !Task.isCancelled {
                    await cache.poll()
                    try await Task.sleep(for: PageCache.pollInterval)
                }
            }
        } catch is CancellationError {
            return
        }
    }
}
