/// The ids a tokenizer.json post-processor puts before and after a single
/// sequence: TemplateProcessing's "single" template around $A (Gemma:
/// `<bos>` first), or BertProcessing's `[CLS] ... [SEP]`.
func specialTokenTemplate(_ json: RawJSON?, ids: [[UInt8]: Int]) throws -> (before: [Int], after: [Int]) {
    guard let json, !json.isNull else { return ([], []) }
    switch json["type"]?.text {
    case "TemplateProcessing":
        guard let single = json["single"]?.array else { throw TokenizerError.invalid("TemplateProcessing without a single template") }
        var before: [Int] = [], after: [Int] = [], seenSequence = false
        for piece in single {
            if piece["Sequence"] != nil { seenSequence = true; continue }
            guard let name = piece["SpecialToken"]?["id"]?.bytes else { continue }
            let specials = json["special_tokens"]?[String(decoding: name, as: UTF8.self)]?["ids"]?.array?.compactMap(\.tokenID)
            guard let list = specials ?? ids[name].map({ [$0] }) else {
                throw TokenizerError.invalid("post_processor names an unknown token \(String(decoding: name, as: UTF8.self))")
            }
            if seenSequence { after += list } else { before += list }
        }
        return (before, after)
    case "BertProcessing":
        guard let cls = json["cls"]?.array?.last?.tokenID, let sep = json["sep"]?.array?.last?.tokenID else {
            throw TokenizerError.invalid("BertProcessing without its cls and sep ids")
        }
        return ([cls], [sep])
    case let other:
        throw TokenizerError.unsupported("post_processor \(other ?? "?")")
    }
}
