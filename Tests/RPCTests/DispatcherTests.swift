import Foundation
import IRGProto
@testable import IRGRPC
import Testing

/// The RPC core without any socket.
@Suite struct DispatcherTests {
    func dispatcher(token: String? = nil, flaky: FlakyHandler? = nil) -> Dispatcher {
        var options = ServerOptions(name: "irg-test")
        options.authToken = token
        return Dispatcher(router: makeRouter(flaky: flaky), options: options, logger: quietLogger)
    }

    func request(_ method: String, _ message: ProtoMessage? = nil, deadline: Deadline? = nil,
                 metadata: [String: String] = [:]) -> Envelope {
        Envelope(method: method, requestID: 7, deadline: deadline, metadata: metadata,
                 payload: message.map { Data(try! ProtoCodec.encode($0)) } ?? Data())
    }

    @Test func unknownMethodIsUnimplemented() async {
        let reply = await dispatcher().handle(request("irg.v1.Nope/Nothing"))
        #expect(reply.status?.code == .unimplemented)
        #expect(reply.status?.message == "unknown method 'irg.v1.Nope/Nothing'")
        #expect(reply.requestID == 7)
    }

    @Test func unimplementedMethodSaysSo() async {
        let reply = await dispatcher().handle(request("irg.v1.MotionTokenizer/Encode"))
        #expect(reply.status?.code == .unimplemented)
        #expect(reply.status?.message == "irg.v1.MotionTokenizer/Encode is not implemented in this build yet")
        #expect(reply.payload.isEmpty)
    }

    @Test func payloadThatDoesNotParseIsInvalidArgument() async {
        var bad = request("irg.v1.Health/Check")
        bad.payload = Data([0x0a, 0xff, 0xff])  // field 1, length past the end
        let reply = await dispatcher().handle(bad)
        #expect(reply.status?.code == .invalidArgument)
        #expect(reply.status?.message == "payload is not a valid irg.v1.HealthCheckRequest")
    }

    @Test func deadlineAlreadyPastSkipsTheHandler() async {
        let flaky = FlakyHandler(failures: 0)
        let reply = await dispatcher(flaky: flaky).handle(
            request(TestMethods.idempotent.name, deadline: Deadline(unixMilliseconds: Deadline.now().unixMilliseconds - 1)))
        #expect(reply.status?.code == .deadlineExceeded)
        #expect(flaky.calls.value == 0)
    }

    @Test func authNeedsTheSecretExceptForHealth() async {
        let d = dispatcher(token: "s3cret")
        #expect(await d.handle(request("irg.v1.Admin/Stats")).status?.code == .unauthenticated)
        #expect(await d.handle(request("irg.v1.Admin/Stats", metadata: ["authorization": "wrong"])).status?.code == .unauthenticated)
        #expect(await d.handle(request("irg.v1.Admin/Stats", metadata: ["authorization": "s3cret"])).status?.code == .ok)
        #expect(await d.handle(request("irg.v1.Health/Check")).status?.code == .ok)
        #expect(constantTimeEqual("abc", "abc") && !constantTimeEqual("abc", "abd") && !constantTimeEqual("abc", "abcd"))
    }

    @Test func handlerErrorsMapToStatuses() async {
        let d = dispatcher(flaky: FlakyHandler(failures: 1))
        #expect(await d.handle(request(TestMethods.idempotent.name)).status?.code == .unavailable)
        #expect(await d.handle(request(TestMethods.idempotent.name)).status?.code == .ok)
    }

    @Test func healthOfServicesAndDraining() async throws {
        let d = dispatcher()
        func health(_ service: String) async throws -> (StatusCode?, Int32) {
            var m = ProtoMessage(type: "irg.v1.HealthCheckRequest")
            m["service"] = .string(service)
            let reply = await d.handle(request("irg.v1.Health/Check", m))
            let decoded = try ProtoCodec.decode(Array(reply.payload), as: ProtoRegistry.message(named: "irg.v1.HealthCheckResponse")!)
            return (reply.status?.code, decoded.enumValue("status"))
        }
        #expect(try await health("") == (.ok, 1))
        #expect(try await health("irg.v1.MotionTokenizer") == (.ok, 1))
        #expect(try await health("irg.v1.MotionGenerator").0 == .notFound)
        d.stopServing()
        #expect(try await health("") == (.ok, 2))
        #expect(await d.handle(request("irg.v1.Admin/Stats")).status?.code == .unavailable)
    }

    @Test func statsCountCallsByMethodAndCode() async throws {
        let d = dispatcher()
        _ = await d.handle(request("irg.v1.Health/Check"))
        _ = await d.handle(request("irg.v1.MotionTokenizer/Encode"))
        _ = await d.handle(request("irg.v1.Bogus/Method"))
        let reply = await d.handle(request("irg.v1.Admin/Stats"))
        let stats = try ProtoCodec.decode(Array(reply.payload), as: ProtoRegistry.message(named: "irg.v1.StatsResponse")!)
        let methods = Dictionary(uniqueKeysWithValues: stats.messages("methods").map { ($0.string("method"), $0) })
        #expect(methods["irg.v1.Health/Check"]?.uint("calls") == 1)
        #expect(methods["irg.v1.MotionTokenizer/Encode"]?.messages("codes").first?.enumValue("code") == 12)
        #expect(methods["<unknown>"]?.uint("calls") == 1)
        #expect(methods["irg.v1.Health/Check"]?.message("latency")?.list("counts").count == StatsRecorder.bucketUpperMs.count + 1)
    }
}
