// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "IRGMotionSuite",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "irg", targets: ["irg"]),
        .executable(name: "irg-tokenizer", targets: ["irg-tokenizer"]),
        .executable(name: "irg-generator", targets: ["irg-generator"]),
        .executable(name: "irg-assessor", targets: ["irg-assessor"]),
        .executable(name: "irg-evaluator", targets: ["irg-evaluator"]),
        .executable(name: "irg-orchestrator", targets: ["irg-orchestrator"]),
        // The wire and file formats, for programs built beside the suite (Tests/Fuzz).
        .library(name: "IRGCodecs", targets: ["IRGProto", "IRGRPC", "IRGMotion", "IRGText"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
    ],
    targets: [
        // System libraries and C.
        .systemLibrary(name: "CNng", path: "Shared/CNng"),
        .systemLibrary(name: "CZlib", path: "Shared/CZlib"),
        .systemLibrary(name: "COpenBLAS", path: "Shared/COpenBLAS", pkgConfig: "openblas"),
        .target(
            name: "CIRGProtos", path: "Shared/CProtos",
            publicHeadersPath: "include",
            linkerSettings: [.linkedLibrary("protobuf-c")]),
        .target(
            name: "CBareNng", dependencies: ["CNng"], path: "Shared/CBareNng",
            linkerSettings: [.linkedLibrary("nng")]),

        // Libraries every service links.
        .target(name: "IRGProto", dependencies: ["CIRGProtos"], path: "Shared/Proto"),
        .target(name: "IRGMotion", dependencies: ["CZlib"], path: "Shared/Motion"),
        .target(name: "IRGText", path: "Shared/Text"),
        .target(name: "IRGDataset", dependencies: ["IRGMotion", "IRGNumerics", "IRGText"], path: "Shared/Dataset"),
        .target(name: "CIRGKernels", path: "Shared/CKernels", cSettings: [.unsafeFlags(["-O3"])]),
        .target(name: "IRGNumerics", dependencies: ["COpenBLAS", "CIRGKernels"], path: "Shared/Numerics"),
        .target(name: "IRGMetrics", dependencies: ["COpenBLAS"], path: "Shared/Metrics"),
        .target(name: "IRGModels", dependencies: ["IRGNumerics", "IRGMotion", "IRGText", "IRGMetrics"], path: "Shared/Models"),
        .target(name: "IRGAssessment", dependencies: ["IRGModels", "IRGMetrics", "IRGMotion"], path: "Shared/Assessment"),
        .target(name: "IRGConversation", path: "Shared/Conversation"),
        .target(
            name: "IRGOrchestration",
            dependencies: ["IRGRPC", "IRGProto", "IRGConversation", .product(name: "GRDB", package: "GRDB.swift")],
            path: "Shared/Orchestration"),
        .target(name: "IRGEvaluation", dependencies: ["IRGModels", "IRGMetrics", "IRGMotion", "IRGNumerics"], path: "Shared/Evaluation"),
        .target(
            name: "IRGRPC",
            dependencies: ["CNng", "IRGProto", .product(name: "Logging", package: "swift-log")],
            path: "Shared/RPC"),
        .target(
            name: "IRGService",
            dependencies: [
                "IRGRPC", "IRGModels", "IRGMetrics", "IRGEvaluation", "IRGAssessment", "IRGOrchestration", "IRGConversation", "IRGMotion", "IRGProto", "IRGNumerics",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Shared/Service"),

        // Executables: thin wiring over the libraries.
        .executableTarget(name: "irg-tokenizer", dependencies: ["IRGService", "IRGNumerics"], path: "Services/Tokenizer"),
        .executableTarget(name: "irg-generator", dependencies: ["IRGService", "IRGModels"], path: "Services/Generator"),
        .executableTarget(name: "irg-assessor", dependencies: ["IRGService"], path: "Services/Assessor"),
        .executableTarget(name: "irg-evaluator", dependencies: ["IRGService", "IRGNumerics"], path: "Services/Evaluator"),
        .executableTarget(name: "irg-orchestrator", dependencies: ["IRGService", "IRGConversation"], path: "Services/Orchestrator"),
        .executableTarget(
            name: "irg",
            dependencies: [
                "IRGService", "IRGMotion", "IRGDataset", "IRGModels", "IRGMetrics", "IRGEvaluation", "IRGAssessment", "IRGNumerics", "CBareNng", "CIRGKernels",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Services/CLI"),

        .testTarget(
            name: "ProtoTests", dependencies: ["IRGProto"], path: "Tests/ProtoTests",
            resources: [.copy("Fixtures")]),
        .testTarget(
            name: "MotionTests", dependencies: ["IRGMotion", "CZlib"], path: "Tests/MotionTests",
            resources: [.copy("Fixtures")]),
        .testTarget(
            name: "ModelTests", dependencies: ["IRGModels", "IRGEvaluation", "IRGMetrics", "IRGNumerics", "IRGMotion", "IRGProto", "IRGRPC", "IRGService", "IRGText", "CIRGKernels",
                                               .product(name: "Logging", package: "swift-log")], path: "Tests/ModelTests",
            resources: [.copy("Fixtures")]),
        .testTarget(
            name: "MetricTests", dependencies: ["IRGMetrics", "IRGMotion"], path: "Tests/MetricTests",
            resources: [.copy("Fixtures")]),
        .testTarget(
            name: "LanguageModelTests", dependencies: ["IRGText", "IRGModels", "IRGNumerics", "IRGMotion", "IRGService"],
            path: "Tests/LanguageModelTests", resources: [.copy("Fixtures")]),
        .testTarget(
            name: "AssessmentTests", dependencies: ["IRGAssessment", "IRGModels", "IRGMotion", "IRGMetrics"], path: "Tests/AssessmentTests",
            resources: [.copy("Fixtures")]),
        .testTarget(name: "DatasetTests", dependencies: ["IRGDataset", "IRGMotion", "IRGService", "IRGText"], path: "Tests/DatasetTests"),
        .testTarget(name: "RPCTests", dependencies: ["IRGRPC", "IRGService", "IRGModels", "CNng", "IRGTestSupport"], path: "Tests/RPCTests"),
        .testTarget(name: "ConversationTests", dependencies: ["IRGConversation", "IRGTestSupport"], path: "Tests/ConversationTests"),
        // Test helpers more than one test target uses (a stand-in HTTP endpoint).
        .target(name: "IRGTestSupport", path: "Tests/Support"),
    ]
)
