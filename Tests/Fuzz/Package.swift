// swift-tools-version: 6.0
// libFuzzer targets for the bytes users and peers hand the suite (docs/scale.md).
// Built only by Scripts/fuzz.sh, with -sanitize=fuzzer: libFuzzer supplies main.
import PackageDescription

let package = Package(
    name: "IRGFuzz",
    dependencies: [.package(name: "IRGMotionSuite", path: "../..")],
    targets: [
        .executableTarget(
            name: "irg-fuzz",
            dependencies: [
                .product(name: "IRGCodecs", package: "IRGMotionSuite"),
            ],
            path: "Sources/irg-fuzz",
            swiftSettings: [.unsafeFlags(["-parse-as-library"])]),
    ]
)
