import Foundation
import IRGProto

/// Health, Reflection and Admin: what every process serves.
enum BuiltinServices {
    static func install(on router: Router, dispatcher: Dispatcher) {
        let name = dispatcher.options.name
        router.implement("irg.v1.Health/Check", inline: true) { [unowned dispatcher, unowned router] request, _ in
            let service = request.string("service")
            guard service.isEmpty || router.services.contains(service) else {
                throw RPCError(.notFound, "\(name) does not serve '\(service)'")
            }
            var reply = ProtoMessage(type: "irg.v1.HealthCheckResponse")
            reply["status"] = .enumValue(dispatcher.isServing ? 1 : 2)  // SERVING : NOT_SERVING
            return reply
        }
        router.implement("irg.v1.Reflection/ListMethods", inline: true) { [unowned router] _, _ in
            var reply = ProtoMessage(type: "irg.v1.ListMethodsResponse")
            reply["server"] = .string(name)
            reply["methods"] = .list(router.allRoutes.map { route in
                var info = ProtoMessage(type: "irg.v1.MethodInfo")
                info["name"] = .string(route.method.fullName)
                info["input_type"] = .string(route.method.input.name)
                info["output_type"] = .string(route.method.output.name)
                info["idempotent"] = .bool(route.method.idempotent)
                info["implemented"] = .bool(route.implemented)
                return .message(info)
            })
            return reply
        }
        router.implement("irg.v1.Admin/Stats", inline: true) { [unowned dispatcher] _, _ in
            statsResponse(dispatcher)
        }
        router.implement("irg.v1.Admin/Echo", inline: true, raw: { payload, _ in payload })
    }

    static func statsResponse(_ dispatcher: Dispatcher) -> ProtoMessage {
        let stats = dispatcher.stats
        var reply = ProtoMessage(type: "irg.v1.StatsResponse")
        reply["server"] = .string(dispatcher.options.name)
        reply["uptime_ms"] = .uint(UInt64(max(0, Date().timeIntervalSince(stats.started) * 1000)))
        // This Stats call itself is in flight; report the others.
        reply["in_flight"] = .uint(UInt64(max(0, stats.inFlight - 1)))
        reply["malformed"] = .uint(stats.malformed)
        reply["methods"] = .list(stats.snapshot.sorted { $0.key < $1.key }.map { name, m in
            var method = ProtoMessage(type: "irg.v1.MethodStats")
            method["method"] = .string(name)
            method["calls"] = .uint(m.calls)
            method["codes"] = .list(m.codes.sorted { $0.key.rawValue < $1.key.rawValue }.map { code, count in
                var c = ProtoMessage(type: "irg.v1.CodeCount")
                c["code"] = .enumValue(code.rawValue)
                c["count"] = .uint(count)
                return .message(c)
            })
            var latency = ProtoMessage(type: "irg.v1.LatencyHistogram")
            latency["bucket_upper_ms"] = .list((StatsRecorder.bucketUpperMs + [.infinity]).map { .double($0) })
            latency["counts"] = .list(m.buckets.map { .uint($0) })
            latency["mean_ms"] = .double(m.calls == 0 ? 0 : m.totalMs / Double(m.calls))
            latency["p50_ms"] = .double(m.quantileMs(0.5))
            latency["p90_ms"] = .double(m.quantileMs(0.9))
            latency["p99_ms"] = .double(m.quantileMs(0.99))
            latency["max_ms"] = .double(m.maxMs)
            method["latency"] = .message(latency)
            return .message(method)
        })
        return reply
    }
}
