import CNng
import Foundation

/// An error number from nng, with its text.
public struct NngError: Error, CustomStringConvertible, Sendable {
    public let code: Int32
    public let operation: String

    public init(_ code: Int32, _ operation: String) {
        self.code = code
        self.operation = operation
    }

    public var description: String { "\(operation): \(String(cString: nng_strerror(code)))" }

    static func check(_ result: Int32, _ operation: @autoclosure () -> String) throws {
        if result != 0 { throw NngError(result, operation()) }
    }
}

/// Where a socket attaches: it LISTENS on an address or DIALS one.
public enum Endpoint: Sendable, Equatable {
    case listen(String)
    case dial(String)

    public var url: String {
        switch self {
        case .listen(let url), .dial(let url): return url
        }
    }
}

extension nng_socket {
    /// Listens or dials. Dials do not block: nng keeps reconnecting in the
    /// background, so a worker may start before the address it dials.
    func attach(_ endpoint: Endpoint, maxMessageBytes: Int?, tls: TLSSettings = .processDefault) throws {
        switch endpoint {
        case .listen(let url):
            var listener = nng_listener()
            try NngError.check(nng_listener_create(&listener, self, url), "listen \(url)")
            if let max = maxMessageBytes {
                try NngError.check(nng_listener_set_size(listener, NNG_OPT_RECVMAXSZ, max), "recv-size-max on \(url)")
            }
            if TLSSettings.isTLS(url) {
                let config = try tls.configuration(server: true, url: url)
                defer { nng_tls_config_free(config) }  // the listener keeps its own reference
                try NngError.check(nng_listener_set_ptr(listener, NNG_OPT_TLS_CONFIG, UnsafeMutableRawPointer(config)), "TLS on \(url)")
            }
            try NngError.check(nng_listener_start(listener, 0), "listen \(url)")
        case .dial(let url):
            var dialer = nng_dialer()
            try NngError.check(nng_dialer_create(&dialer, self, url), "dial \(url)")
            if let max = maxMessageBytes {
                try NngError.check(nng_dialer_set_size(dialer, NNG_OPT_RECVMAXSZ, max), "recv-size-max on \(url)")
            }
            if TLSSettings.isTLS(url) {
                let config = try tls.configuration(server: false, url: url)
                defer { nng_tls_config_free(config) }
                try NngError.check(nng_dialer_set_ptr(dialer, NNG_OPT_TLS_CONFIG, UnsafeMutableRawPointer(config)), "TLS on \(url)")
            }
            try NngError.check(nng_dialer_start(dialer, Int32(NNG_FLAG_NONBLOCK)), "dial \(url)")
        }
    }
}

/// Packs an envelope straight into a new nng message body.
func makeNngMessage(_ envelope: Envelope) throws -> OpaquePointer {
    try EnvelopeCodec.encode(envelope) { size -> (OpaquePointer, UnsafeMutableRawPointer) in
        var msg: OpaquePointer?
        try NngError.check(nng_msg_alloc(&msg, size), "allocate \(size)-byte message")
        return (msg!, nng_msg_body(msg)!)
    }
}

/// The envelope in an nng message (nil if it is not one). Takes ownership
/// of the message: a large payload keeps using its memory, and the message
/// is freed when that payload is dropped.
func takeEnvelope(_ msg: OpaquePointer) -> Envelope? {
    let owned = SendablePointer(pointer: msg)
    return EnvelopeCodec.decode(borrowing: UnsafeRawBufferPointer(start: nng_msg_body(msg), count: nng_msg_len(msg)),
                                release: { nng_msg_free(owned.pointer) })
}

/// A pointer that crosses from an nng callback thread into a Swift task.
struct SendablePointer: @unchecked Sendable {
    let pointer: OpaquePointer
}

extension nng_errno_enum {
    /// As nng's functions return it.
    var code: Int32 { Int32(rawValue) }
}

extension nng_socket {
    /// nng_close, bounded: nng 1.5.2 can deadlock in nng_close when a task
    /// was prepared but not yet started (nng issues 1543, 1813; the fix was
    /// backed out upstream). The close runs on a helper thread; if it does
    /// not return within `seconds`, this returns false and the caller must
    /// leave the socket's aios alone (they may still be in use).
    func closeBounded(seconds: Double = 5) -> Bool {
        let done = DispatchSemaphore(value: 0)
        let socket = self
        Thread.detachNewThread {
            nng_close(socket)
            done.signal()
        }
        return done.wait(timeout: .now() + seconds) == .success
    }
}
