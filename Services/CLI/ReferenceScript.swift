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

/// A reference script kept running (`--serve`): it loads its model once and
/// answers one JSON line per command, so a benchmark can measure itself and
/// the peer in alternation.
final class ReferencePeer {
    private let process = Process()
    private let input = Pipe(), output = Pipe()
    private var buffered = Data()
    let script: String
    /// The first line the script printed (versions, threads).
    private(set) var greeting: [String: Any] = [:]

    init(script: String, arguments: [String]) throws {
        self.script = script
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script] + arguments + ["--serve"]
        (process.standardInput, process.standardOutput) = (input, output)
        try process.run()
        greeting = try readAnswer()
    }

    deinit { finish() }

    /// One command's answer.
    func ask(_ command: String) throws -> [String: Any] {
        input.fileHandleForWriting.write(Data((command + "\n").utf8))
        let answer = try readAnswer()
        if let error = answer["error"] as? String { throw ValidationError("the reference script \(script): \(error)") }
        return answer
    }

    /// Closes its input (it quits) and waits for it.
    func finish() {
        guard process.isRunning else { return }
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
    }

    /// The next line that is a JSON object (a library's stray prints are skipped).
    private func readAnswer() throws -> [String: Any] {
        while true {
            while !buffered.contains(UInt8(ascii: "\n")) {
                let chunk = output.fileHandleForReading.availableData
                guard !chunk.isEmpty else { throw ValidationError("the reference script \(script) stopped") }
                buffered.append(chunk)
            }
            let end = buffered.firstIndex(of: UInt8(ascii: "\n"))!
            let line = buffered[..<end]
            buffered = Data(buffered[(end + 1)...])
            if let json = try? JSONSerialization.jsonObject(with: line) as? [String: Any] { return json }
        }
    }
}
