import IRGMotion
import IRGNumerics

/// A BERT state dict by the bare module names (`embeddings.word_embeddings.weight`),
/// whether the checkpoint saved a BertModel or a task model around one
/// (`bert.`/`roberta.` prefixes) and whether LayerNorm is named weight/bias
/// or the old gamma/beta.
struct BERTWeights {
    let checkpoint: SafeTensorsCheckpoint

    func tensor(_ name: String, shape: [Int]) throws -> [Float] {
        let old = name.replacingOccurrences(of: "LayerNorm.weight", with: "LayerNorm.gamma")
            .replacingOccurrences(of: "LayerNorm.bias", with: "LayerNorm.beta")
        for prefix in ["", "bert.", "roberta."] {
            for candidate in [name, old] where checkpoint.tensors[prefix + candidate] != nil {
                return try checkpoint.tensor(prefix + candidate, shape: shape).floats()
            }
        }
        throw BERTError.invalid("tensor '\(name)' is not in the checkpoint")
    }

    func linear(_ name: String, in inFeatures: Int, out outFeatures: Int) throws -> Linear {
        Linear(inFeatures: inFeatures, outFeatures: outFeatures, weight: try tensor("\(name).weight", shape: [outFeatures, inFeatures]),
               bias: try tensor("\(name).bias", shape: [outFeatures]))
    }

    func layerNorm(_ name: String, width: Int, eps: Double) throws -> LayerNorm {
        LayerNorm(weight: try tensor("\(name).weight", shape: [width]), bias: try tensor("\(name).bias", shape: [width]), eps: eps)
    }
}
