import ArgumentParser
import Foundation

/// Runs a Python reference script (a benchmark's peer) and returns the JSON object it prints.
func runReferenceScript(_ script: String, _ arguments: [String]) throws -> [String: Any] {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", script] + arguments
    let out = Pipe()
    process.standardOutput = out
    try process.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0, let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
        throw ValidationError("the reference script \(script) failed (status \(process.terminationStatus))")
    }
    return json
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
    var microseconds: Double { seconds * 1e6 }
}

/// This process's peak resident memory (VmHWM), in MB.
func peakResidentMegabytes() -> Double {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
          let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
          let kb = Double(line.split(whereSeparator: { $0 == " " || $0 == "\t" }).dropFirst().first ?? "") else { return 0 }
    return kb / 1024
}

/// The median time of `repeats` runs of `body`, after one untimed warm-up run.
func medianSeconds(_ repeats: Int, _ body: () throws -> Void) throws -> Double {
    try body()
    var times: [Double] = []
    for _ in 0..<max(1, repeats) {
        let start = ContinuousClock.now
        try body()
        times.append((ContinuousClock.now - start).seconds)
    }
    return times.sorted()[times.count / 2]
}

/// The threads a benchmark's Python peer gets: OPENBLAS_NUM_THREADS, else every core.
func referenceThreads() -> Int {
    Int(ProcessInfo.processInfo.environment["OPENBLAS_NUM_THREADS"] ?? "") ?? ProcessInfo.processInfo.activeProcessorCount
}
