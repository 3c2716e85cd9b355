import NIOCore
import NIOHTTPTypes

/// Closes a connection whose next request does not arrive in time, however slowly its bytes
/// trickle in (the idle timeout only notices silence).
///
/// A new connection has `first` to deliver a complete request head; a request's body must be
/// complete within `body` of its head; after each answer, the next head must come within
/// `between` (the idle keep-alive time). Sits after the HTTP decoder, so it sees whole parts; a
/// connection closed this way had not finished sending its request.
final class RequestTimeoutHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private let first: TimeAmount
    private let between: TimeAmount
    private let body: TimeAmount
    private var deadline: Scheduled<Void>?
    /// Requests whose head arrived and whose answer is not yet written (pipelining may make it 2+).
    private var inFlight = 0

    init(first: TimeAmount, between: TimeAmount, body: TimeAmount) {
        self.first = first
        self.between = between
        self.body = body
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { arm(context, after: first) }
    }

    func channelActive(context: ChannelHandlerContext) {
        if deadline == nil { arm(context, after: first) }
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head:
            inFlight += 1
            arm(context, after: body)
        case .end:
            deadline?.cancel()
            deadline = nil
        case .body:
            break
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) {
            inFlight = max(0, inFlight - 1)
            if inFlight == 0 { arm(context, after: between) }
        }
        context.write(data, promise: promise)
    }

    func channelInactive(context: ChannelHandlerContext) {
        deadline?.cancel()
        deadline = nil
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        deadline?.cancel()
        deadline = nil
    }

    private func arm(_ context: ChannelHandlerContext, after delay: TimeAmount) {
        deadline?.cancel()
        let loopBound = NIOLoopBound(context, eventLoop: context.eventLoop)
        deadline = context.eventLoop.assumeIsolated().scheduleTask(in: delay) {
            loopBound.value.close(promise: nil)
        }
    }
}
