/// A Duration as the numbers the stats, traces and benchmarks print.
extension Duration {
    public var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
    public var milliseconds: Double { seconds * 1e3 }
    public var microseconds: Double { seconds * 1e6 }
}
