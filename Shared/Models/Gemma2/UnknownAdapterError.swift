import IRGMotion

/// A request named an adapter the model does not hold (a NOT_FOUND, not a malformed request).
public struct UnknownAdapterError: Error, CustomStringConvertible, Equatable {
    public let name: String
    public let loaded: [String]

    public var description: String {
        "unknown adapter '\(name)'; loaded: " + (loaded.isEmpty ? "none" : loaded.joined(separator: ", "))
    }
}

extension Gemma2Model {
    /// Ids inside the vocabulary and a loaded adapter: what a request must
    /// satisfy before it joins a batch (the forward pass checks it again).
    public func checkInput(_ ids: [Int], adapter: String?) throws {
        if let bad = ids.first(where: { !(0..<config.vocabSize).contains($0) }) {
            throw MotionError.parse("token id \(bad) is outside the vocabulary (0..<\(config.vocabSize))")
        }
        if let name = adapter, !adapterNames.contains(name) { throw UnknownAdapterError(name: name, loaded: adapterNames) }
    }
}
