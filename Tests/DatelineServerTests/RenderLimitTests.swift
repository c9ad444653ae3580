@testable import DatelineServer
import NIOConcurrencyHelpers
import Testing

@Suite("Render limit")
struct RenderLimitTests {
    @Test("No more than the limit render at once, every waiter gets its turn, in arrival order")
    func limitsConcurrency() async throws {
        let limit = RenderLimit(limit: 3)
        let counters = NIOLockedValueBox((inside: 0, most: 0, order: [Int]()))
        // Fill the three places first, so that the rest queue in a known order.
        for _ in 0..<3 { await limit.acquire() }
        await withTaskGroup(of: Void.self) { group in
            for number in 0..<40 {
                group.addTask {
                    await limit.acquire()
                    counters.withLockedValue { state in
                        state.inside += 1
                        state.most = max(state.most, state.inside)
                        state.order.append(number)
                    }
                    try? await Task.sleep(for: .milliseconds(2))
                    counters.withLockedValue { $0.inside -= 1 }
                    limit.release()
                }
                // Let each task reach its wait before the next starts.
                while limit.waiting < number + 1 { await Task.yield() }
            }
            for _ in 0..<3 { limit.release() }
        }
        let result = counters.withLockedValue { $0 }
        #expect(result.order.count == 40, "every waiter got its turn")
        #expect(result.most <= 3 && result.most >= 2, "at most three at once: \(result.most)")
        #expect(result.order == Array(0..<40), "in arrival order")
        #expect(limit.waiting == 0)
    }
}
