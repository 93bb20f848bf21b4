import Foundation
import IRGMotion

/// A line typed into `irg llm chat`: a task command or free text for the IRG
/// template. Motions are written as codes ("12,5,300"); left out, the chat's
/// last motion is meant.
///
///     /generate TEXT                      text -> motion
///     /caption [CODES]                    motion -> text
///     /analyze TEXT                       the prompt analysis
///     /assess TEXT [| CODES]              refinement instruction for a motion
///     /refine TEXT | [CODES |] INSTRUCTION
///     /interleave TEXT                    the native think-generate-assess transcript
public enum ChatLine: Equatable, Sendable {
    case text(String)
    case task(MotionLLMTask)

    public static let help = "/generate TEXT, /caption [CODES], /analyze TEXT, /assess TEXT [| CODES], "
        + "/refine TEXT | [CODES |] INSTRUCTION, /interleave TEXT; other lines go to the model as they are."

    public init(_ line: String, lastMotion: [Int]?) throws {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        guard trimmed.hasPrefix("/") else {
            self = .text(trimmed)
            return
        }
        let command = String(trimmed.prefix { !$0.isWhitespace })
        let parts = trimmed.dropFirst(command.count).split(separator: "|", omittingEmptySubsequences: false)
            .map { $0.trimmingCharacters(in: .whitespaces) }
        func motion(_ text: String?) throws -> [Int] {
            if let text, !text.isEmpty {
                let codes = text.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
                guard codes.allSatisfy({ $0 != nil }) else { throw MotionError.parse("'\(text)' is not comma-separated codes") }
                return codes.map { $0! }
            }
            guard let lastMotion else { throw MotionError.parse("no motion yet: give codes, e.g. 12,5,300") }
            return lastMotion
        }
        switch (command, parts.count) {
        case ("/generate", 1): self = .task(.generate(caption: parts[0], format: .irg))
        case ("/caption", 1): self = .task(.caption(motion: try motion(parts[0])))
        case ("/analyze", 1): self = .task(.analyze(caption: parts[0]))
        case ("/assess", 1...2): self = .task(.refineInstruction(caption: parts[0], motion: try motion(parts.count == 2 ? parts[1] : nil)))
        case ("/refine", 2): self = .task(.refine(caption: parts[0], motion: try motion(nil), instruction: parts[1]))
        case ("/refine", 3): self = .task(.refine(caption: parts[0], motion: try motion(parts[1]), instruction: parts[2]))
        case ("/interleave", 1): self = .task(.interleave(caption: parts[0]))
        default: throw MotionError.parse("'\(command)' with \(parts.count) part(s) is not a chat command; \(Self.help)")
        }
    }
}
