import CNng
import Foundation
import IRGProto
@testable import IRGRPC
import Testing

/// The server and client over real nng sockets. Each bad-input test ends by
/// proving the server still serves the next request.
@Suite struct ServerTests {
    @Test(arguments: ["ipc", "tcp", "inproc"])
    func builtinsAnswerOverEachTransport(transport: String) async throws {
        let url = freshAddress(transport)
        let server = try startServer([.listen(url)])
        defer { server.close() }
        let client = try NngClient(dialing: [url])
        defer { client.close() }
        let health = try await client.call("irg.v1.Health/Check", ProtoMessage(type: "irg.v1.HealthCheckRequest"))
        #expect(health.enumValue("status") == 1)
        let methods = try await client.call("irg.v1.Reflection/ListMethods", ProtoMessage(type: "irg.v1.ListMethodsRequest"))
        let encode = methods.messages("methods").first { $0.string("name") == "irg.v1.MotionTokenizer/Encode" }
        #expect(encode?.bool("implemented") == false)
        #expect(encode?.string("input_type") == "irg.v1.EncodeRequest")
        let stats = try await client.call("irg.v1.Admin/Stats", ProtoMessage(type: "irg.v1.StatsRequest"))
        #expect(stats.string("server") == "irg-test")
        await #expect(throws: RPCError(.unimplemented, "irg.v1.MotionTokenizer/Encode is not implemented in this build yet")) {
            try await client.call("irg.v1.MotionTokenizer/Encode", ProtoMessage(type: "irg.v1.EncodeRequest"))
        }
    }

    @Test func garbageBytesGetAnInvalidArgumentEnvelope() async throws {
        let url = freshAddress()
        let server = try startServer([.listen(url)])
        defer { server.close() }
        let raw = try RawRequester(dialing: url)
        defer { raw.close() }
        try raw.send(Array("this is not protobuf \u{1}\u{2}\u{ff}".utf8))
        let reply = try #require(raw.receive().flatMap { EnvelopeCodec.decode(Data($0)) })
        #expect(reply.status?.code == .invalidArgument)
        #expect(reply.status?.message == "message is not an irg.v1.Envelope")
        #expect(server.dispatcher.stats.malformed == 1)
        try await expectServing(url)
    }

    @Test func payloadThatIsNotTheRequestTypeIsInvalidArgument() async throws {
        let url = freshAddress()
        let server = try startServer([.listen(url)])
        defer { server.close() }
        let client = try NngClient(dialing: [url])
        defer { client.close() }
        await #expect(throws: RPCError(.invalidArgument, "payload is not a valid irg.v1.HealthCheckRequest")) {
            try await client.call("irg.v1.Health/Check", payload: Data([0x0a, 0x7f, 0x41]))
        }
        try await expectServing(url)
    }

    @Test func unknownMethodIsUnimplemented() async throws {
        let url = freshAddress()
        let server = try startServer([.listen(url)])
        defer { server.close() }
        let client = try NngClient(dialing: [url])
        defer { client.close() }
        await #expect(throws: RPCError(.unimplemented, "unknown method 'irg.v1.MotionTokenizer/Teleport'",
                                       details: ["method": "irg.v1.MotionTokenizer/Teleport"])) {
            try await client.call("irg.v1.MotionTokenizer/Teleport", payload: Data())
        }
        try await expectServing(url)
    }

    @Test func oversizedMessagesAreRefusedOnBothSides() async throws {
        let url = freshAddress("tcp")
        let server = try startServer([.listen(url)]) { $0.maxMessageBytes = 64 << 10 }
        defer { server.close() }
        // A client with the same limit refuses before sending.
        let client = try NngClient([.dial(url)], maxMessageBytes: 64 << 10)
        defer { client.close() }
        #expect(await failureCode { _ = try await client.call("irg.v1.Admin/Echo", payload: Data(count: 100 << 10)) }
            == .resourceExhausted)
        // A client that sends anyway: the server drops it (nng closes the connection) and lives.
        let raw = try RawRequester(dialing: url)
        defer { raw.close() }
        let big = Envelope(method: "irg.v1.Admin/Echo", requestID: 1, payload: Data(count: 100 << 10))
        try raw.send(Array(EnvelopeCodec.encode(big)))
        #expect(raw.receive(timeoutMs: 300) == nil)
        try await expectServing(url)
    }

    @Test func deadlineAlreadyPastIsNotRun() async throws {
        let url = freshAddress()
        let flaky = FlakyHandler(failures: 0)
        let server = try startServer([.listen(url)], router: makeRouter(flaky: flaky))
        defer { server.close() }
        let raw = try RawRequester(dialing: url)
        defer { raw.close() }
        let late = Envelope(method: TestMethods.idempotent.name, requestID: 9,
                            deadline: Deadline(unixMilliseconds: Deadline.now().unixMilliseconds - 1000))
        try raw.send(Array(EnvelopeCodec.encode(late)))
        // Its caller has stopped waiting: no reply is sent; the server counts it.
        #expect(raw.receive(timeoutMs: 300) == nil)
        #expect(flaky.calls.value == 0)
        #expect(await eventually { server.dispatcher.stats.snapshot[TestMethods.idempotent.name]?.codes[.deadlineExceeded] == 1 })
        try await expectServing(url)
    }

    @Test func deadlineDuringTheCallFailsBothSides() async throws {
        let url = freshAddress()
        let server = try startServer([.listen(url)])
        defer { server.close() }
        let client = try NngClient(dialing: [url])
        defer { client.close() }
        await #expect(throws: RPCError(.deadlineExceeded, "no reply to \(TestMethods.slow.name) before the deadline")) {
            try await whoAnswers(client, sleepMs: 400, timeoutMs: 100)
        }
        #expect(await eventually { server.dispatcher.stats.snapshot[TestMethods.slow.name]?.codes[.deadlineExceeded] == 1 })
        try await expectServing(url)
    }

    @Test func clientThatDisconnectsMidRequest() async throws {
        let url = freshAddress("tcp")
        let server = try startServer([.listen(url)])
        defer { server.close() }
        let raw = try RawRequester(dialing: url)
        let request = Envelope(method: TestMethods.slow.name, requestID: 3, metadata: ["sleep-ms": "200"],
                               payload: Data(try ProtoCodec.encode(ProtoMessage(type: "irg.v1.InfoRequest"))))
        try raw.send(Array(EnvelopeCodec.encode(request)))
        #expect(await eventually { server.dispatcher.stats.inFlight == 1 })
        raw.close()
        #expect(await eventually { server.dispatcher.stats.snapshot[TestMethods.slow.name]?.calls == 1 })
        try await expectServing(url)
    }

    @Test func twoHundredConcurrentRequestsFromTwentyClients() async throws {
        let url = freshAddress("tcp")
        let server = try startServer([.listen(url)]) { $0.contexts = 32 }
        defer { server.close() }
        let clients = try (0..<20).map { _ in try NngClient(dialing: [url]) }
        defer { clients.forEach { $0.close() } }
        let ok = try await withThrowingTaskGroup(of: Bool.self) { group in
            for i in 0..<200 {
                group.addTask {
                    let payload = Data("request \(i) ".utf8 + Array(repeating: UInt8(i % 251), count: 512))
                    let reply = try await clients[i % 20].call("irg.v1.Admin/Echo", payload: payload)
                    return reply == payload
                }
            }
            return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        #expect(ok == 200)
        #expect(server.dispatcher.stats.snapshot["irg.v1.Admin/Echo"]?.calls == 200)
    }

    @Test func drainFinishesRequestsInFlight() async throws {
        let url = freshAddress()
        let server = try startServer([.listen(url)])
        let client = try NngClient(dialing: [url])
        defer { client.close() }
        #expect(await client.waitForPeers(timeoutMilliseconds: 5_000))
        async let answers = withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<5 { group.addTask { try await whoAnswers(client, sleepMs: 300) } }
            return try await group.reduce(into: [String]()) { $0.append($1) }
        }
        #expect(await eventually { server.dispatcher.stats.inFlight == 5 })
        await server.drain()
        #expect(try await answers == Array(repeating: "w", count: 5))
        #expect(await failureCode { _ = try await whoAnswers(client, timeoutMs: 200) } == .unavailable)
    }

    @Test func closeWhileAHandlerRunsDoesNotCrash() async throws {
        let url = freshAddress()
        let server = try startServer([.listen(url)])
        let client = try NngClient(dialing: [url])
        defer { client.close() }
        #expect(await client.waitForPeers(timeoutMilliseconds: 5_000))
        async let answer = failureCode { _ = try await whoAnswers(client, sleepMs: 200, timeoutMs: 1_000) }
        #expect(await eventually { server.dispatcher.stats.inFlight == 1 })
        server.close()
        // The handler finishes after the close; its reply has nowhere to go.
        #expect(await answer == .unavailable)
        #expect(await eventually { server.dispatcher.stats.inFlight == 0 })
    }

    @Test func idempotentMethodsRetryOthersDoNot() async throws {
        let url = freshAddress()
        let flaky = FlakyHandler(failures: 2)
        let server = try startServer([.listen(url)], router: makeRouter(flaky: flaky))
        defer { server.close() }
        let client = try NngClient(dialing: [url])
        defer { client.close() }
        _ = try await client.call(TestMethods.idempotent.name, payload: Data())
        #expect(flaky.calls.value == 3)
        let once = FlakyHandler(failures: 1)
        let url2 = freshAddress()
        let server2 = try startServer([.listen(url2)], router: makeRouter(flaky: once))
        defer { server2.close() }
        let client2 = try NngClient(dialing: [url2])
        defer { client2.close() }
        await #expect(throws: RPCError(.unavailable, "try again (call 1)")) {
            try await client2.call(TestMethods.nonIdempotent.name, payload: Data())
        }
        #expect(once.calls.value == 1)
    }

    @Test func noServerIsUnavailable() async throws {
        let client = try NngClient(dialing: [freshAddress()])
        defer { client.close() }
        #expect(await failureCode { _ = try await whoAnswers(client, timeoutMs: 200) } == .unavailable)
    }

    @Test func workersDialIntoAListeningPool() async throws {
        let url = freshAddress("tcp")
        let pool = try NngClient([.listen(url)])
        defer { pool.close() }
        let workers = try (0..<3).map { try startServer([.dial(url)], router: makeRouter(worker: "worker\($0)")) }
        #expect(await pool.waitForPeers(3, timeoutMilliseconds: 5_000))
        var seen: [String: Int] = [:]
        for _ in 0..<30 { seen[try await whoAnswers(pool), default: 0] += 1 }
        #expect(Set(seen.keys) == ["worker0", "worker1", "worker2"])
        // A worker that goes away is dropped; the others keep serving.
        workers[0].close()
        #expect(await eventually { pool.connectedPipes == 2 })
        for _ in 0..<10 { #expect(try await whoAnswers(pool) != "worker0") }
        workers.forEach { $0.close() }
    }

    @Test func clientSpreadsOverSeveralAddresses() async throws {
        let urls = [freshAddress(), freshAddress()]
        let servers = try urls.enumerated().map { try startServer([.listen($1)], router: makeRouter(worker: "s\($0)")) }
        defer { servers.forEach { $0.close() } }
        let client = try NngClient(dialing: urls)
        defer { client.close() }
        #expect(await client.waitForPeers(2, timeoutMilliseconds: 5_000))
        var seen = Set<String>()
        for _ in 0..<10 { seen.insert(try await whoAnswers(client)) }
        #expect(seen == ["s0", "s1"])
    }

    @Test func authTokenTravelsAsMetadata() async throws {
        let url = freshAddress()
        let server = try startServer([.listen(url)]) { $0.authToken = "s3cret" }
        defer { server.close() }
        let anonymous = try NngClient(dialing: [url])
        defer { anonymous.close() }
        await #expect(throws: RPCError(.unauthenticated, "missing or wrong 'authorization' metadata")) {
            try await whoAnswers(anonymous)
        }
        let member = try NngClient([.dial(url)], authToken: "s3cret")
        defer { member.close() }
        #expect(try await whoAnswers(member) == "w")
    }

    func expectServing(_ url: String) async throws {
        let client = try NngClient(dialing: [url])
        defer { client.close() }
        let health = try await client.call("irg.v1.Health/Check", ProtoMessage(type: "irg.v1.HealthCheckRequest"))
        #expect(health.enumValue("status") == 1)
    }
}
