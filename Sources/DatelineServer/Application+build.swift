import Foundation
import Hummingbird
import Logging
import ServiceLifecycle

/// Where `serve` listens.
public struct ServerAddress: Sendable {
    public var hostname: String
    public var port: Int

    public init(hostname: String = "127.0.0.1", port: Int = 8080) {
        self.hostname = hostname
        self.port = port
    }
}

/// Builds the whole application from its settings: database (migrated), templates, routes,
/// services. The `serve` command and the tests call this same function.
///
/// - Parameters:
///   - settings: validated configuration, see ``Settings/load(environment:dotEnvFile:)``.
///   - address: where to listen.
///   - loadSampleData: load the releases of `Samples/` when the database has none.
///   - runJobs: run the scheduler (embargo lifts, scheduled releases), the job worker
///     (publish fan-out, WebSub pings), the outbox deliverer (subscribers' mail) and the daily
///     digest inside the server.
///   - clock: the current instant; tests pass their own to move time.
/// - Throws: ``DatabaseSetupError``, ``TemplateError``, ``SampleDataError`` or a database error,
///   each saying what to fix.
public func buildApplication(
    settings: Settings,
    address: ServerAddress = ServerAddress(),
    loadSampleData: Bool = false,
    runJobs: Bool = true,
    logger: Logger = Logger(label: "dateline"),
    clock: @escaping @Sendable () -> Date = { Date() }
) async throws -> some ApplicationProtocol {
    let hub = try DatabaseHub(location: settings.database, logger: logger)
    do {
        try await hub.migrate()
        if loadSampleData {
            try await SampleData(hub: hub, settings: settings, logger: logger, clock: clock).loadIfEmpty()
        }
        let renderer = try await PageRenderer.load(resourcesDirectory: settings.resourcesDirectory)
        let pageCache = PageCache.make(settings: settings, hub: hub, clock: clock, logger: logger)
        // The first read of the invalidation log, so the cache answers from the first request.
        await pageCache?.poll()
        let router = buildRouter(settings: settings, hub: hub, renderer: renderer, clock: clock, pageCache: pageCache)
        var app = Application(
            router: router,
            // Slow clients are cut off: a head not finished, or a body or kept-alive connection
            // idle, for longer than the idle timeout closes the connection (HTTPConnectionStateHandler);
            // a body still arriving, however slowly, four idle timeouts after its head does too.
            server: .http1(configuration: .init(
                additionalChannelHandlers: [RequestBodyDeadlineHandler(limit: .nanoseconds(Int64(settings.connectionIdleTimeout * 4 * 1_000_000_000)))],
                idleTimeout: .nanoseconds(Int64(settings.connectionIdleTimeout * 1_000_000_000))
            )),
            configuration: .init(address: .hostname(address.hostname, port: address.port), serverName: "Dateline"),
            logger: logger
        )
        // Services stop in the reverse order of their addition: the database must outlive the worker.
        app.addServices(DatabaseShutdownService(hub: hub))
        if let pageCache { app.addServices(PageCacheInvalidationFeed(cache: pageCache)) }
        if runJobs {
            app.addServices(ReleaseScheduler(hub: hub, logger: logger, clock: clock))
            app.addServices(JobWorker(hub: hub, settings: settings, logger: logger, clock: clock))
            app.addServices(OutboxDeliverer(hub: hub, settings: settings, library: renderer.library, logger: logger, connections: settings.smtpConnections, clock: clock))
            app.addServices(DigestScheduler(hub: hub, settings: settings, logger: logger, clock: clock))
        }
        return app
    } catch {
        await hub.shutdown()
        throw error
    }
}

/// The router with a page cache made from `settings` (none when `DATELINE_PAGE_CACHE_MB` is 0),
/// which reads the invalidation log when a lookup finds it unread for a second (no service
/// polls it here).
func buildRouter(settings: Settings, hub: DatabaseHub, renderer: PageRenderer, clock: @escaping @Sendable () -> Date) -> Router<DatelineRequestContext> {
    buildRouter(settings: settings, hub: hub, renderer: renderer, clock: clock, pageCache: PageCache.make(settings: settings, hub: hub, clock: clock, logger: hub.logger))
}

func buildRouter(settings: Settings, hub: DatabaseHub, renderer: PageRenderer, clock: @escaping @Sendable () -> Date, pageCache: PageCache?) -> Router<DatelineRequestContext> {
    // HEAD is answered by every GET route (RFC 9110 §9.3.2): the GET handler's status and
    // headers, no body.
    let router = Router(context: DatelineRequestContext.self, options: .autoGenerateHeadEndpoints)
    router.add(middleware: SecurityHeadersMiddleware())
    // Inside the security headers, so that error answers carry them: every thrown error becomes a response here.
    router.add(middleware: ServerErrorMiddleware(renderer: renderer, settings: settings))
    router.add(middleware: ControlCharacterPathMiddleware())
    router.add(middleware: NotFoundMiddleware(renderer: renderer, settings: settings))
    // Inside NotFound (a 404 is thrown past it, never held), before the files and routes: a hit
    // is answered without touching either. Only the public read routes (PageCacheRoute) enter.
    if let pageCache { router.add(middleware: PageCacheMiddleware(cache: pageCache)) }
    // Inside the cache, so that only misses (and every request when the cache is off) take a turn.
    router.add(middleware: RenderLimitMiddleware(limit: RenderLimit()))
    router.add(middleware: FileMiddleware(settings.publicDirectory.path, searchForIndexHtml: false))
    SiteController(hub: hub, settings: settings, renderer: renderer, clock: clock).addRoutes(to: router)
    BrowseController(hub: hub, settings: settings, renderer: renderer, clock: clock).addRoutes(to: router)
    SearchController(hub: hub, settings: settings, renderer: renderer, clock: clock).addRoutes(to: router)
    FeedController(hub: hub, settings: settings, clock: clock).addRoutes(to: router)
    AgencyController(hub: hub, settings: settings, clock: clock).addRoutes(to: router)
    SitemapController(hub: hub, settings: settings, clock: clock).addRoutes(to: router)
    EmbargoController(hub: hub, settings: settings, renderer: renderer, clock: clock).addRoutes(to: router)
    MediaController(hub: hub, clock: clock).addRoutes(to: router)
    SubscriptionController(hub: hub, settings: settings, renderer: renderer, clock: clock).addRoutes(to: router)
    let mailer = TransportMailer(transport: settings.mailTransport, composer: MailComposer(settings: settings, clock: clock))
    NewsroomRoutes.add(to: router, hub: hub, settings: settings, renderer: renderer, mailer: mailer, clock: clock)
    return router
}
