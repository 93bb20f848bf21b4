import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// An OpenAI-compatible chat endpoint played by a small HTTP server on
/// loopback (no real LLM can run here): it answers each POST to
/// `/chat/completions` with the next scripted behaviour and records every
/// request body. One connection at a time, `Connection: close`.
public final class PlannerEndpointStub: @unchecked Sendable {
    public enum Behaviour: Sendable {
        /// A chat completion whose message content is this text.
        case answer(String)
        /// An HTTP error status with this body.
        case status(Int, String)
        /// Read the request, then say nothing for this long (a timeout on the client's side).
        case silence(seconds: Double)
    }

    public let port: UInt16
    public var url: String { "http://127.0.0.1:\(port)/v1" }
    private let listener: Int32
    private let lock = NSLock()
    private var script: [Behaviour]
    private var bodies: [Data] = []
    private var paths: [String] = []
    private var heads: [String] = []

    public init(_ script: [Behaviour]) throws {
        self.script = script
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        self.listener = listener
        var yes: Int32 = 1
        setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(listener, 8) == 0 else { throw POSIXError(.EADDRINUSE) }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &length) }
        }
        port = UInt16(bigEndian: address.sin_port)
        Thread.detachNewThread { [self] in serve() }
    }

    /// The JSON bodies received, in order.
    public var requests: [[String: Any]] {
        lock.withLock { bodies }.compactMap { try? JSONSerialization.jsonObject(with: $0) as? [String: Any] }
    }

    public var requestPaths: [String] { lock.withLock { paths } }

    /// The value of header `name` in request `index` ("" when absent).
    public func header(_ name: String, ofRequest index: Int) -> String {
        let head = lock.withLock { heads[index] }
        for line in head.split(separator: "\r\n") {
            let parts = line.split(separator: ":", maxSplits: 1)
            if parts.count == 2, parts[0].lowercased() == name.lowercased() { return parts[1].trimmingCharacters(in: .whitespaces) }
        }
        return ""
    }

    /// The messages of request `index` as (role, content).
    public func messages(ofRequest index: Int) -> [(role: String, content: String)] {
        let list = requests[index]["messages"] as? [[String: Any]] ?? []
        return list.map { ($0["role"] as? String ?? "", $0["content"] as? String ?? "") }
    }

    public func close() {
        shutdown(listener, Int32(SHUT_RDWR))
        Glibc.close(listener)
    }

    private func serve() {
        while true {
            let connection = accept(listener, nil, nil)
            guard connection >= 0 else { return }
            handle(connection)
            Glibc.close(connection)
        }
    }

    private func handle(_ connection: Int32) {
        guard let (head, body) = readRequest(connection) else { return }
        let behaviour: Behaviour = lock.withLock {
            bodies.append(body)
            heads.append(head)
            paths.append(head.split(separator: " ").dropFirst().first.map(String.init) ?? "")
            return script.isEmpty ? .status(500, "the stub's script is exhausted") : script.removeFirst()
        }
        switch behaviour {
        case .answer(let content):
            let reply: [String: Any] = ["id": "stub", "object": "chat.completion", "model": "stub",
                                        "choices": [["index": 0, "finish_reason": "stop",
                                                     "message": ["role": "assistant", "content": content]]]]
            write(connection, status: 200, body: (try? JSONSerialization.data(withJSONObject: reply)) ?? Data())
        case .status(let code, let text):
            write(connection, status: code, body: Data(text.utf8))
        case .silence(let seconds):
            Thread.sleep(forTimeInterval: seconds)
        }
    }

    private func readRequest(_ connection: Int32) -> (String, Data)? {
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            if let end = data.range(of: Data("\r\n\r\n".utf8)) {
                let head = String(decoding: data[..<end.lowerBound], as: UTF8.self)
                let length = head.split(separator: "\r\n").compactMap { line -> Int? in
                    let parts = line.split(separator: ":", maxSplits: 1)
                    return parts.count == 2 && parts[0].lowercased() == "content-length"
                        ? Int(parts[1].trimmingCharacters(in: .whitespaces)) : nil
                }.first ?? 0
                if data.count - end.upperBound >= length {
                    return (head, data[end.upperBound..<(end.upperBound + length)])
                }
            }
            let n = recv(connection, &buffer, buffer.count, 0)
            guard n > 0 else { return nil }
            data.append(contentsOf: buffer[0..<n])
        }
    }

    private func write(_ connection: Int32, status: Int, body: Data) {
        let head = "HTTP/1.1 \(status) STUB\r\nContent-Type: application/json\r\nContent-Length: \(body.count)\r\nConnection: close\r\n\r\n"
        let bytes = Data(head.utf8) + body
        _ = bytes.withUnsafeBytes { send(connection, $0.baseAddress, bytes.count, Int32(MSG_NOSIGNAL)) }
    }
}
