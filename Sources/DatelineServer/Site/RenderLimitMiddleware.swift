import Hummingbird
import NIOConcurrencyHelpers
import NIOCore

/// At most ``RenderLimit/limit`` public read routes render at once (pages, feeds, ninjs,
/// sitemaps: the routes ``PageCacheRoute`` names); further requests wait their turn in arrival
/// order. A render holds its page's releases and whole body in memory, and rendering is bound by
/// the CPU, so a burst of 64 misses is as quick in turns and holds a fraction of the memory.
/// Sits inside the page cache: a hit takes no turn.
struct RenderLimitMiddleware<Context: RequestContext>: RouterMiddleware {
    let limit: RenderLimit

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard PageCacheRoute.of(request.uri) != nil else { return try await next(request, context) }
        await limit.acquire()
        defer { limit.release() }
        return try await next(request, context)
    }
}

/// A counting semaphore for async code: `acquire` waits while `limit` holders are inside, and
/// waiters go in in arrival order. Written here because no reachable package offers one (NIO's
/// and Swift's concurrency libraries do not); a waiter whose client has gone still takes its
/// turn, then finds nothing to answer.
final class RenderLimit: Sendable {
    /// How many renders may run at once: four for each core, so that renders waiting on the
    /// database leave the cores busy.
    let limit: Int

    private struct State {
        var running = 0
        var waiting: [CheckedContinuation<Void, Never>] = []
        var next = 0
    }

    private let state = NIOLockedValueBox(State())

    init(limit: Int = 4 * System.coreCount) {
        self.limit = max(1, limit)
    }

    func acquire() async {
        let entered = state.withLockedValue { state -> Bool in
            guard state.running >= limit else {
                state.running += 1
                return true
            }
            return false
        }
        if entered { return }
        await withCheckedContinuation { continuation in
            let resumeNow = state.withLockedValue { state -> Bool in
                // A holder may have left between the two locks.
                guard state.running >= limit else {
                    state.running += 1
                    return true
                }
                state.waiting.append(continuation)
                return false
            }
            if resumeNow { continuation.resume() }
        }
    }

    /// How many wait for a turn.
    var waiting: Int { state.withLockedValue { $0.waiting.count - $0.next } }

    /// Leaves: the turn passes to the longest waiter, if any.
    func release() {
        let handOver = state.withLockedValue { state -> CheckedContinuation<Void, Never>? in
            if state.next < state.waiting.count {
                let waiter = state.waiting[state.next]
                state.next += 1
                if state.next > 1_024 && state.next * 2 > state.waiting.count {
                    state.waiting.removeFirst(state.next)
                    state.next = 0
                }
                return waiter  // `running` stays the same: the turn passes on.
            }
            state.running -= 1
            return nil
        }
        handOver?.resume()
    }
}
