import NIOCore

/// Runs Swift tasks on one SwiftNIO event loop, so a task that awaits that loop's futures
/// resumes on the loop's own thread instead of being handed back to the shared thread pool
/// after every reply (a wake-up of another thread per SMTP exchange).
///
/// Written here because the SwiftNIO reachable here makes its loops serial executors (for
/// actors) but not task executors (SE-0417).
final class EventLoopTaskExecutor: TaskExecutor, Sendable {
    let eventLoop: any EventLoop

    init(_ eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        eventLoop.execute { [self] in
            job.runSynchronously(on: asUnownedTaskExecutor())
        }
    }

    func asUnownedTaskExecutor() -> UnownedTaskExecutor {
        UnownedTaskExecutor(ordinary: self)
    }
}
