import Foundation
import IRGMetrics
import IRGMotion

/// Committed fixtures from Scripts/reference/make_metric_fixtures.py and friends.
enum MetricFixtures {
    static func url(_ name: String) -> URL {
        Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Fixtures")!
    }

    static func json(_ name: String) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(contentsOf: url(name))) as! [String: Any]
    }

    static func embeddings(_ name: String) throws -> EmbeddingMatrix {
        let array = try NPYArray.read(url(name))
        return EmbeddingMatrix(rows: array.shape[0], dim: array.shape[1], floats: array.floats())
    }

    static func relativeError(_ value: Double, _ expected: Double) -> Double {
        abs(value - expected) / max(abs(expected), 1e-12)
    }
}
