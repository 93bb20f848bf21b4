import Foundation
import IRGProto

/// Health, Reflection and Admin: what every process serves.
enum BuiltinServices {
    static func install(on router: Router, dispatcher: Dispatcher) {
        let name = dispatcher.options.name
        router.implement(Irg_V1_Health.check, inline: true) { [unowned dispatcher, unowned router] request, _ in
            guard request.service.isEmpty || router.services.contains(request.service) else {
                throw RPCError(.notFound, "\(name) does not serve '\(request.service)'")
            }
            return .with { $0.status = dispatcher.isServing ? .serving : .notServing }
        }
        router.implement(Irg_V1_Reflection.listMethods, inline: true) { [unowned router] _, _ in
            .with { reply in
                reply.server = name
                reply.methods = router.allRoutes.map { route in
                    .with {
                        $0.name = route.method.fullName
                        $0.inputType = route.method.input.name
                        $0.outputType = route.method.output.name
                        $0.idempotent = route.method.idempotent
                        $0.implemented = route.implemented
                    }
                }
            }
        }
        router.implement(Irg_V1_Admin.stats, inline: true) { [unowned dispatcher] _, _ in
            statsResponse(dispatcher)
        }
        router.implement(Irg_V1_Admin.echo, inline: true, raw: { payload, _ in payload })
    }

    /// Resident set size from /proc/self/statm (pages), 0 where there is no /proc.
    static func residentBytes() -> UInt64 {
        guard let statm = try? String(contentsOfFile: "/proc/self/statm", encoding: .ascii) else { return 0 }
        let fields = statm.split(separator: " ")
        guard fields.count > 1, let pages = UInt64(fields[1]) else { return 0 }
        return pages * UInt64(sysconf(Int32(_SC_PAGESIZE)))
    }

    static func statsResponse(_ dispatcher: Dispatcher) -> Irg_V1_StatsResponse {
        let stats = dispatcher.stats
        var reply = Irg_V1_StatsResponse()
        reply.server = dispatcher.options.name
        reply.uptimeMs = UInt64(max(0, Date().timeIntervalSince(stats.started) * 1000))
        // This Stats call itself is in flight; report the others.
        reply.inFlight = UInt32(max(0, stats.inFlight - 1))
        reply.malformed = stats.malformed
        reply.rssBytes = residentBytes()
        reply.queued = UInt32(dispatcher.gate.load.queued)
        reply.methods = stats.snapshot.sorted { $0.key < $1.key }.map { name, m in
            var method = Irg_V1_MethodStats()
            method.method = name
            method.calls = m.calls
            method.codes = m.codes.sorted { $0.key.rawValue < $1.key.rawValue }.map { code, count in
                .with {
                    $0.code = Irg_V1_Code(rawValue: code.rawValue)
                    $0.count = count
                }
            }
            method.latency = .with {
                $0.bucketUpperMs = StatsRecorder.bucketUpperMs + [.infinity]
                $0.counts = m.buckets
                $0.meanMs = m.calls == 0 ? 0 : m.totalMs / Double(m.calls)
                $0.p50Ms = m.quantileMs(0.5)
                $0.p90Ms = m.quantileMs(0.9)
                $0.p99Ms = m.quantileMs(0.99)
                $0.maxMs = m.maxMs
            }
            return method
        }
        return reply
    }
}
