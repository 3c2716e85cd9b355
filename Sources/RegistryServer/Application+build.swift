public import Handouts
public import Hummingbird
public import LoanRegistry
public import Logging

/// Builds the REST application over an opened registry.
///
/// The composition root: `loan-registry serve` and the tests call this same function.
public func buildApplication(
    registry: Registry,
    configuration: ServerConfiguration,
    printer: HandoutPrinter = HandoutPrinter(),
    logger: Logger = Logger(label: "loan-registry.server")
) -> some ApplicationProtocol {
    let router = buildRouter(registry: registry, configuration: configuration, printer: printer)
    return Application(
        router: router,
        // A connection that sends nothing for this long (idle keep-alive, or a half-sent request
        // head) is closed, one that trickles its first request head past the header timeout or a
        // body past the body timeout too, so idle sockets cannot pile up; past the cap, new ones wait.
        server: .http1(configuration: .init(
            additionalChannelHandlers: [RequestTimeoutHandler(
                first: .seconds(Int64(configuration.headerTimeoutSeconds)),
                between: .seconds(Int64(configuration.idleTimeoutSeconds)),
                body: .seconds(Int64(configuration.bodyTimeoutSeconds)))],
            idleTimeout: .seconds(Int64(configuration.idleTimeoutSeconds)))),
        configuration: .init(address: .hostname(configuration.host, port: configuration.port),
                             serverName: "loan-registry",
                             availableConnectionsDelegate: .maximum(configuration.maximumConnections, logger: logger)),
        logger: logger)
}

/// The router with every route and middleware, for `app.test(.router)` and the app alike.
///
/// Every API route is recorded in `catalogue` with the access it needs; routes not recorded
/// there are refused.
public func buildRouter(registry: Registry, configuration: ServerConfiguration,
                        printer: HandoutPrinter = HandoutPrinter(),
                        catalogue: RouteCatalogue = RouteCatalogue()) -> Router<RegistryRequestContext> {
    let router = Router(context: RegistryRequestContext.self)
    router.add(middleware: RequestLogMiddleware())
    router.add(middleware: BrowserGuardMiddleware(allowedHosts: configuration.allowedHostNames, catalogue: catalogue))
    router.add(middleware: ProblemMiddleware())
    router.add(middleware: BodyLimitMiddleware(maximumBodySize: configuration.maximumBodySize))
    // On the router, not a group: every route, however it was added, passes the access check.
    router.add(middleware: AuthorizationMiddleware(registry: registry, catalogue: catalogue))
    let api = APIGroup(group: router.group("api/v1"), prefix: "api/v1", catalogue: catalogue)
    HealthRoutes(registry: registry).add(to: api)
    let throttle = SignInThrottle(enabled: configuration.slowDownFailingAddresses)
    AuthRoutes(registry: registry, throttle: throttle, secureCookies: configuration.secureCookies).add(to: api)
    StaffRoutes(registry: registry).add(to: api)
    DeviceModelRoutes(registry: registry).add(to: api)
    DeviceRoutes(registry: registry).add(to: api)
    PatientRoutes(registry: registry).add(to: api)
    LoanRoutes(registry: registry).add(to: api)
    IncidentRoutes(registry: registry).add(to: api)
    StocktakeRoutes(registry: registry, printer: printer).add(to: api)
    ConsentRoutes(registry: registry).add(to: api)
    ClinicRoutes(registry: registry).add(to: api)
    HandoutRoutes(registry: registry, printer: printer).add(to: api)
    let checkpoints = configuration.checkpointDirectory.map { CheckpointStore(directory: $0) }
    ReportRoutes(registry: registry, printer: printer, checkpoints: checkpoints).add(to: api)
    AuditRoutes(registry: registry, checkpoints: checkpoints).add(to: api)
    ReviewRoutes(registry: registry).add(to: api)
    OpenAPIRoutes(catalogue: catalogue).add(to: api)
    // The staff pages under `/`: the same registry operations and roles as the API.
    // Parsed now, so a template that does not parse stops the server at start, not at a page.
    _ = PageRenderer.shared
    let pages = PageGroup(router: router, registry: registry, catalogue: catalogue)
    AuthPages(registry: registry, throttle: throttle, secureCookies: configuration.secureCookies).add(to: pages)
    TodayPage(registry: registry).add(to: pages)
    PatientPages(registry: registry).add(to: pages)
    let loanPages = LoanPages(registry: registry, printer: printer)
    loanPages.add(to: pages)
    SigningPages(registry: registry, secureCookies: configuration.secureCookies).add(to: pages)
    ReturnPages(registry: registry, throttle: throttle).add(to: pages)
    DevicePages(registry: registry).add(to: pages)
    CustodyPages(registry: registry, devices: DevicePages(registry: registry)).add(to: pages)
    OverduePage(registry: registry, loans: loanPages).add(to: pages)
    StocktakePages(registry: registry).add(to: pages)
    ModelPages(registry: registry).add(to: pages)
    IncidentPages(registry: registry).add(to: pages)
    AccountPages(registry: registry).add(to: pages)
    ReviewPages(registry: registry, printer: printer, checkpoints: checkpoints).add(to: pages)
    return router
}
