import Foundation
import IRGProto
@testable import IRGRPC
import IRGService
import Testing

/// tls+tcp:// with mutual TLS, against a CA made by `openssl` in the test: the
/// right client certificate gets through, none or one from another CA is
/// refused, and a suite of real processes on TLS carries a request from `irg`
/// through the orchestrator to the services it calls, auth token and all.
@Suite(.serialized) struct TLSTests {
    /// A CA, a server certificate for "localhost", a client certificate, and a client certificate from another CA.
    final class Certificates: @unchecked Sendable {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("irg-tls-\(UUID().uuidString.prefix(8))")

        init() throws {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try "subjectAltName=DNS:localhost\n".write(to: path("san.ext"), atomically: true, encoding: .utf8)
            try authority("ca")
            try authority("rogue-ca")
            try leaf("server", cn: "localhost", signer: "ca", extensions: true)
            try leaf("client", cn: "irg client", signer: "ca")
            try leaf("rogue", cn: "irg client", signer: "rogue-ca")
        }

        func path(_ name: String) -> URL { folder.appendingPathComponent(name) }
        func file(_ name: String) -> String { path(name).path }

        func settings(_ leaf: String?, ca: String? = "ca") -> TLSSettings {
            TLSSettings(certificate: leaf.map { file("\($0).pem") }, key: leaf.map { file("\($0).key") },
                        certificateAuthority: ca.map { file("\($0).pem") })
        }

        private func authority(_ name: String) throws {
            try openssl(["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                         "-keyout", file("\(name).key"), "-out", file("\(name).pem"), "-days", "2", "-subj", "/CN=irg test \(name)"])
        }

        private func leaf(_ name: String, cn: String, signer: String, extensions: Bool = false) throws {
            try openssl(["req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                         "-keyout", file("\(name).key"), "-out", file("\(name).csr"), "-subj", "/CN=\(cn)"])
            try openssl(["x509", "-req", "-in", file("\(name).csr"), "-CA", file("\(signer).pem"), "-CAkey", file("\(signer).key"),
                         "-CAcreateserial", "-out", file("\(name).pem"), "-days", "2"] + (extensions ? ["-extfile", file("san.ext")] : []))
        }

        private func openssl(_ arguments: [String]) throws {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
            process.arguments = arguments
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            process.waitUntilExit()
            guard process.terminationStatus == 0 else { throw RPCError(.internal, "openssl \(arguments.prefix(2)) failed") }
        }

        func remove() { try? FileManager.default.removeItem(at: folder) }
    }

    static let hasOpenSSL = FileManager.default.isExecutableFile(atPath: "/usr/bin/openssl")

    static func tlsAddress() -> String {
        "tls+tcp://localhost:" + freshAddress("tcp").split(separator: ":").last!
    }

    @Test(.enabled(if: hasOpenSSL, "openssl is not installed"))
    func onlyClientsWithACertificateFromTheCAGetThrough() async throws {
        let certificates = try Certificates()
        defer { certificates.remove() }
        let url = Self.tlsAddress()
        let server = NngServer(dispatcher: Dispatcher(router: makeRouter(worker: "tls"), options: ServerOptions(name: "irg-test"), logger: quietLogger))
        try server.start([.listen(url)], tls: certificates.settings("server"))
        defer { server.close() }

        let trusted = try NngClient([.dial(url)], tls: certificates.settings("client"))
        defer { trusted.close() }
        #expect(try await whoAnswers(trusted, timeoutMs: 10_000) == "tls")

        for (who, settings) in [("no client certificate", certificates.settings(nil)),
                                ("a certificate from another CA", certificates.settings("rogue"))] {
            let refused = try NngClient([.dial(url)], tls: settings)
            defer { refused.close() }
            let code = await failureCode { _ = try await whoAnswers(refused, timeoutMs: 1_500) }
            #expect(code == .unavailable && refused.connectedPipes == 0, "\(who): \(String(describing: code))")
        }

        // A client that does not trust the server's CA does not connect either.
        let doubting = try NngClient([.dial(url)], tls: certificates.settings("client", ca: "rogue-ca"))
        defer { doubting.close() }
        #expect(await failureCode { _ = try await whoAnswers(doubting, timeoutMs: 1_500) } == .unavailable)
        #expect(throws: RPCError.self) { _ = try NngClient([.dial(url)], tls: TLSSettings()) }  // no CA: refused at once
    }

    @Test(.enabled(if: hasOpenSSL && DemoModelTests.bundled, "openssl or Models/demo missing"))
    func aSuiteOnTLSCarriesTheTokenFromIrgThroughTheOrchestrator() async throws {
        let certificates = try Certificates()
        defer { certificates.remove() }
        let token = certificates.path("token")
        try "s3cret\n".write(to: token, atomically: true, encoding: .utf8)
        let addresses = Dictionary(uniqueKeysWithValues: ["tokenizer", "generator", "assessor", "orchestrator"].map { ($0, Self.tlsAddress()) })
        let common = ["--tls-cert", certificates.file("server.pem"), "--tls-key", certificates.file("server.key"),
                      "--tls-ca", certificates.file("ca.pem"), "--auth-token-file", token.path, "--log-level", "warning"]
        var processes: [Process] = []
        defer { processes.forEach { $0.terminate(); $0.waitUntilExit() } }
        processes.append(try ProcessTests.launch("irg-tokenizer", ["--listen", addresses["tokenizer"]!] + common))
        processes.append(try ProcessTests.launch("irg-generator", ["--listen", addresses["generator"]!] + common))
        processes.append(try ProcessTests.launch("irg-assessor", ["--listen", addresses["assessor"]!, "--tokenizer", addresses["tokenizer"]!] + common))
        processes.append(try ProcessTests.launch("irg-orchestrator", ["--listen", addresses["orchestrator"]!,
            "--generator", addresses["generator"]!, "--tokenizer", addresses["tokenizer"]!, "--assessor", addresses["assessor"]!,
            "--sessions", certificates.file("sessions.sqlite")] + common))
        let client = ["--tls-cert", certificates.file("client.pem"), "--tls-key", certificates.file("client.key"),
                      "--tls-ca", certificates.file("ca.pem")]
        for (role, address) in addresses {
            let up = await OrchestratorTests.until(timeoutMs: 120_000) {
                (try? await ProcessTests.irg(["health", address, "--timeout", "2000"] + client))?.0 == 0
            }
            #expect(up, "\(role) never answered over TLS")
        }
        let out = certificates.path("motion")
        let (status, printed) = try await ProcessTests.irg(["generate", "a person walks forward", "--orchestrator", addresses["orchestrator"]!,
            "--rounds", "1", "--seed", "1", "--out", out.path, "--auth-token", "s3cret", "--timeout", "120000"] + client)
        #expect(status == 0 && FileManager.default.fileExists(atPath: out.appendingPathComponent("motion.gif").path), "\(printed)")

        // The right certificate without the token: refused by the orchestrator, not by TLS.
        let (unauthenticated, _) = try await ProcessTests.irg(["sessions", "list", "--orchestrator", addresses["orchestrator"]!] + client)
        #expect(unauthenticated == Int32(StatusCode.unauthenticated.rawValue))
        // No client certificate: no connection at all.
        let (refused, _) = try await ProcessTests.irg(["health", addresses["orchestrator"]!, "--timeout", "1500",
                                                       "--tls-ca", certificates.file("ca.pem")])
        #expect(refused != 0)
    }
}
