import IRGMetrics
import IRGModels
import IRGMotion
import IRGRPC
import IRGText

/// What a library error about a request becomes on the wire: bad input
/// (MotionError, MetricError, TokenizerError, BERTError) is INVALID_ARGUMENT with the
/// library's message, an adapter the model lacks is NOT_FOUND; anything else
/// passes unchanged. Every service maps its library calls through here.
enum LibraryErrorStatus {
    static func status(of error: Error) -> Error {
        switch error {
        case let e as MotionError: return RPCError(.invalidArgument, e.description)
        case let e as MetricError: return RPCError(.invalidArgument, e.description)
        case let e as TokenizerError: return RPCError(.invalidArgument, e.description)
        case let e as BERTError: return RPCError(.invalidArgument, e.description)
        case let e as UnknownAdapterError: return RPCError(.notFound, e.description)
        default: return error
        }
    }

    static func mapped<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch { throw status(of: error) }
    }

    static func mapped<T>(_ body: () async throws -> T) async throws -> T {
        do { return try await body() } catch { throw status(of: error) }
    }
}
